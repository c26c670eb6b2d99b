package dev.nudge.common.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * On Linux, a small shell process that stops the embedded PostgreSQL when the JVM is gone, so a
 * service killed with SIGKILL leaves no server behind (a shutdown hook cannot run then).
 *
 * <p>The watchdog reads its standard input, a pipe whose only writer is this JVM: when the JVM
 * dies, however it dies, the kernel closes the pipe and the read ends, with no polling and no PID
 * that could be reused. It then sends the fast-shutdown signal to the postmaster it was given, and
 * only if that PID still heads the data directory's pid file and still works in that directory. It
 * ignores the terminal's and supervisor's INT, TERM and HUP, which the service handles itself. A
 * kill of the whole process group with SIGKILL ends the watchdog too; the next start then stops the
 * leftover server (see {@link Postmaster}).
 */
final class PostgresWatchdog {

  private static final Logger LOG = Logger.getLogger(PostgresWatchdog.class);

  private static final String SCRIPT =
      """
      trap '' INT TERM HUP
      while read -r _; do :; done
      pid=$(head -n 1 "$1/postmaster.pid" 2>/dev/null)
      if [ "$pid" = "$2" ] && [ "$(readlink "/proc/$2/cwd")" = "$1" ]; then
        kill -INT "$2"
      fi
      """;

  /**
   * Held for the life of the JVM: if the pipe were collected, the watchdog would stop the server.
   */
  private static volatile Process watchdog;

  private PostgresWatchdog() {}

  /** Starts the watchdog for the postmaster serving {@code pgData}, where the platform allows. */
  static void watch(Path pgData) {
    if (!Files.isDirectory(Path.of("/proc/self")) || !Files.isExecutable(Path.of("/bin/sh"))) {
      return;
    }
    try {
      Long pid = Postmaster.pidIn(pgData.resolve("postmaster.pid")).orElse(null);
      if (pid == null) {
        return;
      }
      watchdog =
          new ProcessBuilder(
                  "/bin/sh",
                  "-c",
                  SCRIPT,
                  "nudge-pg-watchdog",
                  pgData.toRealPath().toString(),
                  Long.toString(pid))
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
    } catch (IOException e) {
      LOG.debugf("No PostgreSQL watchdog: %s", e.getMessage());
    }
  }
}
