package dev.nudge.webhook;

import dev.nudge.common.lifecycle.Stopping;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The fallback that finds work no signal announced (other replicas' events, retries, expired
 * leases) on every replica; the database decides who sends what.
 */
@ApplicationScoped
public class WebhookPoller {

  private final WebhookDispatcher dispatcher;
  private final Stopping stopping;

  public WebhookPoller(WebhookDispatcher dispatcher, Stopping stopping) {
    this.dispatcher = dispatcher;
    this.stopping = stopping;
  }

  @Scheduled(
      identity = "webhook-dispatch",
      every = "${nudge.webhooks.poll-interval}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void poll() {
    if (stopping.now()) {
      return; // shutting down: the dispatcher claims nothing new
    }
    dispatcher.poll();
  }
}
