package dev.nudge.webhook;

import dev.nudge.common.ids.Ids;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures: {@code v1,<base64 HMAC-SHA256("{id}.{timestamp}.{body}")>} keyed
 * with the base64-decoded part of a {@code whsec_} secret; several secrets sign side by side.
 */
public final class WebhookSigner {

  public static final String PREFIX = "whsec_";

  private final List<String> secrets;
  private final List<Mac> macs;

  /**
   * A signer for one endpoint's current secrets. Looking up and keying a {@code Mac} costs more
   * than the HMAC of a small body, so each secret's {@code Mac} is keyed once and reused ({@code
   * doFinal} resets it to its key). Not thread-safe: one endpoint's requests are signed on its own
   * event loop.
   */
  public WebhookSigner(List<String> secrets) {
    this.secrets = List.copyOf(secrets);
    this.macs = new ArrayList<>(secrets.size());
    for (String secret : secrets) {
      macs.add(keyed(secret));
    }
  }

  public List<String> secrets() {
    return secrets;
  }

  /** The {@code webhook-signature} header value for a body given as UTF-8 bytes. */
  public String sign(String id, long timestamp, byte[] body) {
    byte[] prefix = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(48 * macs.size());
    for (Mac mac : macs) {
      mac.update(prefix);
      if (!out.isEmpty()) {
        out.append(' ');
      }
      out.append("v1,").append(Base64.getEncoder().encodeToString(mac.doFinal(body)));
    }
    return out.toString();
  }

  /** A new secret: {@code whsec_} and base64 of 32 random bytes. */
  public static String newSecret() {
    return PREFIX + Base64.getEncoder().encodeToString(Ids.randomBytes(32));
  }

  /** The {@code webhook-signature} header value: one {@code v1,…} per secret, space-separated. */
  public static String sign(String id, long timestamp, String body, List<String> secrets) {
    return new WebhookSigner(secrets).sign(id, timestamp, body.getBytes(StandardCharsets.UTF_8));
  }

  private static Mac keyed(String secret) {
    String encoded = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(Base64.getDecoder().decode(encoded), "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable", e);
    }
  }
}
