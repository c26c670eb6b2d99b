package dev.nudge.common.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The PostgreSQL named by a data directory's {@code postmaster.pid}, if it is still running. A
 * service killed with SIGKILL (or by the out-of-memory killer) leaves its embedded server running,
 * because {@code pg_ctl} detaches it from the JVM; that server still holds the pid file, and a new
 * server refuses to start beside it.
 *
 * <p>A PID is trusted only after {@code /proc} confirms that the process is a {@code postgres}
 * whose working directory is this data directory (the postmaster changes into it). Any other
 * process behind a stale PID is never signalled; only the stale file is removed, because PostgreSQL
 * would otherwise refuse to start while an unrelated process has that PID.
 */
final class Postmaster {

  private static final Logger LOG = Logger.getLogger(Postmaster.class);
  private static final Duration FAST_STOP = Duration.ofSeconds(60);
  private static final Duration IMMEDIATE_STOP = Duration.ofSeconds(30);

  private Postmaster() {}

  /**
   * Makes {@code pgData} free for a new server: stops a leftover server that serves it with a fast
   * shutdown (an immediate one if that does not finish), or removes a stale pid file. The caller
   * holds the data directory's lock, so no live service is using that server.
   */
  static void clearLeftover(Path pgData) throws IOException {
    Path pidFile = pgData.resolve("postmaster.pid");
    Optional<Long> pid = pidIn(pidFile);
    if (pid.isEmpty()) {
      return;
    }
    if (!servesDirectory(pid.get(), pgData)) {
      LOG.infof(
          "Removing a stale postmaster.pid (PID %d is not a PostgreSQL serving %s)",
          pid.get(), pgData);
      Files.deleteIfExists(pidFile);
      return;
    }
    LOG.warnf(
        "A PostgreSQL (PID %d) left running by an earlier start still serves %s; stopping it"
            + " (fast shutdown) and starting again",
        pid.get(), pgData);
    stop(pid.get(), pgData);
  }

  /**
   * Stops the server serving {@code pgData} with a fast shutdown (PostgreSQL ends the sessions,
   * writes a checkpoint and removes its pid file); does nothing if none does. Used at service
   * shutdown, after the application has let go of its connections.
   */
  static void stop(Path pgData) throws IOException {
    Optional<Long> pid = pidIn(pgData.resolve("postmaster.pid"));
    if (pid.isPresent() && servesDirectory(pid.get(), pgData)) {
      stop(pid.get(), pgData);
    }
  }

  private static void stop(long pid, Path pgData) throws IOException {
    ProcessHandle server = ProcessHandle.of(pid).orElse(null);
    if (server == null) {
      return;
    }
    signal(server, "INT");
    if (!exited(server, FAST_STOP)) {
      LOG.warnf("PostgreSQL (PID %d) did not stop in %s; stopping it immediately", pid, FAST_STOP);
      signal(server, "QUIT");
      if (!exited(server, IMMEDIATE_STOP)) {
        throw new IOException(
            "The PostgreSQL (PID "
                + pid
                + ") serving "
                + pgData
                + " does not stop; stop it by hand and start again");
      }
    }
  }

  /** The postmaster's PID from the first line of its pid file, if the file exists. */
  static Optional<Long> pidIn(Path pidFile) throws IOException {
    if (!Files.isRegularFile(pidFile)) {
      return Optional.empty();
    }
    List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
    if (lines.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(lines.get(0).trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * True if {@code pid} is a running {@code postgres} working in {@code pgData}: its program name
   * is {@code postgres} and {@code /proc/<pid>/cwd} is that directory.
   */
  static boolean servesDirectory(long pid, Path pgData) {
    Path proc = Path.of("/proc", Long.toString(pid));
    try {
      byte[] cmdline = Files.readAllBytes(proc.resolve("cmdline"));
      int end = 0;
      while (end < cmdline.length && cmdline[end] != 0) {
        end++;
      }
      String program = new String(cmdline, 0, end, StandardCharsets.UTF_8);
      String name = program.substring(program.lastIndexOf('/') + 1);
      if (!name.equals("postgres") && !name.startsWith("postgres:")) {
        return false;
      }
      Path cwd = Files.readSymbolicLink(proc.resolve("cwd"));
      return cwd.equals(pgData.toRealPath());
    } catch (IOException | RuntimeException e) {
      // No such process, or one we may not inspect: not provably ours, so never signalled.
      return false;
    }
  }

  private static void signal(ProcessHandle process, String signal) throws IOException {
    try {
      Process kill =
          new ProcessBuilder("kill", "-s", signal, Long.toString(process.pid()))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      kill.waitFor(10, TimeUnit.SECONDS);
    } catch (IOException e) {
      // No kill(1): SIGTERM, PostgreSQL's smart shutdown, which also ends once no session is left.
      process.destroy();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping PostgreSQL", e);
    }
  }

  private static boolean exited(ProcessHandle process, Duration within) {
    try {
      process.onExit().get(within.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return !process.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    } catch (java.util.concurrent.ExecutionException e) {
      return !process.isAlive();
    }
  }
}
