package dev.nudge.schedule;

import static dev.nudge.support.Fixtures.act;
import static dev.nudge.support.Fixtures.advance;
import static dev.nudge.support.Fixtures.party;
import static dev.nudge.support.Fixtures.reminders;
import static dev.nudge.support.Fixtures.trade;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nudge.support.Api;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A trade whose timer cannot fire (unreadable stored data, or a write the database refuses) must
 * not hold up the others: they fire, it is put back for a later retry, and once it can fire it
 * fires what was due when it was due.
 */
@QuarkusTest
class PoisonedTimerTest {

  @Inject TimerEngine scheduler;
  @Inject AgroalDataSource db;

  @Test
  void poisonedTradesAreSkippedAndRetriedWithoutBlockingTheRest() throws Exception {
    // All fall due one minute ago, the two poisoned ones first in due order.
    Due due = dueInOrder(6);
    String key = due.key();
    List<String> ids = due.ids();
    String unreadable = ids.get(0);
    String refused = ids.get(1);
    Instant dueUnreadable = instant("select reminders_next_at from trade where id = ?", unreadable);
    String policy = string("select policy::text from trade where id = ?", unreadable);
    sql("update trade set policy = '{\"unexpected\": true}' where id = ?", unreadable);
    sql(
        "create function refuse_history() returns trigger language plpgsql as $$ begin"
            + " if new.trade_id = '"
            + refused
            + "' then raise exception 'refused'; end if; return new; end $$");
    sql(
        "create trigger refuse_history before insert on trade_history"
            + " for each row execute function refuse_history()");
    try {
      // Batches of two: the poisoned pair would fill the first batch on every claim if it were
      // left due; the run must still end and reach the other four.
      assertThat(scheduler.runDue(2)).isEqualTo(4);
    } finally {
      sql("drop trigger refuse_history on trade_history");
      sql("drop function refuse_history()");
    }
    for (String healthy : ids.subList(2, 6)) {
      assertThat(reminders(key, healthy)).hasSize(1);
      assertThat(integer("select reminders_sent from trade where id = ?", healthy)).isEqualTo(1);
    }
    for (String poisoned : List.of(unreadable, refused)) {
      assertThat(integer("select reminders_sent from trade where id = ?", poisoned)).isZero();
      assertThat(integer("select count(*) from reminder where trade_id = ?", poisoned)).isZero();
      assertThat(integer("select count(*) from event where subject_id = ?", poisoned))
          .as("only trade.created and the request's event")
          .isEqualTo(2);
      assertThat(instant("select timer_at from trade where id = ?", poisoned))
          .as("put back for a retry")
          .isAfter(Instant.now());
    }

    // The scheduler's metrics show the failures, the transitions and how late timers fired.
    String metrics =
        io.restassured.RestAssured.given()
            .get("/q/metrics")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertThat(counter(metrics, "nudge_scheduler_failures_total{machine=\"trade\"}"))
        .isGreaterThanOrEqualTo(2);
    assertThat(
            counter(
                metrics,
                "nudge_transitions_total{from=\"awaiting_reply\",machine=\"trade\",to=\"reminded\"}"))
        .isGreaterThanOrEqualTo(4);
    assertThat(counter(metrics, "nudge_scheduler_claim_lag_seconds_count{machine=\"trade\"}"))
        .isGreaterThanOrEqualTo(4);
    assertThat(metrics).contains("nudge_scheduler_due_timers{machine=\"trade\"}");

    // Repaired, and the retry time come: both fire the reminder that was due, dated when it was.
    sql("update trade set policy = ?::jsonb where id = ?", policy, unreadable);
    sql(
        "update trade set timer_at = now() - interval '1 second' where id = any(?)",
        (Object) new String[] {unreadable, refused});
    assertThat(scheduler.runDue(2)).isGreaterThanOrEqualTo(2);
    List<Map<String, Object>> sent = reminders(key, unreadable);
    assertThat(sent).hasSize(1);
    assertThat(Instant.parse((String) sent.get(0).get("sentAt"))).isEqualTo(dueUnreadable);
    assertThat(reminders(key, refused)).hasSize(1);
  }

