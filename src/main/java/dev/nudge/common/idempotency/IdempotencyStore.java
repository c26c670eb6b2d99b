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
import java.util.Optional;

/**
 * Idempotency records, written outside the business transaction in autocommit so a concurrent
 * duplicate sees the claim at once. A claim left unfinished by a crashed request is taken over
 * after {@link #ABANDONED}; records older than {@link #RETENTION} no longer count, and retention
 * removes them.
 */
@ApplicationScoped
public class IdempotencyStore {

  public static final Duration RETENTION = Duration.ofHours(24);
  static final Duration ABANDONED = Duration.ofSeconds(60);

  public record Stored(
      String requestHash, Integer status, String contentType, String body, String headers) {
    boolean completed() {
      return status != null;
    }
  }

  private final AgroalDataSource db;

  public IdempotencyStore(AgroalDataSource db) {
    this.db = db;
  }

  /**
   * Claims the key for this request; empty when claimed, else the record that holds it. A record
   * past retention, or a claim abandoned by a request that never finished, is taken over.
   */
  public Optional<Stored> claim(String scope, String key, String requestHash) throws SQLException {
    try (Connection c = db.getConnection()) {
      for (int attempt = 0; attempt < 2; attempt++) {
        try (PreparedStatement ps =
            c.prepareStatement(
                "insert into idempotency_record (scope, idem_key, request_hash) values (?, ?, ?)"
                    + " on conflict do nothing")) {
          ps.setString(1, scope);
          ps.setString(2, key);
          ps.setString(3, requestHash);
          if (ps.executeUpdate() == 1) {
            return Optional.empty();
          }
        }
        try (PreparedStatement ps =
            c.prepareStatement(
                "delete from idempotency_record where scope = ? and idem_key = ?"
                    + " and (created_at < now() - ?::interval"
                    + " or (status is null and created_at < now() - ?::interval))")) {
          ps.setString(1, scope);
          ps.setString(2, key);
          ps.setString(3, RETENTION.toSeconds() + " seconds");
          ps.setString(4, ABANDONED.toSeconds() + " seconds");
          if (ps.executeUpdate() == 0) {
            break;
          }
        }
      }
      return find(c, scope, key);
    }
  }

  public Optional<Stored> find(String scope, String key) throws SQLException {
    try (Connection c = db.getConnection()) {
      return find(c, scope, key);
    }
  }

  private static Optional<Stored> find(Connection c, String scope, String key) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select request_hash, status, content_type, body, headers::text"
                + " from idempotency_record where scope = ? and idem_key = ?")) {
      ps.setString(1, scope);
      ps.setString(2, key);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        int status = rs.getInt(2);
        // wasNull() must follow getInt(2) directly: an in-progress record has no status yet.
        Integer completedStatus = rs.wasNull() ? null : status;
        return Optional.of(
            new Stored(
                rs.getString(1),
                completedStatus,
                rs.getString(3),
                rs.getString(4),
                rs.getString(5)));
      }
    }
  }

  public void complete(
      String scope, String key, int status, String contentType, String body, String headers)
      throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "update idempotency_record set status = ?, content_type = ?, body = ?,"
                    + " headers = ?::jsonb, completed_at = now()"
                    + " where scope = ? and idem_key = ?")) {
      ps.setInt(1, status);
      ps.setString(2, contentType);
      ps.setString(3, body);
      ps.setString(4, headers);
      ps.setString(5, scope);
      ps.setString(6, key);
      ps.executeUpdate();
    }
  }

  public void release(String scope, String key) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "delete from idempotency_record where scope = ? and idem_key = ? and status is null")) {
      ps.setString(1, scope);
      ps.setString(2, key);
      ps.executeUpdate();
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
