package dev.nudge.hostile;

import static dev.nudge.support.Gen.weight;

import dev.nudge.support.Gen;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Generators of hostile values: JSON values as raw text (so that they can be of any type, and
 * malformed), and raw text for paths, queries and headers.
 */
final class HostileValues {

  private HostileValues() {}

  static final List<String> NASTY_TEXT =
      List.of(
          "",
          " ",
          "\u0000",
          "a\u0000b",
          "\ud800",
          "\udc00x",
          "\u202e\u0645\u0631\u062d\u0628\u0627",
          "\u200f\u200e\u200b\u2060",
          "\ud83c\udf38\ud83d\udc4d\ud83c\udffd",
          "e\u0301\u0301\u0301",
          "\ufeff\uffff\ufffe",
          "\u0007\u001b[31m",
          "line\nbreak\r\n",
          "../../etc/passwd",
          "<script>alert(1)</script>",
          "' OR 1=1 --",
          "${jndi:ldap://x/a}",
          "%s%n%x",
          "%00",
          "null",
          "\u3042\u3044\u3046\u3048\u304a",
          "\\",
          "\"");

  static final List<String> NUMBERS =
      List.of(
          "0",
          "-0",
          "-1",
          "1",
          "3",
          "4",
          "200",
          "201",
          "1.5",
          "1.0",
          "1e2",
          "2147483647",
          "2147483648",
          "-2147483649",
          "9223372036854775807",
          "9223372036854775808",
          "-9223372036854775809",
          "123456789012345678901234567890",
          "1e308",
          "1e309",
          "-1e400",
          "1E-400",
          "0.0000001");

  static final List<String> DURATIONS =
      List.of(
          "P1M",
          "P1Y",
          "P2Y3M",
          "p1m",
          "PT0S",
          "-P1D",
          "PT-1H",
          "P",
          "PT",
          "P1DT",
          "1D",
          "P1.5D",
          "PT0.5S",
          "PT1S",
          "P1W",
          "P1W2D",
          "P3650D",
          "P3651D",
          "P2147483648D",
          "PT9223372036854775807S",
          "P99999999999999999999D",
          "PT1H ",
          " PT1H",
          "P1D\u0000",
          "PT1H30M",
          "P0D",
          "P-0D",
          "PT1M",
          "P1DT-1H",
          "PT1000000H",
          "P52W",
          "P1WT1H");

  static final List<String> ZONES =
      List.of(
          "Mars/Olympus_Mons",
          "UTC+25",
          "+99:00",
          "-18:01",
          "+14:00",
          "Etc/GMT+14",
          "EST5EDT",
          "",
          "utc",
          "Z",
          "GMT0",
          "SystemV/AST4",
          "../../etc/localtime",
          "Asia/Tokyo\u0000",
          "Europe/London ",
          "America/Argentina/ComodRivadavia",
          "UTC",
          "+09:00");

  static final List<String> TIMESTAMPS =
      List.of(
          "2026-13-01T00:00:00Z",
          "0000-01-01T00:00:00Z",
          "+999999999-12-31T23:59:59Z",
          "-999999999-01-01T00:00:00Z",
          "294277-01-01T00:00:00Z",
          "-4714-11-23T00:00:00Z",
          "2026-11-22T10:00:00+09:00",
          "2026-11-22",
          "2026-11-22T10:00:00",
          "2026-02-30T00:00:00Z",
          "2026-11-22T24:00:00Z",
          "9999-12-31T23:59:59.999999999Z",
          "1970-01-01T00:00:00Z",
          "yesterday",
          "");

  static final List<String> LOCALES =
      List.of(
          "xx-YY",
          "en-US-u-ca-buddhist",
          "i-klingon",
          "und",
          "",
          "ja_JP",
          "EN",
          "zh-Hant-TW",
          "en-" + "a".repeat(300),
          "\u65e5\u672c");

  /**
   * Webhook URLs. Every one that could be accepted points at a closed port on this machine, so that
   * a delivery attempt never leaves it.
   */
  static final List<String> URLS =
      List.of(
          "http://",
          "javascript:alert(1)",
          "http://[::1]:9/",
          "http://0x7f.1:9/",
          "ftp://x/y",
          "http://user:pw@127.0.0.1:9/",
          "http://2130706433:9/",
          "http://127.0.0.1:0/",
          "http://127.0.0.1:99999/",
          "http://127.0.0.1:9/#frag",
          "//127.0.0.1:9/",
          "https://" + "a".repeat(3000) + ".com/",
          "http://localhost:9/",
          "http://[::ffff:7f00:1]:9/");

  static final List<String> CLOCK_TIMES =
      List.of("24:00", "25:61", "7:00", "07:00:00", "-1:00", "", "noon", "23:59", "00:00");

  /** A string as a JSON string literal; {@code rawUnicode} keeps valid non-ASCII as UTF-8. */
  static String quote(String s, boolean rawUnicode) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean pair =
          Character.isHighSurrogate(c)
              && i + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(i + 1));
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20 || (c >= 0x7f && !rawUnicode) || Character.isSurrogate(c) && !pair) {
        b.append(String.format("\\u%04x", (int) c));
      } else if (pair) {
        if (rawUnicode) {
          b.append(c).append(s.charAt(i + 1));
        } else {
          b.append(String.format("\\u%04x\\u%04x", (int) c, (int) s.charAt(i + 1)));
        }
        i++;
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }

  /** Text of any kind: short, nasty, random over the whole BMP, huge. */
  static Gen<String> text() {
    return Gen.frequency(
        weight(3, Gen.alphanumeric(0, 20)),
        weight(4, Gen.of(NASTY_TEXT)),
        weight(2, Gen.strings('\u0000', '\uffff', 0, 40)),
        weight(1, Gen.of(201, 501, 1001, 2001, 2701, 10_001, 40_000, 70_000).map("a"::repeat)),
        weight(1, Gen.ints(1, 3000).map("\ud83c\udf38"::repeat)));
  }

  /** A JSON string literal of hostile text. */
  static Gen<String> jsonText() {
    return r -> quote(text().next(r), r.nextBoolean());
  }

  static Gen<String> jsonNumber() {
    return Gen.frequency(
        weight(3, Gen.of(NUMBERS)),
        weight(1, Gen.anyInt().map(String::valueOf)),
        weight(1, Gen.anyLong().map(String::valueOf)),
        weight(
            1,
            Gen.anyDouble().map(d -> d.isNaN() || d.isInfinite() ? "1e999" : String.valueOf(d))));
  }

  /** Values of every JSON type, including deeply nested ones. */
  static Gen<String> jsonAnything() {
    return Gen.frequency(
        weight(
            3,
            Gen.of(
                "true",
                "false",
                "null",
                "[]",
                "{}",
                "[null]",
                "[1,\"a\",{}]",
                "{\"a\":{}}",
                "\"2\"",
                "\"true\"",
                "\"\"",
                "[\"x\"]",
                "{\"\":1}")),
        weight(2, jsonNumber()),
        weight(2, jsonText()),
        weight(1, deep()));
  }

  /** Nesting past what any parser should follow. */
  static Gen<String> deep() {
    return Gen.of(10, 200, 999, 1001, 5000, 20_000)
        .flatMap(
            d ->
                Gen.of(
                    "[".repeat(d) + "]".repeat(d),
                    "{\"a\":".repeat(d) + "1" + "}".repeat(d),
                    "[".repeat(d)));
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
