package dev.nudge.common.db;

import dev.nudge.common.db.PackagedMigrations.Migration;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

/**
 * Brings the schema to the newest packaged migration before anything else starts (the timer loops,
 * the HTTP port). Flyway runs only when its schema history is not exactly the packaged migrations,
 * each applied successfully with the same version, description, script and checksum: an empty or
 * older database, a failed or unknown migration or a changed file go through Flyway's validation
 * and migration as before, and are migrated or refused by it. A restart against a current schema
 * reads the history in one query instead, so Flyway is never loaded: about half a second of a start
 * (README, Benchmarks).
 */
@ApplicationScoped
public class SchemaAtStart {

  private static final Logger LOG = Logger.getLogger(SchemaAtStart.class);

  /** What a start found. */
  public enum Outcome {
    /** The history already held every packaged migration: Flyway did not run. */
    CURRENT,
    /** Flyway validated and migrated the schema. */
    MIGRATED
  }

  private final DataSource dataSource;

  public SchemaAtStart(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Before the scheduler (priority 0) and every {@code @Startup} bean: they may touch the schema as
   * soon as they start. The HTTP port opens after all of them.
   */
  void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE - 1) StartupEvent event) {
    bring();
  }

  /** Migrates the schema unless it is current already. */
  public Outcome bring() {
    return bring(dataSource, PackagedMigrations.read(SchemaAtStart.class.getClassLoader()));
  }

  static Outcome bring(DataSource dataSource, PackagedMigrations packaged) {
    Map<String, Migration> versioned = packaged.versioned();
    if (!versioned.isEmpty() && versioned.equals(applied(dataSource))) {
      LOG.infof(
          "Schema is current (%d migrations, their checksums unchanged); Flyway not needed",
          versioned.size());
      return Outcome.CURRENT;
    }
    flyway(dataSource, packaged).migrate();
    return Outcome.MIGRATED;
  }

  /**
   * Flyway on the packaged migrations, validating before it migrates and ignoring nothing: a failed
   * migration, or an applied one that is not packaged (missing, or newer than the newest), stops
   * the start.
   */
  static Flyway flyway(DataSource dataSource, PackagedMigrations packaged) {
    return Flyway.configure(SchemaAtStart.class.getClassLoader())
        .dataSource(dataSource)
        .resourceProvider(packaged)
        .javaMigrationClassProvider(List::of)
        .encoding(StandardCharsets.UTF_8)
        .validateOnMigrate(true)
        .ignoreMigrationPatterns(new String[0])
        .load();
  }

  /**
   * The rows of Flyway's schema history (in the connection's schema) by version; empty, never equal
   * to the packaged migrations, when the table is missing or holds anything but successful
   * versioned SQL migrations.
   */
  static Map<String, Migration> applied(DataSource dataSource) {
    Map<String, Migration> byVersion = new TreeMap<>();
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      // Flyway keeps its history in the connection's current schema only, not anywhere on the
      // search path.
      String table;
      try (ResultSet r =
          s.executeQuery(
              "select quote_ident(current_schema()) || '.flyway_schema_history',"
                  + " to_regclass(quote_ident(current_schema()) || '.flyway_schema_history')"
                  + " is not null")) {
        if (!r.next() || !r.getBoolean(2)) {
          return Map.of();
        }
        table = r.getString(1);
      }
      try (ResultSet r =
          s.executeQuery(
              "select version, description, type, script, checksum, success from " + table)) {
        while (r.next()) {
          Number checksum = (Number) r.getObject("checksum");
          if (!"SQL".equals(r.getString("type"))
              || r.getString("version") == null
              || checksum == null
              || !r.getBoolean("success")) {
            return Map.of();
          }
          Migration migration =
              new Migration(
                  r.getString("version"),
                  r.getString("description"),
                  r.getString("script"),
                  checksum.intValue());
          if (byVersion.put(migration.version(), migration) != null) {
            return Map.of();
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Could not read the schema history: " + e.getMessage(), e);
    }
    return byVersion;
  }
}
