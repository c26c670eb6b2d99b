package dev.nudge.common.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nudge.common.db.PackagedMigrations.Migration;
import dev.nudge.common.db.SchemaAtStart.Outcome;
import dev.nudge.support.Sql;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The schema at start: Flyway runs for an empty, older or damaged history and is skipped for a
 * current one. Each case but the first runs on a database of its own on the test server.
 */
@QuarkusTest
class SchemaAtStartTest {

  @Inject SchemaAtStart schemaAtStart;
  @Inject DataSource db;

  @ConfigProperty(name = "quarkus.datasource.jdbc.url")
  String url;

  @ConfigProperty(name = "quarkus.datasource.username")
  String user;

  @ConfigProperty(name = "quarkus.datasource.password")
  String password;

  @Test
  void aCurrentSchemaStartsWithoutFlyway() throws SQLException {
    long rows = new Sql(db).count("select count(*) from flyway_schema_history");

    assertThat(schemaAtStart.bring()).isEqualTo(Outcome.CURRENT);
    assertThat(new Sql(db).count("select count(*) from flyway_schema_history")).isEqualTo(rows);
  }

  @Test
  void thePackagedMigrationsAreTheOnesFlywayFindsByItself() {
    // Flyway's own scan of the class path, its own file names and checksums.
    Flyway scanning = Flyway.configure().dataSource(db).load();
    Map<String, Migration> resolved =
        Arrays.stream(scanning.info().all())
            .collect(
                Collectors.toMap(
                    m -> m.getVersion().getVersion(),
                    (MigrationInfo m) ->
                        new Migration(
                            m.getVersion().getVersion(),
                            m.getDescription(),
                            m.getScript(),
                            m.getChecksum())));

    assertThat(packaged().versioned()).isEqualTo(resolved).hasSizeGreaterThan(10);
  }

  @Test
  void anEmptyDatabaseIsMigratedAndThenCurrent() throws SQLException {
    DataSource empty = database("schema_empty");

    assertThat(SchemaAtStart.bring(empty, packaged())).isEqualTo(Outcome.MIGRATED);
    assertThat(SchemaAtStart.bring(empty, packaged())).isEqualTo(Outcome.CURRENT);
  }

  @Test
  void anOlderSchemaIsMigratedToTheNewest() throws SQLException {
    DataSource older = database("schema_older");
    Flyway.configure()
        .configuration(flywayOn(older).getConfiguration())
        .dataSource(older)
        .target("11")
        .load()
        .migrate();

    assertThat(SchemaAtStart.bring(older, packaged())).isEqualTo(Outcome.MIGRATED);
    assertThat(new Sql(older).count("select count(*) from flyway_schema_history"))
        .isEqualTo(packaged().versioned().size());
    assertThat(SchemaAtStart.bring(older, packaged())).isEqualTo(Outcome.CURRENT);
  }

  @Test
  void aFailedMigrationIsRefusedAsFlywayRefusesIt() throws SQLException {
    DataSource failed = migrated("schema_failed");
    new Sql(failed)
        .run(
            "insert into flyway_schema_history (installed_rank, version, description, type, script,"
                + " checksum, installed_by, execution_time, success)"
                + " values (100, '99', 'later', 'SQL', 'db/migration/V99__later.sql', 1, 'x', 0,"
                + " false)");

    assertThatThrownBy(() -> SchemaAtStart.bring(failed, packaged()))
        .isInstanceOf(FlywayException.class)
        .hasMessageContaining("failed migration to version 99");
  }

  @Test
  void aChangedMigrationIsRefusedAsFlywayRefusesIt() throws SQLException {
    DataSource changed = migrated("schema_changed");
    new Sql(changed)
        .run("update flyway_schema_history set checksum = checksum + 1 where version = '2'");

    assertThatThrownBy(() -> SchemaAtStart.bring(changed, packaged()))
        .isInstanceOf(FlywayException.class)
        .hasMessageContaining("checksum mismatch");
  }

  @Test
  void anUnknownNewerMigrationIsRefusedAsFlywayRefusesIt() throws SQLException {
    DataSource newer = migrated("schema_newer");
    new Sql(newer)
        .run(
            "insert into flyway_schema_history (installed_rank, version, description, type, script,"
                + " checksum, installed_by, execution_time, success)"
                + " values (100, '99', 'later', 'SQL', 'db/migration/V99__later.sql', 1, 'x', 0,"
                + " true)");

    assertThatThrownBy(() -> SchemaAtStart.bring(newer, packaged()))
        .isInstanceOf(FlywayException.class)
        .hasMessageContaining("not resolved locally: 99");
  }

  private DataSource migrated(String name) throws SQLException {
    DataSource ds = database(name);
    flywayOn(ds).migrate();
    return ds;
  }

  /** A fresh database on the test server. */
  private DataSource database(String name) throws SQLException {
    new Sql(db).run("drop database if exists " + name + " with (force)");
    new Sql(db).run("create database " + name);
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(url.replaceFirst("^(jdbc:postgresql://[^/]+/)[^?]*", "$1" + name));
    ds.setUser(user);
    ds.setPassword(password);
    return ds;
  }

  /** Flyway as the service configures it (the packaged migrations), on another database. */
  private static Flyway flywayOn(DataSource ds) {
    return SchemaAtStart.flyway(ds, packaged());
  }

  private static PackagedMigrations packaged() {
    return PackagedMigrations.read(SchemaAtStart.class.getClassLoader());
  }
}
