package dev.nudge.webhook;

import static dev.nudge.support.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nudge.support.Api;
import dev.nudge.support.Fixtures;
import dev.nudge.support.Receiver;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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

  @Test
  void withNoEndpointEnabledOneStepPassesEveryCommittedEventAndALaterEndpointGetsOnlyLaterOnes()
      throws Exception {
    String key = Api.newTenant("live");
    String seller = Fixtures.party(key);
    String buyer = Fixtures.party(key);
    List<String> before = new ArrayList<>();
    // Other tests' endpoints share this database: those enabled now are disabled meanwhile.
    List<String> disabled = setStatus("enabled", "disabled", null);
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
                number(
                    "select count(*) from webhook_delivery d join event e on e.id = d.event_id"
                        + " where e.subject_id = ?",
                    trade))
            .as("no delivery for an event no endpoint could take")
            .isZero();
      }
    } finally {
      setStatus("disabled", "enabled", disabled);
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

  /** Moves endpoints from one status to another (all of them, or only {@code ids}). */
  private List<String> setStatus(String from, String to, List<String> ids) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "update webhook_endpoint set status = ? where status = ?"
                    + " and (?::text[] is null or id = any(?::text[])) returning id")) {
      ps.setString(1, to);
      ps.setString(2, from);
      java.sql.Array only = ids == null ? null : c.createArrayOf("text", ids.toArray());
      ps.setArray(3, only);
      ps.setArray(4, only);
      List<String> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    }
  }

  private boolean flag(String sql, String param) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, param);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  private long number(String sql, String param) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, param);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
