package dev.nudge.webhook;

import dev.nudge.webhook.DeliveryStore.Claimed;
import dev.nudge.webhook.DeliveryStore.EndpointRow;
import dev.nudge.webhook.DeliveryStore.Outcome;
import dev.nudge.webhook.WebhookSender.Target;
import io.vertx.core.Context;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One endpoint's deliveries on this replica: claimed deliveries queue here and go out at most
 * {@code limit} at a time, the next one as soon as one finishes. Each lane lives on one Vert.x
 * context and touches its state only there, so it needs no locks; other threads hand it work
 * through {@link #run}.
 */
final class EndpointLane {

  /** What a lane needs from the dispatcher that owns it. */
  interface Owner {
    /** Takes one of the replica's in-flight permits, or queues the lane for the next free one. */
    boolean tryAcquire(EndpointLane lane);

    void release();

    /** Hands a finished attempt on to be recorded. */
    void finished(EndpointLane lane, Claimed d, Outcome o);

    /**
     * Resolves the lane's URL off the event loop and gives the target back through {@link #run}.
     */
    void resolve(EndpointLane lane, String url);

    /** Gives deliveries back to the queue in the database. */
    void giveBack(List<Claimed> deliveries);

    /**
     * The lane is running low: the database may have more for it, queued ({@link #waiting}) or in
     * events the fan-out has not reached yet.
     */
    void wantMore(EndpointLane lane);
  }

  /** A checked address is reused for this long; it is re-resolved in the background after. */
  private static final Duration TARGET_TTL = Duration.ofSeconds(5);

  /**
   * A lane may hold what it sends in this long at its recent rate (and at least {@code capacity}),
   * so that a fast endpoint has enough queued to stay busy while the dispatcher is in the middle of
   * a fan-out statement or a poll (each can take a tenth of a second on a busy machine), and a slow
   * one holds no more than the minimum.
   */
  private static final long HOLD_NANOS = Duration.ofSeconds(1).toNanos();

  /** How often the recent rate is measured. */
  private static final long RATE_WINDOW_NANOS = Duration.ofMillis(200).toNanos();

  /**
   * A fast lane holds at most this many times the minimum, so that one endpoint that stops
   * answering holds a bounded share of the replica's room while its requests time out.
   */
  private static final int MAX_GROWTH = 8;

  final String endpointId;
  private final Context context;
  private final Owner owner;
  private final WebhookSender sender;
  private final int limit;
  private final int capacity;

  private final ArrayDeque<Claimed> queue = new ArrayDeque<>();
  private int inFlight;
  private EndpointRow endpoint;
  private WebhookSigner signer;
  private Target target;
  private boolean resolving;
  private boolean stopped;
  private boolean closed;
  private long wakeAtNanos = Long.MAX_VALUE;

  /** Queued plus in flight, for the dispatcher's thread to size claims by. */
  private final AtomicInteger held = new AtomicInteger();

  /** What this lane may hold now, from its recent rate (see HOLD_NANOS). */
  private volatile int holds;

  private long windowStartNanos = System.nanoTime();
  private int windowFinished;

  /** The database may hold due deliveries for this endpoint that no replica has leased. */
  volatile boolean waiting;

  volatile long lastActiveNanos = System.nanoTime();

  EndpointLane(
      String endpointId,
      Context context,
      Owner owner,
      WebhookSender sender,
      int limit,
      int capacity) {
    this.endpointId = endpointId;
    this.context = context;
    this.owner = owner;
    this.sender = sender;
    this.limit = limit;
    this.capacity = capacity;
    this.holds = capacity;
  }

  /** Runs {@code task} on this lane's context. */
  void run(Runnable task) {
    context.runOnContext(v -> task.run());
  }

  /** How many more deliveries this lane may take now. */
  int room() {
    return Math.max(0, holds - held.get());
  }

  /** True when the lane has spent at least half of what it may hold. */
  boolean low() {
    return held.get() <= holds / 2;
  }

  boolean idle() {
    return held.get() == 0;
  }

  /** Takes new deliveries (on the lane's context), with the endpoint as it is now. */
  void offer(EndpointRow row, List<Claimed> deliveries) {
    if (closed) {
      owner.giveBack(deliveries);
      return;
    }
    held.addAndGet(deliveries.size());
    queue.addAll(deliveries);
    lastActiveNanos = System.nanoTime();
    update(row);
    pump();
  }

  /**
   * The endpoint changed (on the lane's context): new secrets sign from the next request on, a new
   * URL is resolved again, and a disabled or deleted endpoint gets nothing more.
   */
  void update(EndpointRow row) {
    if (row == null || !row.enabled()) {
      stop();
      return;
    }
    if (closed) {
      return;
    }
    stopped = false;
    if (endpoint == null || !endpoint.url().equals(row.url())) {
      target = null;
    }
    if (signer == null || !signer.secrets().equals(row.secrets())) {
      signer = new WebhookSigner(row.secrets());
    }
    endpoint = row;
    pump();
  }

  /** Shutting down: gives back what is queued, for good (on the lane's context). */
  void close() {
    closed = true;
    stop();
  }

  /** Gives back what is queued and sends nothing until enabled again (on the lane's context). */
  void stop() {
    stopped = true;
    if (!queue.isEmpty()) {
      List<Claimed> back = new ArrayList<>(queue);
      queue.clear();
      held.addAndGet(-back.size());
      owner.giveBack(back);
    }
  }

  /** Requests in flight now (on the lane's context). */
  int inFlight() {
    return inFlight;
  }

  /** Sends queued deliveries while the endpoint and the replica have room (on the context). */
  void pump() {
    if (stopped || endpoint == null || queue.isEmpty()) {
      return;
    }
    if (target == null || target.olderThan(TARGET_TTL)) {
      if (!resolving) {
        resolving = true;
        owner.resolve(this, endpoint.url());
      }
      if (target == null) {
        return;
      }
    }
    while (inFlight < limit && !queue.isEmpty() && owner.tryAcquire(this)) {
      Claimed d = queue.poll();
      inFlight++;
      sender.send(d, target, signer, o -> finish(d, o));
    }
  }

  /** The resolved target (on the lane's context). */
  void resolved(String url, Target resolved) {
    resolving = false;
    if (endpoint != null && endpoint.url().equals(url)) {
      target = resolved;
    }
    pump();
  }

  /**
   * Looks for due deliveries again after {@code delay} (on the lane's context), so a retry goes out
   * when it falls due rather than at the next poll; one timer per lane, for the earliest.
   */
  void wakeAfter(Duration delay) {
    long at = System.nanoTime() + delay.toNanos();
    if (at >= wakeAtNanos) {
      return;
    }
    wakeAtNanos = at;
    context
        .owner()
        .setTimer(
            Math.max(1, delay.toMillis()),
            id -> {
              if (wakeAtNanos == at) {
                wakeAtNanos = Long.MAX_VALUE;
              }
              waiting = true;
              owner.wantMore(this);
            });
  }

  String tenantId() {
    return endpoint.tenantId();
  }

  private void finish(Claimed d, Outcome o) {
    inFlight--;
    held.decrementAndGet();
    long now = System.nanoTime();
    lastActiveNanos = now;
    windowFinished++;
    if (now - windowStartNanos >= RATE_WINDOW_NANOS) {
      long wanted = windowFinished * HOLD_NANOS / (now - windowStartNanos);
      holds = (int) Math.max(capacity, Math.min((long) capacity * MAX_GROWTH, wanted));
      windowStartNanos = now;
      windowFinished = 0;
    }
    owner.release();
    owner.finished(this, d, o);
    pump();
    if (low()) {
      owner.wantMore(this);
    }
  }
}
