package dev.nudge.webhook;

import dev.nudge.webhook.DeliveryStore.Claimed;
import dev.nudge.webhook.DeliveryStore.Outcome;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Writes finished attempts set-based, many in one transaction: the attempt rows, each delivery's
 * move (succeeded, due again, or failed) with its lease released, and each endpoint's failure run,
 * which disables it on 410 or after {@code disableAfter} of continuous failure. Times are written
 * on the tenant's clock.
 */
@ApplicationScoped
public class AttemptLog {

  /**
   * One finished attempt: {@code at} is when it finished on the wall clock; {@code retryIn} is the
   * delay before the next attempt, or null when there is none (succeeded, gone, or out of retries).
   */
  public record Finished(
      Claimed delivery, String tenantId, Outcome outcome, Instant at, Duration retryIn) {

    String deliveryStatus() {
      return outcome.success() ? "succeeded" : retryIn == null ? "failed" : "pending";
    }
  }

  private static final String MILLIS = " * interval '1 millisecond'";
  private static final String EPOCH = "timestamptz 'epoch' + ";

  private final DeliveryStore store;

  public AttemptLog(DeliveryStore store) {
    this.store = store;
  }

  /**
   * Writes {@code batch} (in the order the attempts finished); returns the endpoints it disabled. A
   * delivery whose attempt count moved meanwhile (its lease ran out and another replica sent it
   * too) keeps the other replica's state; its attempt is still logged.
   */
  public Set<String> write(List<Finished> batch, Duration disableAfter) {
    return store.tx(
        c -> {
          writeAttempts(c, batch);
          return updateHealth(c, batch, disableAfter);
        });
  }

