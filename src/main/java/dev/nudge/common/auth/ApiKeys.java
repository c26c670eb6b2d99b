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

  /** One digest per thread: looking the algorithm up for every request costs more than hashing. */
  private static final ThreadLocal<MessageDigest> SHA_256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException(e);
            }
          });

  private ApiKeys() {}

  /** This thread's SHA-256 digest, reset. */
  public static MessageDigest sha256() {
    MessageDigest sha = SHA_256.get();
    sha.reset();
    return sha;
  }

  public static String newKey(String kind) {
    return "nk_" + kind + "_" + Ids.secret(24);
  }

  public static String hash(String key) {
    return HexFormat.of().formatHex(sha256().digest(key.getBytes(StandardCharsets.UTF_8)));
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
