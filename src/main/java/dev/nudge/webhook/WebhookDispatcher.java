package dev.nudge.webhook;

import dev.nudge.webhook.DeliveryStore.Claimed;
import dev.nudge.webhook.DeliveryStore.Outcome;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Moves deliveries: fans new events out, claims due deliveries and sends them without waiting. Each
 * endpoint may have only a few requests in flight on this replica, so a slow or dead endpoint holds
 * its own share and never the others'.
 */
@ApplicationScoped
public class WebhookDispatcher {

  private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
  private static final int FAN_OUT_ROUNDS = 20;

  private final DeliveryStore store;
  private final WebhookSender sender;
  private final WebhookTargets targets;
  private final WebhookConfig config;
  private final Clock clock;
  private final RetryPolicy retries;
  private final MeterRegistry metrics;
  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final AtomicInteger total = new AtomicInteger();
  private final java.util.concurrent.atomic.AtomicBoolean kickPending =
      new java.util.concurrent.atomic.AtomicBoolean();
  // Name resolution and recording block; they run here, never on the event loop.
  private final ExecutorService blocking =
      Executors.newFixedThreadPool(
          4,
          r -> {
            Thread t = new Thread(r, "nudge-webhooks");
            t.setDaemon(true);
            return t;
          });

  public WebhookDispatcher(
      DeliveryStore store,
      WebhookSender sender,
      WebhookTargets targets,
      WebhookConfig config,
      Clock clock,
      MeterRegistry metrics) {
    this.store = store;
    this.sender = sender;
    this.targets = targets;
    this.config = config;
    this.clock = clock;
    this.metrics = metrics;
    this.retries =
        new RetryPolicy(
            config.retrySchedule(),
            config.maxRetryAfter(),
            () -> ThreadLocalRandom.current().nextDouble());
  }

  @PreDestroy
  void stop() {
    blocking.shutdownNow();
  }

  /** One round: fan out, then claim and start as many deliveries as there is room for. */
  public synchronized void runOnce() {
    Instant now = clock.instant();
    for (int i = 0; i < FAN_OUT_ROUNDS; i++) {
      if (store.fanOut(config.batchSize(), now) < config.batchSize()) {
        break;
      }
    }
    int room = Math.min(config.maxInFlight() - total.get(), config.batchSize());
    if (room <= 0) {
      return;
    }
    List<String> saturated = new ArrayList<>();
    inFlight.forEach(
        (endpoint, n) -> {
          if (n.get() >= config.maxInFlightPerEndpoint()) {
            saturated.add(endpoint);
          }
        });
    Instant leaseUntil = now.plus(config.timeout()).plusSeconds(60);
    List<Claimed> claimed = store.claim(room, saturated, now, leaseUntil);
    List<Long> giveBack = new ArrayList<>();
    for (Claimed d : claimed) {
      AtomicInteger n = inFlight.computeIfAbsent(d.endpointId(), k -> new AtomicInteger());
      if (n.incrementAndGet() > config.maxInFlightPerEndpoint()) {
        n.decrementAndGet();
        giveBack.add(d.id());
        continue;
      }
      total.incrementAndGet();
      start(d);
    }
    if (!giveBack.isEmpty()) {
      store.release(giveBack);
    }
  }

  private void start(Claimed d) {
    CompletableFuture.supplyAsync(() -> target(d), blocking)
        .thenCompose(
            target ->
                target.address == null
                    ? CompletableFuture.completedFuture(target.refusal)
                    : sender.send(d, target.url, target.address))
        .exceptionally(e -> WebhookSender.failure(null, System.nanoTime(), e))
        .thenAcceptAsync(outcome -> finish(d, outcome), blocking)
        .whenComplete(
            (v, e) -> {
              if (e != null) {
                LOG.warnf(e, "Recording webhook delivery %d failed; its lease will expire", d.id());
              }
              inFlight.get(d.endpointId()).decrementAndGet();
              total.decrementAndGet();
              kick();
            });
  }

  /**
   * Claims again as soon as a request finishes instead of waiting for the next poll, so an
   * endpoint's share of requests stays busy; kicks coalesce into one pending round.
   */
  private void kick() {
    if (kickPending.compareAndSet(false, true)) {
      try {
        blocking.execute(
            () -> {
              kickPending.set(false);
              try {
                runOnce();
              } catch (RuntimeException e) {
                LOG.debugf(e, "Webhook round after a completion failed; the poll will retry");
              }
            });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        kickPending.set(false); // shutting down
      }
    }
  }

  private record Target(URI url, InetAddress address, Outcome refusal) {}

  /** Resolves the host and checks the very address that will be connected to. */
  private Target target(Claimed d) {
    long started = System.nanoTime();
    URI url = URI.create(d.url());
    try {
      InetAddress address = targets.guard().resolve(url.getHost());
      return new Target(url, address, null);
    } catch (AddressGuard.Refused e) {
      return new Target(url, null, WebhookSender.failure(null, started, e.getMessage()));
    }
  }

  private void finish(Claimed d, Outcome o) {
    Instant now = clock.instant();
    Instant next = null;
    if (!o.success() && !o.gone()) {
      next = retries.next(d.attemptsMade() + 1, o.retryAfter()).map(now::plus).orElse(null);
    }
    store.record(d, o, now, next, config.disableAfter());
    metrics
        .counter("nudge.webhook.attempts", "outcome", o.success() ? "succeeded" : "failed")
        .increment();
    if (!o.success() && next == null) {
      metrics.counter("nudge.webhook.deliveries.failed").increment();
    }
  }

  /** Requests this replica has in flight, for tests and metrics. */
  public int inFlight() {
    return total.get();
  }

  Duration timeout() {
    return config.timeout();
  }
}
