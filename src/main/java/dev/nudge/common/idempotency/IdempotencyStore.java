package dev.nudge.common.idempotency;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Idempotency records, read and written in the transaction of the request they answer: the key is
 * held by a transaction-scoped advisory lock while its request runs, and the answer is stored in
 * that same transaction, so the endpoint's writes and the record commit together or not at all. A
 * record holds the key's SHA-256 and its answer sealed ({@link AnswerSeal}). Records older than
 * {@link #RETENTION} no longer count, and retention removes them.
 */
@ApplicationScoped
public class IdempotencyStore {

  public static final Duration RETENTION = Duration.ofHours(24);

  /**
   * A record of table alias {@code t} that still answers its key (a stored answer in retention).
   */
  private static String live(String t) {
    return t
        + ".status is not null and "
        + t
        + ".created_at >= now() - interval '"
        + RETENTION.toSeconds()
        + " seconds'";
  }

  /**
   * The live record of one key, by the whole primary key. Each key is looked up on its own: with
   * {@code idem_key in (?, ?)} a plan cached while the table was small (the server keeps one per
   * connection) read every record of the scope through the index's first column, a cost that grew
   * with the table until the next ANALYZE (15 ms a request after a few thousand records).
   */
  private static String byKey(String t) {
    return "(select "
        + t
        + ".request_hash, "
        + t
        + ".status, "
        + t
        + ".content_type, "
        + t
        + ".body, "
        + t
        + ".headers from idempotency_record "
        + t
        + " where "
        + t
        + ".scope = ? and "
        + t
        + ".idem_key = ? and "
        + live(t)
        + ")";
  }

  /** A stored answer. */
  public record Stored(
      String requestHash, int status, String contentType, String body, String headers) {}

  /**
   * What the key's check found: whether this transaction holds the key, and its stored answer
   * (opened; {@code sealedForOther} when it was sealed for another credential).
   */
  record Held(boolean locked, Stored stored, boolean sealedForOther) {}

  private final AgroalDataSource db;

  public IdempotencyStore(AgroalDataSource db) {
    this.db = db;
  }

  /**
   * Takes the key for this transaction unless a concurrent request holds it (then {@code locked} is
   * false), with the answer stored under the key, if any (null). One statement.
   */
  Held hold(Connection c, IdempotentRequest.Key key) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select pg_try_advisory_xact_lock(hashtextextended(?, 0)), r.request_hash, r.status,"
                + " r.content_type, r.body, r.headers::text from (select 1) one"
                + " left join lateral ("
                + byKey("a")
                + " union all "
                + byKey("b")
                + " limit 1) r on true")) {
      // Scopes are ids (no spaces), so the first space ends the scope.
      ps.setString(1, key.scope() + " " + key.key());
      ps.setString(2, key.scope());
      ps.setString(3, key.key());
      // Records stored before keys were hashed hold the raw key (until retention removes them).
      ps.setString(4, key.scope());
      ps.setString(5, key.raw());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        boolean locked = rs.getBoolean(1);
        String hash = rs.getString(2);
        if (!locked || hash == null) {
          return new Held(locked, null, false);
        }
        String body;
        try {
          body = AnswerSeal.open(key.seal(), rs.getString(5));
        } catch (AnswerSeal.Unopenable e) {
          return new Held(true, null, true);
        }
        return new Held(
            true, new Stored(hash, rs.getInt(3), rs.getString(4), body, rs.getString(6)), false);
      }
    }
  }

  /**
   * Stores the answer under the key, replacing a record past retention (or a claim an earlier
   * version left unfinished); a live answer stays as it is, and then this answers false.
   */
  boolean save(Connection c, IdempotentRequest.Key key, Stored answer) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into idempotency_record (scope, idem_key, request_hash, status, content_type,"
                + " body, headers, completed_at) values (?, ?, ?, ?, ?, ?, ?::jsonb, now())"
                + " on conflict (scope, idem_key) do update set request_hash ="
                + " excluded.request_hash, status = excluded.status, content_type ="
                + " excluded.content_type, body = excluded.body, headers = excluded.headers,"
                + " created_at = now(), completed_at = now()"
                + " where not ("
                + live("idempotency_record")
                + ")")) {
      ps.setString(1, key.scope());
      ps.setString(2, key.key());
      ps.setString(3, answer.requestHash());
      ps.setInt(4, answer.status());
      ps.setString(5, answer.contentType());
      ps.setString(6, AnswerSeal.seal(key.seal(), answer.body()));
      ps.setString(7, answer.headers());
      return ps.executeUpdate() == 1;
    }
  }

  /** {@link #save} in a transaction of its own (an action's refusal, whose own rolled back). */
  void save(IdempotentRequest.Key key, Stored answer) throws SQLException {
    try (Connection c = db.getConnection()) {
      save(c, key, answer);
    }
  }

  /**
   * Drops up to {@code limit} of the records created before {@code cutoff}, oldest first; returns
   * how many. Retention calls it in rounds until fewer than {@code limit} are left.
   */
  public int purgeBefore(Instant cutoff, int limit) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "delete from idempotency_record where (scope, idem_key) in"
                    + " (select scope, idem_key from idempotency_record where created_at < ?"
                    + " order by created_at limit ?)")) {
      ps.setObject(1, cutoff.atOffset(ZoneOffset.UTC));
      ps.setInt(2, limit);
      return ps.executeUpdate();
    }
  }
}
