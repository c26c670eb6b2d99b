package dev.nudge.common.auth;

import dev.nudge.common.ids.Ids;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Key material. Keys carry 192 random bits, so a single SHA-256 is a sufficient one-way hash: there
 * is no low-entropy secret to stretch, and lookups stay one indexed equality.
 */
public final class ApiKeys {

  /** Party tokens start with this, so a lookup needs only one table. */
  public static final String PARTY_TOKEN_PREFIX = "nk_party_";

  private ApiKeys() {}

  public static String newKey(String kind) {
    return "nk_" + kind + "_" + Ids.secret(24);
  }

  public static String hash(String key) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What may be shown of a key after creation. */
  public static String prefix(String key) {
    return key.substring(0, Math.min(key.length(), 14));
  }

  public static boolean constantTimeEquals(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
