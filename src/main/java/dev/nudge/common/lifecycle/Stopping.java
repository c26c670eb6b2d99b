package dev.nudge.common.lifecycle;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Whether the service is shutting down. It turns true as the graceful shutdown begins, before the
 * HTTP server waits for its requests: open event streams then end cleanly instead of holding the
 * shutdown to its timeout, and the timer loops stop claiming new batches and finish the one they
 * hold.
 *
 * <p>The flag belongs to the process, not to the bean: a scheduled poll that reaches a bean while
 * the container is going may be handed a fresh instance, and must still see that the service is
 * stopping. It is cleared when the application starts (tests start several in one JVM).
 */
@ApplicationScoped
public class Stopping {

  private static volatile boolean stopping;

  public boolean now() {
    return stopping;
  }

  void onStart(@Observes StartupEvent event) {
    stopping = false;
  }

  /** The first step of a graceful shutdown ({@code quarkus.shutdown.delay-enabled}). */
  void onShutdownStarted(@Observes ShutdownDelayInitiatedEvent event) {
    stopping = true;
  }

  /** The application's stop, also when no graceful step came first. */
  void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
    stopping = true;
  }
}
