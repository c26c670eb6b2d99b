package dev.nudge.common.time;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Instants as text without the general-purpose formatter: every event, trade view and timer row
 * carries a dozen of them, and {@code DateTimeFormatter} was a tenth of a timer batch's JVM time.
 * Years 1970-9999 take the fast path; anything else is left to the JDK.
 */
public final class InstantFormat {

  /** 9999-12-31T23:59:59Z + 1 s. */
  private static final long END = 253_402_300_800L;

  private InstantFormat() {}

  /** Exactly {@link Instant#toString()}: {@code 2026-11-22T10:00:00Z}, {@code …00.120Z}. */
  public static String iso(Instant t) {
    long seconds = t.getEpochSecond();
    if (seconds < 0 || seconds >= END) {
      return t.toString();
    }
    int nano = t.getNano();
    int fraction = nano == 0 ? 0 : nano % 1_000_000 == 0 ? 3 : nano % 1000 == 0 ? 6 : 9;
    char[] c = new char[20 + (fraction == 0 ? 0 : fraction + 1)];
    int at = dateTime(c, seconds);
    if (fraction > 0) {
      c[at++] = '.';
      int value = fraction == 3 ? nano / 1_000_000 : fraction == 6 ? nano / 1000 : nano;
      digits(c, at, value, fraction);
      at += fraction;
    }
    c[at] = 'Z';
    return new String(c);
  }

  /**
   * {@code 2026-11-24T20:14:59.123456Z}: always six fraction digits, PostgreSQL's {@code
   * timestamptz} precision, as set-based writes pass instants.
   */
  public static String micros(Instant t) {
    long seconds = t.getEpochSecond();
    if (seconds < 0 || seconds >= END) {
      return t.toString();
    }
    char[] c = new char[27];
    int at = dateTime(c, seconds);
    c[at++] = '.';
    digits(c, at, t.getNano() / 1000, 6);
    c[26] = 'Z';
    return new String(c);
  }

  /** Writes {@code yyyy-MM-ddTHH:mm:ss}; returns the next index. */
  private static int dateTime(char[] c, long epochSecond) {
    LocalDateTime d = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
    digits(c, 0, d.getYear(), 4);
    c[4] = '-';
    digits(c, 5, d.getMonthValue(), 2);
    c[7] = '-';
    digits(c, 8, d.getDayOfMonth(), 2);
    c[10] = 'T';
    digits(c, 11, d.getHour(), 2);
    c[13] = ':';
    digits(c, 14, d.getMinute(), 2);
    c[16] = ':';
    digits(c, 17, d.getSecond(), 2);
    return 19;
  }

  private static void digits(char[] c, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      c[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }
}
