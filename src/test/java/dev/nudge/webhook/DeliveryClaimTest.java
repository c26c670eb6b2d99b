package dev.nudge.webhook;

import static dev.nudge.support.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nudge.event.EventOutbox;
import dev.nudge.support.Api;
import dev.nudge.support.Events;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Replicas share the queue: SKIP LOCKED claims never overlap, and expired leases are retaken. */
@QuarkusTest
class DeliveryClaimTest {

  @Inject EventOutbox outbox;
  @Inject AgroalDataSource db;
  @Inject DeliveryStore store;

  @Test
  void concurrentClaimsAreDisjointAndADeadReplicasLeaseIsRetaken() throws Exception {
    var tenant = Api.newTenantResponse("live");
    String tenantId = tenant.path("id");
    List<String> events =
        IntStream.range(0, 40)
            .mapToObj(i -> Events.append(outbox, tenantId, "trade.created"))
            .toList();
    // Created after the events, so the fan-out gives it none of them; the rows below are ours.
    String endpointId =
        as((String) tenant.path("apiKey"))
            .body(Map.of("url", "http://127.0.0.1:9/never", "eventTypes", List.of("*")))
            .post("/v1/webhook-endpoints")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    // Due in the future of the real clock, so the running dispatcher leaves them alone.
    Instant due = Instant.now().plusSeconds(3600);
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "insert into webhook_delivery (endpoint_id, tenant_id, event_id, origin, status,"
                    + " next_attempt_at, created_at, updated_at)"
                    + " values (?, ?, ?, 'event', 'pending', ?, now(), now())")) {
      for (String event : events) {
        ps.setString(1, endpointId);
        ps.setString(2, tenantId);
        ps.setString(3, event);
        ps.setTimestamp(4, Timestamp.from(due));
        ps.addBatch();
      }
      ps.executeBatch();
    }

    Instant replicaNow = due.plusSeconds(1);
    Instant leaseUntil = replicaNow.plusSeconds(75);
    Callable<List<DeliveryStore.Claimed>> replica =
        () -> store.claim(Map.of(endpointId, 500), replicaNow, leaseUntil).claimed();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    Set<Long> claimed = new HashSet<>();
    int total = 0;
    try {
      for (Future<List<DeliveryStore.Claimed>> f :
          pool.invokeAll(List.of(replica, replica, replica, replica))) {
        for (DeliveryStore.Claimed d : f.get()) {
          if (d.endpointId().equals(endpointId)) {
            claimed.add(d.id());
            total++;
          }
        }
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(40, total, "every delivery claimed");
    assertEquals(40, claimed.size(), "no delivery claimed twice");

    // While the lease runs nobody else gets them...
    assertTrue(
        store
            .claim(Map.of(endpointId, 500), replicaNow.plusSeconds(10), leaseUntil)
            .claimed()
            .stream()
            .noneMatch(d -> d.endpointId().equals(endpointId)));
    // ...and once it has expired (the replica died), another replica takes them over.
    long retaken =
        store
            .claim(Map.of(endpointId, 500), leaseUntil.plusSeconds(1), leaseUntil.plusSeconds(80))
            .claimed()
            .stream()
            .filter(d -> d.endpointId().equals(endpointId))
            .count();
    assertEquals(40, retaken);
  }
}
