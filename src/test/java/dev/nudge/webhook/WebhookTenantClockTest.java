package dev.nudge.webhook;

import static dev.nudge.support.Api.as;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.nudge.event.EventOutbox;
import dev.nudge.support.Api;
import dev.nudge.support.Events;
import dev.nudge.support.Receiver;
import dev.nudge.support.Receiver.Answer;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * On a test-mode tenant every time of its webhook resources is on its test clock: the endpoint's
 * times, the secret overlap, the failure run, and the attempt log; retries fall due on that clock.
 */
@QuarkusTest
class WebhookTenantClockTest {

  @Inject EventOutbox outbox;

  private String key;

  @Test
  void everyWebhookTimeOfATestTenantIsOnItsClock() {
    var tenant = Api.newTenantResponse("test");
    String tenantId = tenant.path("id");
    key = tenant.path("apiKey");
    // Three days ahead of the wall clock, so a time taken from the wrong clock shows.
    advance("P3D");
    Instant now = now();
    AtomicInteger calls = new AtomicInteger();
    try (Receiver receiver =
        new Receiver()
            .respond(r -> calls.incrementAndGet() == 1 ? Answer.of(500) : Answer.of(200))) {
      var created =
          as(key)
              .body(Map.of("url", receiver.url(), "eventTypes", List.of("*")))
              .post("/v1/webhook-endpoints")
              .then()
              .statusCode(201)
              .extract();
      String id = created.path("id");
      assertEquals(now, Instant.parse(created.path("createdAt")));

      var rotated =
          as(key)
              .post("/v1/webhook-endpoints/" + id + "/rotate-secret")
              .then()
              .statusCode(200)
              .extract();
      assertEquals(
          now.plus(Duration.ofHours(24)), Instant.parse(rotated.path("previousSecretExpiresAt")));
      assertEquals(now, Instant.parse(rotated.path("updatedAt")));

      String first = Events.append(outbox, tenantId, "trade.created");
      await().atMost(Duration.ofSeconds(30)).until(() -> receiver.requestsFor(first).size() == 1);
      assertEquals(
          2,
          receiver.requestsFor(first).get(0).header("webhook-signature").split(" ").length,
          "both secrets sign while the overlap lasts");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> attempts(id).size() == 1 && endpoint(id).path("failingSince") != null);
      Map<String, Object> failed = attempts(id).get(0);
      assertEquals(now, Instant.parse((String) failed.get("attemptedAt")));
      Duration retry = Duration.between(now, Instant.parse((String) failed.get("nextAttemptAt")));
      // The test schedule's first delay, 1 s with up to 10 % jitter, on the tenant's clock.
      assertThat(retry.toMillis(), greaterThanOrEqualTo(900L));
      assertThat(retry.toMillis(), lessThanOrEqualTo(1100L));
      assertEquals(now, Instant.parse(endpoint(id).path("failingSince")));

      // The retry waits for the tenant's clock, whatever the wall clock does meanwhile.
      advance("PT2S");
      Instant later = now();
      await().atMost(Duration.ofSeconds(30)).until(() -> attempts(id).size() == 2);
      assertEquals(2, receiver.requestsFor(first).size());
      Map<String, Object> succeeded = attempts(id).get(0);
      assertEquals("succeeded", succeeded.get("status"));
      assertEquals(later, Instant.parse((String) succeeded.get("attemptedAt")));
      await().atMost(Duration.ofSeconds(30)).until(() -> endpoint(id).path("failingSince") == null);

      // A day on, the overlap is over on the tenant's clock: the old secret no longer signs.
      advance("P1D");
      assertNull(endpoint(id).path("previousSecretExpiresAt"));
      String second = Events.append(outbox, tenantId, "trade.created");
      await().atMost(Duration.ofSeconds(30)).until(() -> receiver.requestsFor(second).size() == 1);
      assertEquals(
          1, receiver.requestsFor(second).get(0).header("webhook-signature").split(" ").length);
    }
  }

  private Instant now() {
    return Instant.parse(as(key).get("/v1/clock").then().statusCode(200).extract().path("now"));
  }

  private void advance(String by) {
    as(key).body(Map.of("by", by)).post("/v1/clock/advance").then().statusCode(200);
  }

  private io.restassured.response.ExtractableResponse<io.restassured.response.Response> endpoint(
      String id) {
    return as(key).get("/v1/webhook-endpoints/" + id).then().statusCode(200).extract();
  }

  private List<Map<String, Object>> attempts(String id) {
    return as(key)
        .get("/v1/webhook-endpoints/" + id + "/attempts")
        .then()
        .statusCode(200)
        .extract()
        .path("data");
  }
}
