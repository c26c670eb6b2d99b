package dev.nudge.webhook;

import dev.nudge.common.ids.Ids;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.StringJoiner;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures: {@code v1,<base64 HMAC-SHA256("{id}.{timestamp}.{body}")>} keyed
 * with the base64-decoded part of a {@code whsec_} secret; several secrets sign side by side.
 */
public final class WebhookSigner {

  public static final String PREFIX = "whsec_";

  private WebhookSigner() {}

  /** A new secret: {@code whsec_} and base64 of 32 random bytes. */
  public static String newSecret() {
    return PREFIX + Base64.getEncoder().encodeToString(Ids.randomBytes(32));
  }

  /** The {@code webhook-signature} header value: one {@code v1,…} per secret, space-separated. */
  public static String sign(String id, long timestamp, String body, List<String> secrets) {
    StringJoiner out = new StringJoiner(" ");
    for (String secret : secrets) {
      out.add("v1," + hmac(secret, id + "." + timestamp + "." + body));
    }
    return out.toString();
  }

  private static String hmac(String secret, String content) {
    String encoded = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(Base64.getDecoder().decode(encoded), "HmacSHA256"));
      return Base64.getEncoder()
          .encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable", e);
    }
  }
}
