package dev.nudge.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A data directory of the service's embedded default ({@code NUDGE_DATA_DIR}) as a black-box test
 * sees it: the server's port from its {@code postmaster.pid}, and the processes serving it.
 */
public final class EmbeddedDataDirectory {

  private final Path dir;

  public EmbeddedDataDirectory(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  public Path path() {
    return dir;
  }

  public Path pgData() {
    return dir.resolve("pg");
  }

  /**
   * An empty directory: any server a failed earlier run left on it is stopped first (only processes
   * whose command line names this directory are touched).
   */
  public EmbeddedDataDirectory clean() throws IOException, InterruptedException {
    stopServers();
    if (Files.exists(dir)) {
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
    Files.createDirectories(dir);
    return this;
  }

  /** Kills whatever still serves this directory (only processes whose command line names it). */
  public void stopServers() throws IOException, InterruptedException {
    for (ProcessHandle p : servers()) {
      p.destroyForcibly();
      try {
        p.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        throw new IOException("could not stop " + p.pid(), e);
      }
    }
  }

  /** The live processes whose command line names this data directory. */
  public List<ProcessHandle> servers() {
    String needle = pgData().toString();
    return ProcessHandle.allProcesses()
        .filter(p -> cmdline(p.pid()).contains(needle))
        .filter(ProcessHandle::isAlive)
        .toList();
  }

  /** The postmaster's PID from {@code postmaster.pid}, or -1 if there is none. */
  public long postmasterPid() throws IOException {
    List<String> lines = pidFile();
    return lines.isEmpty() ? -1 : Long.parseLong(lines.get(0).trim());
  }

  /**
   * The database of whichever server runs on the directory: each connection reads the port from
   * {@code postmaster.pid} again, so the same source serves across restarts.
   */
  public DataSource database() {
    PGSimpleDataSource ds =
        new PGSimpleDataSource() {
          @Override
          public Connection getConnection(String user, String password) throws SQLException {
            setPortNumbers(new int[] {port()});
            return super.getConnection(user, password);
          }
        };
    ds.setServerNames(new String[] {"localhost"});
    ds.setDatabaseName("postgres");
    ds.setUser("postgres");
    ds.setPassword("postgres");
    return ds;
  }

  public Connection connect() throws SQLException {
    return database().getConnection();
  }

  private int port() throws SQLException {
    try {
      List<String> lines = pidFile();
      if (lines.size() < 4) {
        throw new SQLException("no running server in " + pgData(), "08001");
      }
      return Integer.parseInt(lines.get(3).trim());
    } catch (IOException e) {
      throw new SQLException("cannot read the pid file in " + pgData(), "08001", e);
    }
  }

  private List<String> pidFile() throws IOException {
    Path f = pgData().resolve("postmaster.pid");
    return Files.exists(f) ? Files.readAllLines(f, StandardCharsets.UTF_8) : List.of();
  }

  private static String cmdline(long pid) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
      return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
