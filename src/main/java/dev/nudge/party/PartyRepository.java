package dev.nudge.party;

import static dev.nudge.common.db.Table.Write.FIXED;
import static dev.nudge.common.db.Table.Write.MUTABLE;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.common.db.Table;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The party and party_token tables; statements run on the caller's connection and transaction. */
@ApplicationScoped
public class PartyRepository {

  static final Table<Party> TABLE =
      Table.of("party", Party::new)
          .text(FIXED, "id", p -> p.id, (p, v) -> p.id = v)
          .text(FIXED, "tenant_id", p -> p.tenantId, (p, v) -> p.tenantId = v)
          .text(FIXED, "handle", p -> p.handle, (p, v) -> p.handle = v)
          .text(MUTABLE, "display_name", p -> p.displayName, (p, v) -> p.displayName = v)
          .text(MUTABLE, "locale", p -> p.locale, (p, v) -> p.locale = v)
          .text(MUTABLE, "time_zone", p -> p.timeZone, (p, v) -> p.timeZone = v)
          .text(MUTABLE, "quiet_start", p -> p.quietStart, (p, v) -> p.quietStart = v)
          .text(MUTABLE, "quiet_end", p -> p.quietEnd, (p, v) -> p.quietEnd = v)
          .jsonb(MUTABLE, "channels", p -> p.channels, (p, v) -> p.channels = v)
          .instant(FIXED, "created_at", p -> p.createdAt, (p, v) -> p.createdAt = v)
          .integer(MUTABLE, "version", p -> p.version, (p, v) -> p.version = v)
          .build();

  static final Table<PartyToken> TOKENS =
      Table.of("party_token", PartyToken::new)
          .text(FIXED, "id", t -> t.id, (t, v) -> t.id = v)
          .text(FIXED, "tenant_id", t -> t.tenantId, (t, v) -> t.tenantId = v)
          .text(FIXED, "party_id", t -> t.partyId, (t, v) -> t.partyId = v)
          .text(FIXED, "token_hash", t -> t.tokenHash, (t, v) -> t.tokenHash = v)
          .text(FIXED, "prefix", t -> t.prefix, (t, v) -> t.prefix = v)
          .instant(FIXED, "created_at", t -> t.createdAt, (t, v) -> t.createdAt = v)
          .instant(FIXED, "expires_at", t -> t.expiresAt, (t, v) -> t.expiresAt = v)
          .instant(MUTABLE, "revoked_at", t -> t.revokedAt, (t, v) -> t.revokedAt = v)
          .build();

  private final ObjectMapper json;

  public PartyRepository(ObjectMapper json) {
    this.json = json;
  }

  public Optional<Party> find(Connection c, String tenantId, String id) throws SQLException {
    return one(
        c,
        "select " + TABLE.columns() + " from party where tenant_id = ? and id = ?",
        tenantId,
        id);
  }

  /**
   * The party, locked against other changes to it ({@code for no key update}: trades and tokens
   * that reference it are still created meanwhile).
   */
  public Optional<Party> lockForUpdate(Connection c, String tenantId, String id)
      throws SQLException {
    return one(
        c,
        "select "
            + TABLE.columns()
            + " from party where tenant_id = ? and id = ? for no key update",
        tenantId,
        id);
  }

  /**
   * Which of these ids are parties of the tenant: one indexed lookup, only ids read (a trade's
   * creation checks both its parties this way).
   */
  public Set<String> existing(Connection c, String tenantId, Collection<String> ids)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("select id from party where tenant_id = ? and id = any(?)")) {
      ps.setString(1, tenantId);
      ps.setArray(2, c.createArrayOf("text", ids.toArray()));
      Set<String> out = new HashSet<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    }
  }

  /** The parties with these ids, by id (the scheduler reads the parties of every batch). */
  public Map<String, Party> byIds(Connection c, Collection<String> ids) throws SQLException {
    Map<String, Party> out = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement("select " + TABLE.columns() + " from party where id = any(?)")) {
      ps.setArray(1, c.createArrayOf("text", ids.toArray()));
      for (Party p : TABLE.query(ps)) {
        out.put(p.id, p);
      }
    }
    return out;
  }

  /** A page of the tenant's parties by id; with {@code handle}, only those with that handle. */
  public List<Party> page(Connection c, String tenantId, String handle, String afterId, int limit)
      throws SQLException {
    StringBuilder sql =
        new StringBuilder("select " + TABLE.columns() + " from party where tenant_id = ?");
    List<Object> params = new ArrayList<>(List.of(tenantId));
    if (handle != null) {
      sql.append(" and lower(handle) = lower(?)");
      params.add(handle);
    }
    if (afterId != null) {
      sql.append(" and id > ?");
      params.add(afterId);
    }
    sql.append(" order by id limit ?");
    params.add(limit + 1);
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      Table.bind(ps, params);
      return TABLE.query(ps);
    }
  }

  public void insert(Connection c, Party p) throws SQLException {
    TABLE.insert(c, json, List.of(p));
  }

  /** Writes the party's settings; the caller holds its row lock and has bumped its version. */
  public void update(Connection c, Party p) throws SQLException {
    TABLE.updateOne(c, json, p);
  }

  public List<PartyToken> tokens(Connection c, String tenantId, String partyId)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select "
                + TOKENS.columns()
                + " from party_token where tenant_id = ? and party_id = ? order by id")) {
      ps.setString(1, tenantId);
      ps.setString(2, partyId);
      return TOKENS.query(ps);
    }
  }

  /** The party's token, locked: a revocation and a concurrent one run one after the other. */
  public Optional<PartyToken> lockToken(Connection c, String partyId, String tokenId)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select "
                + TOKENS.columns()
                + " from party_token where party_id = ? and id = ? for no key update")) {
      ps.setString(1, partyId);
      ps.setString(2, tokenId);
      return TOKENS.one(ps);
    }
  }

  public void insertToken(Connection c, PartyToken t) throws SQLException {
    TOKENS.insert(c, json, List.of(t));
  }

  public void updateToken(Connection c, PartyToken t) throws SQLException {
    TOKENS.updateOne(c, json, t);
  }

  private Optional<Party> one(Connection c, String sql, String tenantId, String id)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, tenantId);
      ps.setString(2, id);
      return TABLE.one(ps);
    }
  }
}
