package dev.nudge.common.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** RFC 3986 percent-encoding of a path or a query component, checked strictly. */
final class Percent {

  /** Characters a path or query may hold as they are (RFC 3986 pchar, plus '/' and '?'). */
  private static final String PLAIN =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/?";

  private Percent() {}

  /** What is wrong with {@code raw} (not yet decoded), or null when it is well-formed. */
  static String problem(String raw) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) {
          return "has an incomplete percent-encoding at the end";
        }
        int hi = hex(raw.charAt(i + 1));
        int lo = hex(raw.charAt(i + 2));
        if (hi < 0 || lo < 0) {
          return "has an invalid percent-encoding '" + raw.substring(i, i + 3) + "'";
        }
        bytes.write(hi * 16 + lo);
        i += 2;
      } else if (c > 0x7e || c < 0x20) {
        return "must be ASCII; percent-encode other characters";
      } else if (PLAIN.indexOf(c) < 0) {
        return "has a character that must be percent-encoded: '" + c + "'";
      } else {
        bytes.write(c);
      }
    }
    String decoded;
    try {
      decoded =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes.toByteArray()))
              .toString();
    } catch (CharacterCodingException e) {
      return "is not valid UTF-8 once percent-decoded";
    }
    for (int i = 0; i < decoded.length(); i++) {
      char c = decoded.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return "must not contain control characters (U+0000 to U+001F, U+007F)";
      }
    }
    return null;
  }

  private static int hex(char c) {
    return c > 0x7f ? -1 : Character.digit(c, 16);
  }

  /** {@code raw} decoded; only for text {@link #problem} found well-formed. */
  static String decode(String raw) {
    return java.net.URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
