package dev.nudge.webhook;

import static dev.nudge.support.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nudge.support.Api;
import dev.nudge.support.Fixtures;
import dev.nudge.support.Receiver;
import dev.nudge.support.Sql;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * While no endpoint is enabled anywhere, the fan-out passes every committed event at once: one step
 * of a batch of one moves the cursor past all of them (the usual path would move it by one event),
 * no delivery is written, and an endpoint created afterwards receives only what comes after it. The
 * profile's poll never comes within the test, so the dispatcher stays out of the way.
 */
@QuarkusTest
@TestProfile(WebhookTimeoutsProfile.class)
class FanOutWithoutEndpointsTest {

  @Inject AgroalDataSource db;
  @Inject EventFanOut fanOut;

  /** Whether the query's single row says true. */
  private boolean flag(String query, Object... params) throws SQLException {
    return new Sql(db).one(rs -> rs.getBoolean(1), query, params);
  }

  @Test
  void withNoEndpointEnabledOneStepPassesEveryCommittedEventAndALaterEndpointGetsOnlyLaterOnes()
      throws Exception {
    String key = Api.newTenant("live");
    String seller = Fixtures.party(key);
    String buyer = Fixtures.party(key);
    List<String> before = new ArrayList<>();
    // Other tests' endpoints share this database: those enabled now are disabled meanwhile.
    Sql sql = new Sql(db);
    String[] disabled =
        sql.one(
            rs -> (String[]) rs.getArray(1).getArray(),
            "with u as (update webhook_endpoint set status = 'disabled' where status = 'enabled'"
                + " returning id) select coalesce(array_agg(id), '{}') from u");
    try {
      for (int i = 0; i < 3; i++) {
        before.add(Fixtures.trade(key, seller, buyer, null));
      }
      String last = (String) Fixtures.events(key, before.get(2)).get(0).get("id");
      // Committed, and no older transaction still open: the fan-out may pass it.
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  flag(
                      "select txid < pg_snapshot_xmin(pg_current_snapshot()) from event"
                          + " where id = ?",
                      last));
      Instant now = Instant.now();
      fanOut.fanOut(1, Integer.MAX_VALUE, Map.of(), 0, now, now.plusSeconds(60));
      assertThat(
              flag(
                  "select (c.txid, c.position) >= (e.txid, e.position)"
                      + " from webhook_fanout_cursor c, event e where e.id = ?",
                  last))
          .as("one step passed the newest event")
          .isTrue();
      for (String trade : before) {
        assertThat(
                sql.count(
                    "select count(*) from webhook_delivery d join event e on e.id = d.event_id"
                        + " where e.subject_id = ?",
                    trade))
            .as("no delivery for an event no endpoint could take")
            .isZero();
      }
    } finally {
      sql.run(
          "update webhook_endpoint set status = 'enabled' where id = any(?)", (Object) disabled);
    }
    try (Receiver receiver = new Receiver()) {
      as(key)
          .body(Map.of("url", receiver.url(), "eventTypes", List.of("*")))
          .post("/v1/webhook-endpoints")
          .then()
          .statusCode(201);
      String after = Fixtures.trade(key, seller, buyer, null);
      String created = (String) Fixtures.events(key, after).get(0).get("id");
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(receiver.requestsFor(created)).hasSize(1));
      for (String trade : before) {
        for (Map<String, Object> e : Fixtures.events(key, trade)) {
          assertThat(receiver.requestsFor((String) e.get("id"))).isEmpty();
        }
      }
    }
  }
}
