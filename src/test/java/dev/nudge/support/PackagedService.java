package dev.nudge.support;

import static org.awaitility.Awaitility.await;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

/**
 * The packaged service ({@code target/quarkus-app}) running as its own process in the production
 * profile, against a PostgreSQL of the test's own, for black-box tests ({@code *IT}, after {@code
 * package}). The test reads the database directly to see what requests did to it.
 */
public final class PackagedService implements AutoCloseable {

  private final EmbeddedPostgres pg;
  private final Process process;
  private final int port;
  private final Path log;

  private PackagedService(EmbeddedPostgres pg, Process process, int port, Path log) {
    this.pg = pg;
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts PostgreSQL under {@code target/<name>} and the service on a free port, and waits until
   * it is ready. {@code env} adds to or overrides the service's environment.
   */
  public static PackagedService start(String name, String adminKey, Map<String, String> env) {
    Path dir = Path.of("target", name);
    EmbeddedPostgres pg = null;
    try {
      Files.createDirectories(dir);
      pg =
          EmbeddedPostgres.builder()
              .setDataDirectory(dir.resolve("pg"))
              .setCleanDataDirectory(true)
              .start();
      int port = freePort();
      Path log = dir.resolve("service.log");
      String java = ProcessHandle.current().info().command().orElse("java");
      ProcessBuilder pb =
          new ProcessBuilder(java, "-jar", "target/quarkus-app/quarkus-run.jar")
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      Map<String, String> e = pb.environment();
      e.put(
          "QUARKUS_DATASOURCE_JDBC_URL",
          "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres");
      e.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
      e.put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
      e.put("QUARKUS_HTTP_PORT", Integer.toString(port));
      e.put("NUDGE_ADMIN_KEY", adminKey);
      e.put("NUDGE_DATA_DIR", dir.resolve("data").toString());
      e.putAll(env);
      PackagedService service = new PackagedService(pg, pb.start(), port, log);
      service.awaitReady();
      return service;
    } catch (IOException e) {
      closeQuietly(pg);
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      closeQuietly(pg);
      throw e;
    }
  }

  public int port() {
    return port;
  }

  /** The service's log so far. */
  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A connection to the service's database. */
  public Connection db() throws SQLException {
    return pg.getPostgresDatabase().getConnection();
  }

  public boolean alive() {
    return process.isAlive();
  }

  private void awaitReady() {
    HttpClient http = HttpClient.newHttpClient();
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException("the service exited; see " + log);
              }
              return http.send(
                          HttpRequest.newBuilder(
                                  URI.create("http://localhost:" + port + "/q/health/ready"))
                              .build(),
                          HttpResponse.BodyHandlers.discarding())
                      .statusCode()
                  == 200;
            });
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    closeQuietly(pg);
  }

  private static void closeQuietly(EmbeddedPostgres pg) {
    if (pg != null) {
      try {
        pg.close();
      } catch (IOException ignored) {
        // the data directory is cleaned on the next start
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
