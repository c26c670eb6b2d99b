package dev.nudge.common.time;

import dev.nudge.common.problem.Validator;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ISO-8601 durations as the API takes and shows them ({@code PT1H}, {@code P3D}, {@code P1W}).
 * Weeks are seven days; months and years are refused because they have no fixed length (is {@code
 * P1M} from 31 January 28 days or 31?), and a deadline must mean one instant.
 */
public final class Durations {

  /** The longest duration any field takes. */
  public static final Duration LONGEST = Duration.ofDays(3650);

  public static final String SYNTAX = "must be an ISO-8601 duration such as PT1H, P3D or P1W";

  public static final String NO_MONTHS =
      "months and years have no fixed length; give days or weeks instead (P30D, P4W, P365D)";

  /** {@code P[nW][nD][T…]}: the date part, split from the time part at the first 'T'. */
  private static final Pattern DATE_PART =
      Pattern.compile("([-+]?)P(?:([-+]?\\d{1,9})W)?(?:([-+]?\\d{1,9})D)?(T.*)?");

  private static final Pattern MONTHS_OR_YEARS = Pattern.compile("[0-9][YM]");

  private Durations() {}

  /** Parses {@code value}; records a field error and returns null when it is not valid. */
  public static Duration parse(String value, String field, Duration min, Validator v) {
    if (value == null) {
      return null;
    }
    Duration d;
    try {
      d = of(value);
    } catch (IllegalArgumentException e) {
      v.add(field, e.getMessage());
      return null;
    }
    if (d.compareTo(min) < 0) {
      v.add(field, "must be at least " + format(min));
      return null;
    }
    if (d.compareTo(LONGEST) > 0) {
      v.add(field, "must be at most " + format(LONGEST));
      return null;
    }
    return d;
  }

  /**
   * The duration {@code text} names; {@link IllegalArgumentException} with a message for the client
   * when it is not one ({@link #SYNTAX}, or {@link #NO_MONTHS} for months and years).
   */
  public static Duration of(String text) {
    if (text.length() > 64) {
      throw new IllegalArgumentException(SYNTAX);
    }
    String s = text.toUpperCase(Locale.ROOT);
    int t = s.indexOf('T');
    if (MONTHS_OR_YEARS.matcher(t < 0 ? s : s.substring(0, t)).find()) {
      throw new IllegalArgumentException(NO_MONTHS);
    }
    Matcher m = DATE_PART.matcher(s);
    if (!m.matches() || s.endsWith("T") || s.equals("P") || s.equals("-P") || s.equals("+P")) {
      throw new IllegalArgumentException(SYNTAX);
    }
    try {
      long days = 0;
      if (m.group(2) != null) {
        days = Math.multiplyExact(Long.parseLong(m.group(2)), 7);
      }
      if (m.group(3) != null) {
        days = Math.addExact(days, Long.parseLong(m.group(3)));
      }
      Duration d = Duration.ofDays(days);
      if (m.group(4) != null) {
        d = d.plus(Duration.parse("PT" + m.group(4).substring(1)));
      }
      return "-".equals(m.group(1)) ? d.negated() : d;
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new IllegalArgumentException(SYNTAX);
    }
  }

  /** Days stay days: {@code P3D}, not {@code PT72H}. */
  public static String format(Duration d) {
    long days = d.toDays();
    Duration rest = d.minusDays(days);
    if (days == 0) {
      return d.toString();
    }
    return rest.isZero() ? "P" + days + "D" : "P" + days + "D" + rest.toString().substring(1);
  }
}
