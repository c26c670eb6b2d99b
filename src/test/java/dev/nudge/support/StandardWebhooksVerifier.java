package dev.nudge.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A receiver's verification, written from the Standard Webhooks specification and deliberately
 * sharing no code with the signer under test.
 */
public final class StandardWebhooksVerifier {

  private StandardWebhooksVerifier() {}

  public static boolean verify(
      String secret, String msgId, String timestamp, String body, String signatureHeader) {
    try {
      byte[] key = Base64.getDecoder().decode(secret.replaceFirst("^whsec_", ""));
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] expected =
          mac.doFinal((msgId + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
      for (String part : signatureHeader.split(" ")) {
        String[] versioned = part.split(",", 2);
        if (versioned.length == 2
            && versioned[0].equals("v1")
            && MessageDigest.isEqual(expected, Base64.getDecoder().decode(versioned[1]))) {
          return true;
        }
      }
      return false;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
