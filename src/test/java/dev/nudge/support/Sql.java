package dev.nudge.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import javax.sql.DataSource;

/** Direct SQL for tests that set up or inspect rows the API does not expose. */
public final class Sql {

  private final DataSource db;

  public Sql(DataSource db) {
    this.db = db;
  }

  /**
   * A connection of its own to the service's database, not one of the service's pool: what another
   * program writing into the database would hold (none of the pool's session settings).
   */
  public static Connection outside() throws SQLException {
    var config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
    return java.sql.DriverManager.getConnection(
        config.getValue("quarkus.datasource.jdbc.url", String.class),
        config.getValue("quarkus.datasource.username", String.class),
        config.getValue("quarkus.datasource.password", String.class));
  }

  public void run(String sql, Object... params) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      bind(c, ps, params);
      ps.execute();
    }
  }

  public int integer(String sql, Object... params) throws SQLException {
    return one(rs -> rs.getInt(1), sql, params);
  }

  public long count(String sql, Object... params) throws SQLException {
    return one(rs -> rs.getLong(1), sql, params);
  }

  public String string(String sql, Object... params) throws SQLException {
    return one(rs -> rs.getString(1), sql, params);
  }

  public Instant instant(String sql, Object... params) throws SQLException {
    return one(
        rs -> {
          OffsetDateTime t = rs.getObject(1, OffsetDateTime.class);
          return t == null ? null : t.toInstant();
        },
        sql,
        params);
  }

  /** Reads one column of a database row. */
  public interface Column<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /** The first column of the query's single row. */
  public <T> T one(Column<T> column, String sql, Object... params) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      bind(c, ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).as("a row for: %s", sql).isTrue();
        return column.read(rs);
      }
    }
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
