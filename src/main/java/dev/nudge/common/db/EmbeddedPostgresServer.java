package dev.nudge.common.db;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * One embedded PostgreSQL per data directory and JVM: a durable database under {@code
 * <data-dir>/pg}, its server log in {@code <data-dir>/postgresql.log}.
 *
 * <p>A start takes the data directory's lock first (another live service there ends this start with
 * one line), then stops a server left running by a killed service (see {@link Postmaster}), then
 * starts PostgreSQL, which replays its write-ahead log if the last stop was not clean. The server
 * stops after the application has stopped (its in-flight work then still has its database), and a
 * watchdog stops it if the JVM dies without running its shutdown hooks.
 *
 * <p>Quarkus builds its configuration more than once per start (static and runtime init, test
 * restarts), so the server is kept in a JVM-wide registry keyed by directory; class reloading in
 * tests is covered by remembering the URL in a system property as well.
 */
final class EmbeddedPostgresServer {

  private static final Logger LOG = Logger.getLogger(EmbeddedPostgresServer.class);
  private static final Map<Path, Running> SERVERS = new ConcurrentHashMap<>();

  /** Recovery after a crash replays the log before the server accepts connections. */
  private static final Duration STARTUP_WAIT = Duration.ofMinutes(5);

  /** The longest wait for the application to stop before the database stops under it. */
  private static final Duration APPLICATION_STOP_WAIT = Duration.ofSeconds(90);

  record Running(String jdbcUrl, String user, String password) {}

  /** The data directory is in use by another live service. */
  static final class DirectoryInUse extends RuntimeException {
    DirectoryInUse(String message) {
      super(message, null, false, false);
    }
  }

  private EmbeddedPostgresServer() {}

  /**
   * Starts (or finds, within this JVM) the server for {@code dataDir}. {@code durable} keeps fsync,
   * full-page writes and synchronous commit on; only tests turn it off, for speed.
   */
  static Running start(String dataDir, boolean clean, boolean durable) {
    Path dir = Path.of(dataDir).toAbsolutePath().normalize();
    String remembered = System.getProperty(propertyKey(dir));
    if (remembered != null) {
      return new Running(remembered, "postgres", "postgres");
    }
    return SERVERS.computeIfAbsent(dir, d -> boot(d, clean, durable));
  }

  private static Running boot(Path dir, boolean clean, boolean durable) {
    DataDirectoryLock lock;
    try {
      lock = DataDirectoryLock.take(dir);
    } catch (DataDirectoryLock.Held e) {
      throw new DirectoryInUse(e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot lock the data directory " + dir, e);
    }
    Path pgData = dir.resolve("pg");
    Path log = dir.resolve("postgresql.log");
    try {
      Files.createDirectories(pgData);
      Postmaster.clearLeftover(pgData);
      if (clean) {
        deleteTree(pgData);
        Files.createDirectories(pgData);
      }
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setDataDirectory(pgData)
              .setCleanDataDirectory(false)
              // Stopped by this class's hook, after the application, not at once with the JVM.
              .setRegisterShutdownHook(false)
              .setPGStartupWait(STARTUP_WAIT)
              .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .setServerConfig("max_connections", "200")
              .setServerConfig("shared_buffers", "256MB");
      // The library always passes -F (fsync off); settings given here come after it and win.
      for (Map.Entry<String, String> s : durability(durable).entrySet()) {
        builder.setServerConfig(s.getKey(), s.getValue());
      }
      EmbeddedPostgres pg = builder.start();
      String url = pg.getJdbcUrl("postgres", "postgres");
      System.setProperty(propertyKey(dir), url);
      stopAfterTheApplication(pgData, lock);
      PostgresWatchdog.watch(pgData);
      LOG.infof(
          "Embedded PostgreSQL started on port %d with data in %s (%s)",
          pg.getPort(), pgData, durable ? "durable: fsync on" : "fsync off");
      return new Running(url, "postgres", "postgres");
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(
          "The embedded PostgreSQL did not start in " + pgData + "; its log is " + log, e);
    }
  }

  /** The server settings that decide what a committed transaction survives. */
  static Map<String, String> durability(boolean durable) {
    String on = durable ? "on" : "off";
    return Map.of("fsync", on, "full_page_writes", on, "synchronous_commit", on);
  }

  /**
   * Stops the server from a shutdown hook once the application has stopped: Quarkus stops the HTTP
   * server, lets in-flight requests and timer batches finish and closes the pool first. (The
   * library's own hook, switched off, would stop the server at once, under that work.)
   */
  private static void stopAfterTheApplication(Path pgData, DataDirectoryLock lock) {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  awaitApplicationStop();
                  try {
                    Postmaster.stop(pgData);
                  } catch (IOException e) {
                    // The watchdog or the next start stops it; PostgreSQL recovers either way.
                    System.err.println(e.getMessage());
                  }
                  lock.release();
                },
                "nudge-embedded-postgres-stop"));
  }

  /** Waits while the application's container runs (it stops last, after the pool is closed). */
  private static void awaitApplicationStop() {
    long deadline = System.nanoTime() + APPLICATION_STOP_WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      ArcContainer container = Arc.container();
      if (container == null || !container.isRunning()) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(root)) {
      paths = walk.sorted(Comparator.reverseOrder()).toList();
    }
    for (Path p : paths) {
      Files.deleteIfExists(p);
    }
  }

  private static String propertyKey(Path dir) {
    return "nudge.embedded-postgres.url." + dir;
  }
}
