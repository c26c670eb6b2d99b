package dev.nudge.common.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The embedded server's start on a data directory that a killed service left behind, without
 * Quarkus: a server still running there is stopped and started again with its data, a stale pid
 * file naming some other process never gets that process signalled, and the durable settings are
 * what the server reports.
 */
class EmbeddedPostgresRecoveryTest {

  private final List<Path> started = new ArrayList<>();
  private final List<Process> children = new ArrayList<>();

  @AfterEach
  void stop() throws IOException {
    for (Path pgData : started) {
      Postmaster.stop(pgData);
    }
    for (Process p : children) {
      p.destroyForcibly();
    }
  }

  @Test
  void aServerLeftRunningIsStoppedAndStartedAgainWithItsData() throws Exception {
    Path dir = freshDir();
    Path pgData = dir.resolve("pg");
    Path bin;
    try (EmbeddedPostgres first =
        EmbeddedPostgres.builder().setDataDirectory(pgData).setCleanDataDirectory(false).start()) {
      try (Connection c = first.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute("create table kept (v text); insert into kept values ('before the crash')");
      }
      long pid = Postmaster.pidIn(pgData.resolve("postmaster.pid")).orElseThrow();
      bin = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "exe")).getParent();
    }
    // What a SIGKILLed service leaves: a server detached from any JVM, holding postmaster.pid.
    List<String> command = new ArrayList<>();
    if ("root".equals(System.getProperty("user.name"))) {
      // As the library does: PostgreSQL refuses to run as root, so in a user namespace.
      command.addAll(List.of("unshare", "-U"));
    }
    command.addAll(
        List.of(
            bin.resolve("pg_ctl").toString(),
            "-D",
            pgData.toString(),
            "-o",
            "-p " + freePort(),
            "-l",
            dir.resolve("orphan.log").toString(),
            "-w",
            "start"));
    Process pgCtl =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertThat(pgCtl.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(pgCtl.exitValue()).isZero();
    long orphan = Postmaster.pidIn(pgData.resolve("postmaster.pid")).orElseThrow();
    assertThat(Postmaster.servesDirectory(orphan, pgData)).isTrue();

    EmbeddedPostgresServer.Running server = start(dir, true);

    assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false))
        .as("the leftover server was stopped")
        .isFalse();
    long now = Postmaster.pidIn(pgData.resolve("postmaster.pid")).orElseThrow();
    assertThat(now).isNotEqualTo(orphan);
    assertThat(query(server, "select v from kept")).isEqualTo("before the crash");
  }

  @Test
  void aStalePidFileNamingAnotherProcessIsRemovedAndThatProcessIsNeverSignalled() throws Exception {
    Path dir = freshDir();
    Path pgData = dir.resolve("pg");
    Files.createDirectories(pgData);
    Process bystander = new ProcessBuilder("sleep", "120").start();
    children.add(bystander);
    // A pid file whose PID now belongs to an unrelated live process (PIDs are reused).
    Files.writeString(
        pgData.resolve("postmaster.pid"),
        bystander.pid() + "\n" + pgData + "\n1700000000\n5432\n/tmp\nlocalhost\n0 0\nready\n",
        StandardCharsets.UTF_8);

    EmbeddedPostgresServer.Running server = start(dir, true);

    assertThat(bystander.isAlive()).as("the unrelated process was not signalled").isTrue();
    assertThat(query(server, "select 'up'")).isEqualTo("up");
  }

  @Test
  void theServiceDatabaseKeepsFsyncFullPageWritesAndSynchronousCommitOn() throws Exception {
    Path dir = freshDir();
    EmbeddedPostgresServer.Running server = start(dir, true);

    assertThat(query(server, "show fsync")).isEqualTo("on");
    assertThat(query(server, "show full_page_writes")).isEqualTo("on");
    assertThat(query(server, "show synchronous_commit")).isEqualTo("on");

    // And only that server counts as the one serving the directory.
    Path pgData = dir.resolve("pg");
    long pid = Postmaster.pidIn(pgData.resolve("postmaster.pid")).orElseThrow();
    assertThat(Postmaster.servesDirectory(pid, pgData)).isTrue();
    assertThat(Postmaster.servesDirectory(pid, dir)).isFalse();
    assertThat(Postmaster.servesDirectory(ProcessHandle.current().pid(), pgData)).isFalse();
    assertThat(Postmaster.servesDirectory(Long.MAX_VALUE, pgData)).isFalse();
  }

  @Test
  void theTestDatabaseMayTurnThemOff() throws Exception {
    EmbeddedPostgresServer.Running server = start(freshDir(), false);

    assertThat(query(server, "show fsync")).isEqualTo("off");
  }

  private EmbeddedPostgresServer.Running start(Path dir, boolean durable) {
    EmbeddedPostgresServer.Running server =
        EmbeddedPostgresServer.start(dir.toString(), false, durable);
    started.add(dir.resolve("pg"));
    return server;
  }

  private static String query(EmbeddedPostgresServer.Running server, String sql)
      throws SQLException {
    try (Connection c =
            DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }

  private static Path freshDir() throws IOException {
    Path dir = Path.of("target", "embedded-recovery", UUID.randomUUID().toString());
    Files.createDirectories(dir);
    return dir.toAbsolutePath();
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
