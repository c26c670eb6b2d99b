package dev.nudge.webhook;

import static dev.nudge.support.Api.as;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.nudge.event.EventOutbox;
import dev.nudge.support.Api;
import dev.nudge.support.Events;
import dev.nudge.support.Receiver;
import dev.nudge.support.Receiver.Answer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A receiver that answers 500, then hangs past the timeout, then refuses connections for hours,
 * then recovers: every event arrives, and the attempt log follows the retry schedule. The tenant is
 * in test mode, so its test clock drives the retries and the outage lasts hours in seconds.
 */
@QuarkusTest
@TestProfile(WebhookTimeoutsProfile.class)
class ReceiverOutageTest {

  /** The production schedule's first delays, set by the profile. */
  private static final List<Duration> SCHEDULE =
      List.of(
          Duration.ofSeconds(5),
          Duration.ofMinutes(5),
          Duration.ofMinutes(30),
          Duration.ofHours(2));

  @Inject EventOutbox outbox;

  private String key;
  private String endpointId;

  @Test
  void everyEventArrivesAfterAnOutageAndTheAttemptsFollowTheSchedule() {
    var tenant = Api.newTenantResponse("test");
    String tenantId = tenant.path("id");
    key = tenant.path("apiKey");
    Receiver receiver = new Receiver().respond(r -> Answer.of(500));
    int port = receiver.port();
    Set<String> arrived = new HashSet<>();
    try {
      endpointId =
          as(key)
              .body(Map.of("url", receiver.url(), "eventTypes", List.of("*")))
              .post("/v1/webhook-endpoints")
              .then()
              .statusCode(201)
              .extract()
              .path("id");
      List<String> events = Events.appendMany(outbox, tenantId, "trade.created", 3);
      Instant start = now();

      // 1: the receiver answers 500.
      awaitAttempts(events, 1);
      assertEquals(start, Instant.parse(endpoint().path("failingSince")), "on the tenant's clock");
      // 2: it hangs past the 2 s timeout.
      receiver.respond(
          r -> {
            try {
              Thread.sleep(5_000);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return Answer.of(200);
          });
      advance("PT6S");
      awaitAttempts(events, 2);
      // 3 and 4: nothing listens any more.
      receiver.close();
      advance("PT6M");
      awaitAttempts(events, 3);
      advance("PT35M");
      awaitAttempts(events, 4);
      // 5: it is back, on the same port.
      receiver = new Receiver(port);
      advance("PT2H15M");
      awaitAttempts(events, 5);
      for (Receiver.Request r : receiver.requests()) {
        arrived.add(r.header("webhook-id"));
      }
      assertEquals(Set.copyOf(events), arrived, "every event arrived after the outage");

      Map<String, List<Map<String, Object>>> byEvent =
          attempts().stream().collect(Collectors.groupingBy(a -> (String) a.get("eventId")));
      for (String event : events) {
        List<Map<String, Object>> log = new ArrayList<>(byEvent.get(event));
        log.sort(Comparator.comparing(a -> (Integer) a.get("attempt")));
        assertEquals(
            List.of("failed", "failed", "failed", "failed", "succeeded"),
            log.stream().map(a -> a.get("status")).toList(),
            log.toString());
        assertEquals(500, log.get(0).get("httpStatus"), log.toString());
        assertThat((String) log.get(1).get("error"), startsWith("timed out after PT2S"));
        assertThat((String) log.get(2).get("error"), startsWith("connection failed"));
        assertThat((String) log.get(3).get("error"), startsWith("connection failed"));
        assertEquals(200, log.get(4).get("httpStatus"));
        assertNull(log.get(4).get("nextAttemptAt"));
        for (int i = 0; i < 4; i++) {
          Instant at = Instant.parse((String) log.get(i).get("attemptedAt"));
          Instant next = Instant.parse((String) log.get(i).get("nextAttemptAt"));
          Duration delay = Duration.between(at, next);
          Duration planned = SCHEDULE.get(i);
          // The schedule's delay with up to 10 % jitter either way...
          assertThat(delay.toMillis(), greaterThanOrEqualTo(planned.toMillis() * 9 / 10));
          assertThat(delay.toMillis(), lessThanOrEqualTo(planned.toMillis() * 11 / 10));
          // ...and the next attempt only once it was due.
          Instant nextAt = Instant.parse((String) log.get(i + 1).get("attemptedAt"));
          assertThat(next.compareTo(nextAt), lessThanOrEqualTo(0));
        }
      }
      var view = endpoint();
      assertEquals("enabled", view.path("status"));
      assertNull(view.path("failingSince"), "the success ended the failure run");
    } finally {
      receiver.close();
    }
  }

  private Instant now() {
    return Instant.parse(as(key).get("/v1/clock").then().statusCode(200).extract().path("now"));
  }

  private void advance(String by) {
    as(key).body(Map.of("by", by)).post("/v1/clock/advance").then().statusCode(200);
  }

  private io.restassured.response.ExtractableResponse<io.restassured.response.Response> endpoint() {
    return as(key).get("/v1/webhook-endpoints/" + endpointId).then().statusCode(200).extract();
  }

  private List<Map<String, Object>> attempts() {
    return as(key)
        .get("/v1/webhook-endpoints/" + endpointId + "/attempts?limit=200")
        .then()
        .statusCode(200)
        .extract()
        .path("data");
  }

  /** Waits until every event has {@code n} attempts in the log. */
  private void awaitAttempts(List<String> events, int n) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              Map<Object, Long> counts =
                  attempts().stream()
                      .collect(Collectors.groupingBy(a -> a.get("eventId"), Collectors.counting()));
              return events.stream().allMatch(e -> counts.getOrDefault(e, 0L) >= n);
            });
  }
}
