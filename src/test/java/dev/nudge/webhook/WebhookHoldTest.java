package dev.nudge.webhook;

import static dev.nudge.support.Api.as;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nudge.event.EventOutbox;
import dev.nudge.support.Api;
import dev.nudge.support.Events;
import dev.nudge.support.Receiver;
import dev.nudge.support.Sql;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * The fan-out writes no more deliveries than the replica can hold: while an endpoint keeps its
 * requests open, a burst of events waits as events, not as queued deliveries; once the endpoint
 * answers, the fan-out goes on as room comes back, and every event arrives exactly once, each
 * delivery leased as it was written (none queued for a claim, one attempt each).
 */
@QuarkusTest
@TestProfile(WebhookHoldProfile.class)
class WebhookHoldTest {

  private static final int EVENTS = 300;
  private static final int HELD = 40;

  @Inject EventOutbox outbox;
  @Inject AgroalDataSource db;

  @Test
  void aBurstWaitsAsEventsWhileTheReplicaIsFullAndArrivesOnceWhenItDrains() throws Exception {
    var tenant = Api.newTenantResponse("live");
    String key = tenant.path("apiKey");
    CountDownLatch answer = new CountDownLatch(1);
    try (Receiver rx = new Receiver()) {
      rx.answerOnceReleased(answer);
      String endpointId =
          as(key)
              .body(Map.of("url", rx.url(), "eventTypes", List.of("*")))
              .post("/v1/webhook-endpoints")
              .then()
              .statusCode(201)
              .extract()
              .path("id");
      Sql sql = new Sql(db);
      List<String> ids = Events.appendMany(outbox, tenant.path("id"), "trade.created", EVENTS);

      await().atMost(Duration.ofSeconds(10)).until(() -> rx.requests().size() == 4);
      // The fan-out looks at the room again and again meanwhile; the replica stays full.
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(5))
          .until(() -> deliveries(sql, endpointId) <= HELD);
      assertTrue(deliveries(sql, endpointId) > 0);
      assertEquals(0, queued(sql, endpointId), "every delivery written was leased");

      answer.countDown();
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> ids.stream().allMatch(id -> !rx.requestsFor(id).isEmpty()));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  sql.count(
                          "select count(*) from webhook_delivery where endpoint_id = ?"
                              + " and status = 'succeeded' and attempts = 1",
                          endpointId)
                      == EVENTS);
      for (String id : ids) {
        assertEquals(1, rx.requestsFor(id).size(), "event " + id + " arrived once");
      }
      assertEquals(0, queued(sql, endpointId));
      assertEquals(
          EVENTS,
          sql.count("select count(*) from webhook_attempt where endpoint_id = ?", endpointId));
    }
  }

  /** Deliveries written unleased, for a later claim. */
  private static long queued(Sql sql, String endpointId) throws Exception {
    return sql.count(
        "select count(*) from webhook_delivery where endpoint_id = ? and lease_until is null"
            + " and attempts = 0",
        endpointId);
  }

  private static long deliveries(Sql sql, String endpointId) throws Exception {
    return sql.count("select count(*) from webhook_delivery where endpoint_id = ?", endpointId);
  }
}