  private static void writeAttempts(Connection c, List<Finished> batch) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "with u as (select * from unnest(?::bigint[], ?::text[], ?::text[], ?::text[],"
                + " ?::text[], ?::int[], ?::text[], ?::int[], ?::int[], ?::text[], ?::text[],"
                + " ?::bigint[], ?::bigint[]) with ordinality as u(delivery_id, endpoint_id,"
                + " tenant_id, event_id, event_type, attempt, status, http_status, duration_ms,"
                + " response, error, at_ms, retry_ms, ord)),"
                + " f as (select u.*, coalesce(t.clock_now, "
                + EPOCH
                + "u.at_ms"
                + MILLIS
                + ") as at, 'pending'::text as was from u join tenant t on t.id = u.tenant_id),"
                + " a as (insert into webhook_attempt (delivery_id, endpoint_id, event_id,"
                + " event_type, attempt, status, http_status, duration_ms, response_body, error,"
                + " attempted_at, next_attempt_at) select delivery_id, endpoint_id, event_id,"
                + " event_type, attempt, case when status = 'succeeded' then 'succeeded'"
                + " else 'failed' end, http_status, duration_ms, response, error, at, at + retry_ms"
                + MILLIS
                + " from f order by ord)"
                + " update webhook_delivery d set status = f.status, attempts = f.attempt,"
                + " next_attempt_at = f.at + f.retry_ms"
                + MILLIS
                + ", lease_until = null, updated_at = f.at from f"
                // Each row is found by primary key, one probe per attempt. A plain "status =
                // 'pending'" here let the planner, with statistics that lag behind a burst of new
                // deliveries, scan every pending delivery through the queue's partial index (a
                // cost that grew with the queue, 10 ms for a batch of 30 behind 20,000 queued);
                // compared with a column of f, the status matches no index. A "d.id = any (ids)"
                // added to pin the primary key became a second condition of every probe, which
                // then walked the whole batch's ids (a median 47.8 against 43.5 us per attempt in
                // batches of 80, on a copy of the schema).
                + " where d.id = f.delivery_id"
                + " and d.status = f.was and d.attempts = f.attempt - 1")) {
      ps.setArray(1, array(c, "bigint", batch, f -> f.delivery().id()));
      ps.setArray(2, array(c, "text", batch, f -> f.delivery().endpointId()));
      ps.setArray(3, array(c, "text", batch, Finished::tenantId));
      ps.setArray(4, array(c, "text", batch, f -> f.delivery().eventId()));
      ps.setArray(5, array(c, "text", batch, f -> f.delivery().eventType()));
      ps.setArray(6, array(c, "int4", batch, f -> f.delivery().attemptsMade() + 1));
      ps.setArray(7, array(c, "text", batch, Finished::deliveryStatus));
      ps.setArray(8, array(c, "int4", batch, f -> f.outcome().httpStatus()));
      ps.setArray(9, array(c, "int4", batch, f -> f.outcome().durationMs()));
      ps.setArray(10, array(c, "text", batch, f -> f.outcome().response()));
      ps.setArray(11, array(c, "text", batch, f -> f.outcome().error()));
      ps.setArray(12, array(c, "bigint", batch, f -> f.at().toEpochMilli()));
      ps.setArray(
          13, array(c, "bigint", batch, f -> f.retryIn() == null ? null : f.retryIn().toMillis()));
      ps.executeUpdate();
    }
  }

  /** One endpoint's outcomes in a batch, folded in the order they finished. */
  private static final class Health {
    final String tenantId;
    boolean succeeded;
    Long firstFailure;
    Long lastFailure;
    boolean gone;

    Health(String tenantId) {
      this.tenantId = tenantId;
    }

    void add(Finished f) {
      if (f.outcome().success()) {
        // A success ends the run of failures; failures after it start a new one.
        succeeded = true;
        firstFailure = null;
        lastFailure = null;
        return;
      }
      long at = f.at().toEpochMilli();
      firstFailure = firstFailure == null ? at : firstFailure;
      lastFailure = at;
      gone |= f.outcome().gone();
    }
  }

  /**
   * The failure run of each endpoint: {@code failing_since} is cleared by a success and otherwise
   * starts at the first failure of the run (kept from before the batch unless a success in the
   * batch ended that run). 410 disables at once; a run longer than {@code disableAfter} too.
   */
  private static Set<String> updateHealth(Connection c, List<Finished> batch, Duration disableAfter)
      throws SQLException {
    Map<String, Health> health = new LinkedHashMap<>();
    for (Finished f : batch) {
      health.computeIfAbsent(f.delivery().endpointId(), k -> new Health(f.tenantId())).add(f);
    }
    List<Map.Entry<String, Health>> rows = List.copyOf(health.entrySet());
    String since = "coalesce(s.restart, ep.failing_since, s.first_failure)";
    String disable =
        "(s.gone or (s.first_failure is not null and "
            + since
            + " <= s.last_failure - ?"
            + MILLIS
            + "))";
    try (PreparedStatement ps =
        c.prepareStatement(
            "with h as (select * from unnest(?::text[], ?::text[], ?::boolean[], ?::bigint[],"
                + " ?::bigint[], ?::boolean[]) as h(endpoint_id, tenant_id, succeeded,"
                + " first_ms, last_ms, gone)),"
                + " s as (select h.endpoint_id, h.gone, "
                + tenantTime("h.first_ms")
                + " as first_failure, "
                + tenantTime("h.last_ms")
                + " as last_failure, case when h.succeeded then "
                + tenantTime("h.first_ms")
                + " end as restart"
                + " from h join tenant t on t.id = h.tenant_id)"
                + " update webhook_endpoint ep set"
                + " failing_since = case when s.first_failure is null then null else "
                + since
                + " end,"
                + " status = case when "
                + disable
                + " then 'disabled' else ep.status end,"
                + " disabled_reason = case when s.gone then 'gone' when "
                + disable
                + " then 'failing' else ep.disabled_reason end,"
                + " version = ep.version + case when "
                + disable
                + " then 1 else 0 end"
                + " from s where ep.id = s.endpoint_id and ep.status = 'enabled'"
                + " and (s.first_failure is not null or s.gone or ep.failing_since is not null)"
                + " returning ep.id, ep.status")) {
      ps.setArray(1, array(c, "text", rows, Map.Entry::getKey));
      ps.setArray(2, array(c, "text", rows, e -> e.getValue().tenantId));
      ps.setArray(3, array(c, "boolean", rows, e -> e.getValue().succeeded));
      ps.setArray(4, array(c, "bigint", rows, e -> e.getValue().firstFailure));
      ps.setArray(5, array(c, "bigint", rows, e -> e.getValue().lastFailure));
      ps.setArray(6, array(c, "boolean", rows, e -> e.getValue().gone));
      long cutoff = disableAfter.toMillis();
      ps.setLong(7, cutoff);
      ps.setLong(8, cutoff);
      ps.setLong(9, cutoff);
      Set<String> disabled = new HashSet<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if ("disabled".equals(rs.getString(2))) {
            disabled.add(rs.getString(1));
          }
        }
      }
      return disabled;
    }
  }

  /** A wall-clock time in epoch milliseconds as the tenant sees it; null stays null. */
  private static String tenantTime(String millis) {
    return "case when "
        + millis
        + " is not null then coalesce(t.clock_now, "
        + EPOCH
        + millis
        + MILLIS
        + ") end";
  }

  private static <T> java.sql.Array array(
      Connection c, String type, List<T> rows, Function<T, Object> column) throws SQLException {
    Object[] values = new Object[rows.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = column.apply(rows.get(i));
    }
    return c.createArrayOf(type, values);
  }
}
