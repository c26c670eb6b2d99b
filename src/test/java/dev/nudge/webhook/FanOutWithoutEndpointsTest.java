package dev.nudge.webhook;

import static dev.nudge.support.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nudge.support.Api;
import dev.nudge.support.Fixtures;
import dev.nudge.support.Receiver;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * While no endpoint is enabled anywhere, the fan-out passes every committed event at once: the
 * cursor lands on the newest one, no delivery is written, and an endpoint created afterwards
 * receives only what comes after it.
 */
@QuarkusTest
class FanOutWithoutEndpointsTest {

  @Inject AgroalDataSource db;
  @Inject WebhookDispatcher dispatcher;

  @Test
  void withNoEndpointEnabledTheCursorPassesEveryCommittedEventAndALaterEndpointGetsOnlyLaterOnes()
      throws Exception {
    String key = Api.newTenant("live");
    String seller = Fixtures.party(key);
    String buyer = Fixtures.party(key);
    List<String> before = new ArrayList<>();
    // Other tests' endpoints share this database: they are disabled for the first part only.
    List<String> disabled = setStatus("enabled", "disabled", List.of());
    try {
      for (int i = 0; i < 3; i++) {
        before.add(Fixtures.trade(key, seller, buyer, null));
      }
      long newest = number("select max(position) from event", null);
      dispatcher.poll();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> number("select position from webhook_fanout_cursor", null) >= newest);
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

  /** Moves endpoints from one status to another (only {@code ids}, unless empty); returns them. */
  private List<String> setStatus(String from, String to, List<String> ids) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "update webhook_endpoint set status = ? where status = ?"
                    + " and (cardinality(?::text[]) = 0 or id = any(?::text[])) returning id")) {
      ps.setString(1, to);
      ps.setString(2, from);
      ps.setArray(3, c.createArrayOf("text", ids.toArray()));
      ps.setArray(4, c.createArrayOf("text", ids.toArray()));
      List<String> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    }
  }

  private long number(String sql, String param) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      if (param != null) {
        ps.setString(1, param);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
