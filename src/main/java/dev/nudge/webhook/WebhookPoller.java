package dev.nudge.webhook;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/** Triggers the dispatcher on every replica; the database decides who sends what. */
@ApplicationScoped
public class WebhookPoller {

  private final WebhookDispatcher dispatcher;

  public WebhookPoller(WebhookDispatcher dispatcher) {
    this.dispatcher = dispatcher;
  }

  @Scheduled(
      identity = "webhook-dispatch",
      every = "${nudge.webhooks.poll-interval}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void poll() {
    dispatcher.runOnce();
  }
}
