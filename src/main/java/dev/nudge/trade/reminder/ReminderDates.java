package dev.nudge.trade.reminder;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A reminder's dates in the recipient's zone, as {@code DateTimeFormatter} writes them ({@code
 * Thursday 27 November 2026, 10:05 (Europe/London)}, {@code 2026年11月27日(木) 10:05 (Asia/Tokyo)}) but
 * without it: every reminder carries one or two, and the general formatter was a large share of
 * rendering one. The day and month names are taken from the JDK's own locale data, so the text is
 * the same; years outside 1-9999 go to the formatter.
 */
final class ReminderDates {

  static final DateTimeFormatter JA =
      DateTimeFormatter.ofPattern("yyyy年M月d日(E) HH:mm", Locale.JAPANESE);
  static final DateTimeFormatter EN =
      DateTimeFormatter.ofPattern("EEEE d MMMM yyyy, HH:mm", Locale.ENGLISH);

  private static final String[] EN_DAYS = days("EEEE", Locale.ENGLISH);
  private static final String[] EN_MONTHS = months("MMMM", Locale.ENGLISH);
  private static final String[] JA_DAYS = days("E", Locale.JAPANESE);

  private static final Map<String, ZoneId> ZONES = new ConcurrentHashMap<>();

  private ReminderDates() {}

  /** {@code at} in {@code zone}, followed by the zone's id in parentheses. */
  static String format(boolean japanese, Instant at, String zone) {
    ZoneId z = ZONES.computeIfAbsent(zone, ZoneId::of);
    LocalDateTime d = LocalDateTime.ofInstant(at, z);
    int year = d.getYear();
    if (year < 1 || year > 9999) {
      return (japanese ? JA : EN).withZone(z).format(at) + " (" + z.getId() + ")";
    }
    StringBuilder out = new StringBuilder(48);
    if (japanese) {
      pad(out, year, 4).append('年').append(d.getMonthValue()).append('月');
      out.append(d.getDayOfMonth()).append("日(").append(JA_DAYS[d.getDayOfWeek().ordinal()]);
      pad(out.append(") "), d.getHour(), 2).append(':');
    } else {
      out.append(EN_DAYS[d.getDayOfWeek().ordinal()]).append(' ').append(d.getDayOfMonth());
      out.append(' ').append(EN_MONTHS[d.getMonthValue() - 1]).append(' ');
      pad(out, year, 4).append(", ");
      pad(out, d.getHour(), 2).append(':');
    }
    pad(out, d.getMinute(), 2);
    return out.append(" (").append(z.getId()).append(')').toString();
  }

  private static StringBuilder pad(StringBuilder out, int value, int width) {
    String digits = Integer.toString(value);
    for (int i = digits.length(); i < width; i++) {
      out.append('0');
    }
    return out.append(digits);
  }

  private static String[] days(String pattern, Locale locale) {
    DateTimeFormatter f = DateTimeFormatter.ofPattern(pattern, locale);
    String[] names = new String[7];
    // 2024-01-01 was a Monday, DayOfWeek's first.
    for (DayOfWeek day : DayOfWeek.values()) {
      names[day.ordinal()] = f.format(LocalDate.of(2024, 1, 1 + day.ordinal()));
    }
    return names;
  }

  private static String[] months(String pattern, Locale locale) {
    DateTimeFormatter f = DateTimeFormatter.ofPattern(pattern, locale);
    String[] names = new String[12];
    for (Month m : Month.values()) {
      names[m.ordinal()] = f.format(LocalDate.of(2024, m, 1));
    }
    return names;
  }
}