  /**
   * A batch large enough to travel by COPY, refused once, is written again in halves within the
   * same transaction: each half writes only its own rows, once, and the refused trade waits alone.
   */
  @Test
  void aRefusedTradeInALargeBatchLeavesEveryOtherTradeWrittenOnce() throws Exception {
    List<String> ids = dueInOrder(40).ids();
    String refused = ids.get(30);
    int versionBefore = integer("select version from trade where id = ?", ids.get(0));
    sql(
        "create function refuse_large_batch() returns trigger language plpgsql as $$ begin"
            + " if new.trade_id = '"
            + refused
            + "' then raise exception 'refused'; end if; return new; end $$");
    sql(
        "create trigger refuse_large_batch before insert on trade_history"
            + " for each row execute function refuse_large_batch()");
    try {
      assertThat(scheduler.runDue(40)).isEqualTo(39);
    } finally {
      sql("drop trigger refuse_large_batch on trade_history");
      sql("drop function refuse_large_batch()");
    }
    for (String id : ids) {
      boolean healthy = !id.equals(refused);
      assertThat(integer("select reminders_sent from trade where id = ?", id))
          .as(id)
          .isEqualTo(healthy ? 1 : 0);
      assertThat(integer("select version from trade where id = ?", id))
          .as("one version per change")
          .isEqualTo(healthy ? versionBefore + 1 : versionBefore);
      assertThat(integer("select count(*) from reminder where trade_id = ?", id))
          .isEqualTo(healthy ? 1 : 0);
      assertThat(
              integer(
                  "select count(*) from trade_history where trade_id = ? and action = 'reminder'",
                  id))
          .isEqualTo(healthy ? 1 : 0);
    }
    assertThat(instant("select timer_at from trade where id = ?", refused))
        .as("put back for a retry")
        .isAfter(Instant.now());
  }

  @Test
  void theTestClockSkipsAPoisonedTradeAndAnswers() throws Exception {
    String key = Api.newTenant("test");
    String seller = party(key);
    String buyer = party(key);
    String poisoned = trade(key, seller, buyer, null);
    String healthy = trade(key, seller, buyer, null);
    act(key, poisoned, "request_reply", seller);
    act(key, healthy, "request_reply", seller);
    sql("update trade set policy = '{\"unexpected\": true}' where id = ?", poisoned);

    assertThat(advance(key, "P3D")).isEqualTo(1);
    assertThat(reminders(key, healthy)).hasSize(1);
    assertThat(integer("select reminders_sent from trade where id = ?", poisoned)).isZero();
  }

  /**
   * {@code n} trades of a new live tenant, each waiting for a reply whose first reminder fell due
   * one minute ago, a millisecond apart in list order.
   */
  private Due dueInOrder(int n) throws SQLException {
    String key = Api.newTenant("live");
    String seller = party(key);
    String buyer = party(key);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id = trade(key, seller, buyer, null);
      act(key, id, "request_reply", seller);
      ids.add(id);
    }
    for (int i = 0; i < ids.size(); i++) {
      sql(
          "update trade set awaiting_due_at = now() - interval '1 minute' + ? * interval '1 ms',"
              + " reminders_next_at = now() - interval '1 minute' + ? * interval '1 ms',"
              + " timer_at = now() - interval '1 minute' + ? * interval '1 ms' where id = ?",
          i,
          i,
          i,
          ids.get(i));
    }
    return new Due(key, ids);
  }

  /** A tenant's API key and its due trades. */
  private record Due(String key, List<String> ids) {}

  /** The value of one Prometheus sample line, e.g. {@code name{labels} 3.0}. */
  private static double counter(String metrics, String sample) {
    return metrics
        .lines()
        .filter(l -> l.startsWith(sample + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(sample.length() + 1).trim()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no sample " + sample));
  }

  private void sql(String sql, Object... params) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      bind(c, ps, params);
      ps.execute();
    }
  }

  /** Reads one column of a database row. */
  private interface Column<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /** The first column of the query's single row. */
  private <T> T one(Column<T> column, String sql, Object... params) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      bind(c, ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return column.read(rs);
      }
    }
  }

  private int integer(String sql, Object... params) throws SQLException {
    return one(rs -> rs.getInt(1), sql, params);
  }

  private String string(String sql, Object... params) throws SQLException {
    return one(rs -> rs.getString(1), sql, params);
  }

  private Instant instant(String sql, Object... params) throws SQLException {
    return one(rs -> rs.getObject(1, OffsetDateTime.class).toInstant(), sql, params);
  }

  private static void bind(Connection c, PreparedStatement ps, Object... params)
      throws SQLException {
    for (int i = 0; i < params.length; i++) {
      if (params[i] instanceof String[] a) {
        ps.setArray(i + 1, c.createArrayOf("text", a));
      } else {
        ps.setObject(i + 1, params[i]);
      }
    }
  }
}
