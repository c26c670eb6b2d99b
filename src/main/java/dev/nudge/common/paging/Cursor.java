package dev.nudge.common.paging;

import dev.nudge.common.problem.ApiProblem;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Opaque cursors: base64url of the last key a page showed. */
public final class Cursor {

  private static final String PREFIX = "c1:";

  private Cursor() {}

  public static String encode(String key) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((PREFIX + key).getBytes(StandardCharsets.UTF_8));
  }

  /** The key inside a cursor, or null for none; 400 when it is not one of ours. */
  public static String decode(String cursor) {
    if (cursor == null || cursor.isEmpty()) {
      return null;
    }
    try {
      String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (raw.startsWith(PREFIX) && raw.length() > PREFIX.length()) {
        return raw.substring(PREFIX.length());
      }
    } catch (IllegalArgumentException e) {
      // falls through to the validation error
    }
    throw ApiProblem.validation("cursor", "is not a cursor this API issued");
  }
}
