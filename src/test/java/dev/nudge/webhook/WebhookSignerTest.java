package dev.nudge.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nudge.support.StandardWebhooksVerifier;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {

  @Test
  void secretsAreWhsecAndBase64Of32Bytes() {
    String secret = WebhookSigner.newSecret();
    assertTrue(secret.startsWith("whsec_"));
    assertEquals(32, Base64.getDecoder().decode(secret.substring(6)).length);
  }

  /** The test vector published with the Standard Webhooks reference libraries. */
  @Test
  void matchesTheStandardWebhooksReferenceVector() {
    String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    String id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    long ts = 1614265330;
    String body = "{\"test\": 2432232314}";
    assertEquals(
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        WebhookSigner.sign(id, ts, body, List.of(secret)));
  }

  @Test
  void severalSecretsGiveSpaceSeparatedSignaturesEachVerifiable() {
    String a = WebhookSigner.newSecret();
    String b = WebhookSigner.newSecret();
    String header = WebhookSigner.sign("evt_1", 1700000000, "{}", List.of(a, b));
    assertEquals(2, header.split(" ").length);
    assertTrue(StandardWebhooksVerifier.verify(a, "evt_1", "1700000000", "{}", header));
    assertTrue(StandardWebhooksVerifier.verify(b, "evt_1", "1700000000", "{}", header));
    assertTrue(
        !StandardWebhooksVerifier.verify(
            WebhookSigner.newSecret(), "evt_1", "1700000000", "{}", header));
  }
}
