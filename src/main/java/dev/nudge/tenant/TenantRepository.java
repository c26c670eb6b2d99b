package dev.nudge.tenant;

import static dev.nudge.common.db.Table.Write.FIXED;
import static dev.nudge.common.db.Table.Write.MUTABLE;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.common.db.Table;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** The tenant and api_key tables; statements run on the caller's connection and transaction. */
@ApplicationScoped
public class TenantRepository {

  static final Table<Tenant> TABLE =
      Table.of("tenant", Tenant::new)
          .text(FIXED, "id", t -> t.id, (t, v) -> t.id = v)
          .text(FIXED, "name", t -> t.name, (t, v) -> t.name = v)
          .text(FIXED, "mode", t -> t.mode, (t, v) -> t.mode = v)
          .instant(MUTABLE, "clock_now", t -> t.clockNow, (t, v) -> t.clockNow = v)
          .instant(FIXED, "created_at", t -> t.createdAt, (t, v) -> t.createdAt = v)
          .integer(MUTABLE, "version", t -> t.version, (t, v) -> t.version = v)
          .build();

  static final Table<ApiKey> KEYS =
      Table.of("api_key", ApiKey::new)
          .text(FIXED, "id", k -> k.id, (k, v) -> k.id = v)
          .text(FIXED, "tenant_id", k -> k.tenantId, (k, v) -> k.tenantId = v)
          .text(FIXED, "key_hash", k -> k.keyHash, (k, v) -> k.keyHash = v)
          .text(FIXED, "prefix", k -> k.prefix, (k, v) -> k.prefix = v)
          .instant(FIXED, "created_at", k -> k.createdAt, (k, v) -> k.createdAt = v)
          .instant(MUTABLE, "revoked_at", k -> k.revokedAt, (k, v) -> k.revokedAt = v)
          .build();

  private final ObjectMapper json;

  public TenantRepository(ObjectMapper json) {
    this.json = json;
  }

  public Optional<Tenant> find(Connection c, String id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("select " + TABLE.columns() + " from tenant where id = ?")) {
      ps.setString(1, id);
      return TABLE.one(ps);
    }
  }

  public List<Tenant> page(Connection c, String afterId, int limit) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select " + TABLE.columns() + " from tenant where id > ? order by id limit ?")) {
      ps.setString(1, afterId == null ? "" : afterId);
      ps.setInt(2, limit + 1);
      return TABLE.query(ps);
    }
  }

  public void insert(Connection c, Tenant t) throws SQLException {
    TABLE.insert(c, json, List.of(t));
  }

  public List<ApiKey> keys(Connection c, String tenantId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select " + KEYS.columns() + " from api_key where tenant_id = ? order by id")) {
      ps.setString(1, tenantId);
      return KEYS.query(ps);
    }
  }

  /** The tenant's key, locked: a revocation and a concurrent one run one after the other. */
  public Optional<ApiKey> lockKey(Connection c, String tenantId, String keyId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select "
                + KEYS.columns()
                + " from api_key where tenant_id = ? and id = ? for no key update")) {
      ps.setString(1, tenantId);
      ps.setString(2, keyId);
      return KEYS.one(ps);
    }
  }

  public void insertKey(Connection c, ApiKey key) throws SQLException {
    KEYS.insert(c, json, List.of(key));
  }

  public void updateKey(Connection c, ApiKey key) throws SQLException {
    KEYS.updateOne(c, json, key);
  }
}
