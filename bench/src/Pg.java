import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's own PostgreSQL (the embedded server Nudge ships, from Maven Central), with the
 * settings a production server keeps: fsync, synchronous commit and full page writes on, so every
 * 2xx answer and every pgbench commit waits for its WAL flush. pg_stat_statements is loaded, and
 * the server log goes to a file so a request's statements can be read back with their parameters.
 */
final class Pg implements AutoCloseable {

  final EmbeddedPostgres server;
  final Path dir;
  final Path log;

  private Pg(EmbeddedPostgres server, Path dir) {
    this.server = server;
    this.dir = dir;
    this.log = dir.resolve("log").resolve("postgresql.log");
  }

  static Pg start(Path dir) throws Exception {
    Files.createDirectories(dir.resolve("log"));
    EmbeddedPostgres pg = EmbeddedPostgres.builder()
        .setDataDirectory(dir.resolve("data"))
        .setCleanDataDirectory(true)
        .setServerConfig("fsync", "on")
        .setServerConfig("synchronous_commit", "on")
        .setServerConfig("full_page_writes", "on")
        .setServerConfig("max_connections", "200")
        .setServerConfig("shared_buffers", "256MB")
        .setServerConfig("max_wal_size", "4GB")
        .setServerConfig("shared_preload_libraries", "pg_stat_statements")
        .setServerConfig("pg_stat_statements.max", "1000")
        .setServerConfig("logging_collector", "on")
        .setServerConfig("log_directory", dir.resolve("log").toString())
        .setServerConfig("log_filename", "postgresql.log")
        // Checkpoints and autovacuum runs, to set beside a run's slow requests (the log's lines
        // carry their time, see log_line_prefix below).
        .setServerConfig("log_checkpoints", "on")
        .setServerConfig("log_autovacuum_min_duration", "0")
        .start();
    Pg p = new Pg(pg, dir);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        pg.close();
      } catch (Exception e) {
        // exiting anyway
      }
    }));
    try (Connection c = p.connect(); Statement s = c.createStatement()) {
      s.execute("create extension if not exists pg_stat_statements");
      // Set here, not on the command line: zonky passes that through a shell.
      s.execute("alter system set log_line_prefix = '%m [%p] '");
      s.execute("select pg_reload_conf()");
    }
    return p;
  }

  int port() {
    return server.getPort();
  }

  String url() {
    return "jdbc:postgresql://localhost:" + port() + "/postgres";
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(url(), "postgres", "postgres");
  }

  String version() throws SQLException {
    try (Connection c = connect()) {
      return c.getMetaData().getDatabaseProductVersion();
    }
  }

  /** fsync, synchronous_commit and full_page_writes as the running server reports them. */
  String durability() throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = connect(); Statement s = c.createStatement()) {
      for (String name : List.of("fsync", "synchronous_commit", "full_page_writes")) {
        try (ResultSet rs = s.executeQuery("show " + name)) {
          rs.next();
          out.add(name + "=" + rs.getString(1));
        }
      }
    }
    return String.join(" ", out);
  }

  long postmasterPid() throws Exception {
    return Long.parseLong(Files.readAllLines(dir.resolve("data").resolve("postmaster.pid")).get(0).trim());
  }

  /** CPU time used so far by this server: the postmaster and its live backends. */
  Duration cpu() throws Exception {
    ProcessHandle postmaster = ProcessHandle.of(postmasterPid()).orElseThrow();
    return postmaster.descendants()
        .map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO))
        .reduce(postmaster.info().totalCpuDuration().orElse(Duration.ZERO), Duration::plus);
  }

  void execute(String sql) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  long single(String sql) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Override
  public void close() throws Exception {
    server.close();
  }
}
