package dev.nudge.common.idempotency;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stored answers are sealed (AES-256-GCM) with a key derived from what the client sends again on
 * its retry and the database never holds: its raw API key or token and the raw {@code
 * Idempotency-Key} (the record keeps only the key's SHA-256). An answer that shows a secret once (a
 * new API key, a party token, a webhook secret) is thus not readable from the database or its
 * backups during the 24 hours it is kept, while the retry that needs it gets it.
 */
final class AnswerSeal {

  private static final String PREFIX = "sealed:v1:";
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  // One instance of each per thread: looking the algorithm up among the providers costs more than
  // the work itself on an answer of a few hundred bytes.
  private static final ThreadLocal<Mac> HMAC =
      ThreadLocal.withInitial(
          () -> {
            try {
              return Mac.getInstance("HmacSHA256");
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException(e);
            }
          });
  private static final ThreadLocal<Cipher> AES =
      ThreadLocal.withInitial(
          () -> {
            try {
              return Cipher.getInstance("AES/GCM/NoPadding");
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException(e);
            }
          });

  /** The answer could not be opened with this client's key: another credential sealed it. */
  static final class Unopenable extends Exception {
    Unopenable() {
      super("sealed with another credential", null, false, false);
    }
  }

  private AnswerSeal() {}

  /** The sealing key for a credential, a key namespace and a raw Idempotency-Key. */
  static byte[] key(String credential, String scope, String idempotencyKey) {
    try {
      Mac mac = HMAC.get();
      mac.init(
          new SecretKeySpec(
              (credential == null ? "" : credential).getBytes(StandardCharsets.UTF_8),
              "HmacSHA256"));
      return mac.doFinal(
          ("nudge idempotent answer\n" + scope + "\n" + idempotencyKey)
              .getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String seal(byte[] key, String body) {
    if (body == null) {
      return null;
    }
    try {
      byte[] iv = new byte[IV_BYTES];
      RANDOM.nextBytes(iv);
      Cipher aes = AES.get();
      aes.init(
          Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, iv));
      byte[] sealed = aes.doFinal(body.getBytes(StandardCharsets.UTF_8));
      return PREFIX
          + Base64.getEncoder()
              .encodeToString(
                  ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The stored body as the client sent it back; a body stored before sealing is returned as is. */
  static String open(byte[] key, String stored) throws Unopenable {
    if (stored == null || !stored.startsWith(PREFIX)) {
      return stored;
    }
    byte[] all = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
    try {
      Cipher aes = AES.get();
      aes.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(key, "AES"),
          new GCMParameterSpec(TAG_BITS, all, 0, IV_BYTES));
      return new String(aes.doFinal(all, IV_BYTES, all.length - IV_BYTES), StandardCharsets.UTF_8);
    } catch (javax.crypto.AEADBadTagException e) {
      throw new Unopenable();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
