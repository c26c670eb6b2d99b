package dev.nudge.webhook;

import static dev.nudge.support.Api.as;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nudge.event.EventOutbox;
import dev.nudge.support.Api;
import dev.nudge.support.Events;
import dev.nudge.support.Receiver;
import dev.nudge.support.StandardWebhooksVerifier;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * In the happy path every event reaches every endpoint exactly once, counted by webhook-id at the
 * receivers, with one attempt row per delivery: more events than an endpoint holds at a time, so
 * both the fan-out's own leases and later claims carry them.
 */
@QuarkusTest
class WebhookExactlyOnceTest {

  @Inject EventOutbox outbox;
  @Inject AgroalDataSource db;

  @Test
  void everyEventArrivesOncePerEndpointWhenNothingFails() throws Exception {
    var tenant = Api.newTenantResponse("live");
    String tenantId = tenant.path("id");
    String key = tenant.path("apiKey");
    List<Receiver> receivers = List.of(new Receiver(), new Receiver(), new Receiver());
    try {
      Map<Receiver, String> secrets = new HashMap<>();
      List<String> endpointIds = new ArrayList<>();
      for (Receiver r : receivers) {
        var created =
            as(key)
                .body(Map.of("url", r.url(), "eventTypes", List.of("trade.*")))
                .post("/v1/webhook-endpoints")
                .then()
                .statusCode(201)
                .extract();
        secrets.put(r, created.path("secret"));
        endpointIds.add(created.path("id"));
      }
      // Two large transactions (beyond the 200 an endpoint holds at once) and single events.
      List<String> events =
          new ArrayList<>(Events.appendMany(outbox, tenantId, "trade.created", 350));
      for (int i = 0; i < 20; i++) {
        events.add(Events.append(outbox, tenantId, "trade.updated"));
      }
      events.addAll(Events.appendMany(outbox, tenantId, "trade.completed", 250));

      for (Receiver r : receivers) {
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> events.stream().allMatch(id -> !r.requestsFor(id).isEmpty()));
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> pending(endpointIds) == 0);

      for (Receiver r : receivers) {
        Map<String, Long> byId =
            r.requests().stream()
                .collect(Collectors.groupingBy(q -> q.header("webhook-id"), Collectors.counting()));
        assertEquals(events.size(), byId.size(), "every event arrived");
        assertTrue(
            byId.values().stream().allMatch(n -> n == 1),
            "no event arrived twice: "
                + byId.entrySet().stream().filter(e -> e.getValue() > 1).toList());
        for (Receiver.Request q : r.requests()) {
          assertTrue(
              StandardWebhooksVerifier.verify(
                  secrets.get(r),
                  q.header("webhook-id"),
                  q.header("webhook-timestamp"),
                  q.body(),
                  q.header("webhook-signature")));
        }
      }
      try (Connection c = db.getConnection();
          PreparedStatement ps =
              c.prepareStatement(
                  "select count(*), count(*) filter (where d.status = 'succeeded' and attempts = 1),"
                      + " (select count(*) from webhook_attempt a where a.endpoint_id = any (?)"
                      + " and a.status = 'succeeded' and a.attempt = 1),"
                      + " (select count(*) from webhook_attempt a where a.endpoint_id = any (?))"
                      + " from webhook_delivery d where d.endpoint_id = any (?)")) {
        var ids = c.createArrayOf("text", endpointIds.toArray());
        ps.setArray(1, ids);
        ps.setArray(2, ids);
        ps.setArray(3, ids);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          int expected = events.size() * receivers.size();
          assertEquals(expected, rs.getInt(1), "one delivery per event and endpoint");
          assertEquals(expected, rs.getInt(2), "each succeeded at the first attempt");
          assertEquals(expected, rs.getInt(3), "one succeeded attempt row each");
          assertEquals(expected, rs.getInt(4), "and no other attempt rows");
        }
      }
    } finally {
      receivers.forEach(Receiver::close);
    }
  }

  private int pending(List<String> endpointIds) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select count(*) from webhook_delivery where endpoint_id = any (?)"
                    + " and status <> 'succeeded'")) {
      ps.setArray(1, c.createArrayOf("text", endpointIds.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}
