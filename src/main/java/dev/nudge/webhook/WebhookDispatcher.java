package dev.nudge.webhook;

import dev.nudge.common.lifecycle.Stopping;
import dev.nudge.common.log.FailureRun;
import dev.nudge.common.time.TenantClockMoved;
import dev.nudge.event.EventsCommitted;
import dev.nudge.webhook.AttemptLog.Finished;
import dev.nudge.webhook.DeliveryStore.Batch;
import dev.nudge.webhook.DeliveryStore.Claimed;
import dev.nudge.webhook.DeliveryStore.Outcome;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.ClientProxy;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jboss.logging.Logger;

/**
 * Moves deliveries. One thread per replica does the database side: it fans new events out the
 * moment they commit (leasing the new deliveries to itself as it inserts them), claims due
 * deliveries for endpoints that run low, finds work it was not told about on every poll (other
 * replicas' events, retries, expired leases), keeps the leases of what it holds alive, and gives
 * back what it cannot send. Each endpoint has a {@link EndpointLane} on an event loop that sends
 * its queue a few requests at a time, so a slow or dead endpoint holds its own share and never the
 * others'. Finished attempts are written in batches by an {@link AttemptRecorder}.
 */
@ApplicationScoped
public class WebhookDispatcher implements EndpointLane.Owner {

  private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);

  private static final int DISCOVERY_LIMIT = 10_000;

  /** Past this many tenants with endpoints, every commit wakes the fan-out (not worth a set). */
  private static final int SUBSCRIBED_LIMIT = 10_000;

  private static final Duration IDLE_LANE = Duration.ofSeconds(60);

  /** How often a fan-out waiting for room looks at the room again. */
  private static final Duration BEHIND_RECHECK = Duration.ofMillis(10);

  /** On shutdown, requests still in flight after the grace period are retaken this soon. */
  private static final Duration SHORT_LEASE = Duration.ofSeconds(5);

  private final EventFanOut fanOut;
  private final DeliveryStore store;
  private final WebhookSender sender;
  private final WebhookTargets targets;
  private final WebhookConfig config;
  private final Clock clock;
  private final RetryPolicy retries;
  private final AttemptRecorder recorder;
  private final Stopping shutdown;
  private final Duration lease;
  private final int capacity;
  private final int maxHeld;

  private final Map<String, EndpointLane> lanes = new ConcurrentHashMap<>();

  /** Every delivery this replica holds, with the end of its lease (epoch ms). */
  private final Map<Long, Long> leases = new ConcurrentHashMap<>();

  private final AtomicInteger inFlight = new AtomicInteger();
  private final ConcurrentLinkedQueue<EndpointLane> starved = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Claimed> givenBack = new ConcurrentLinkedQueue<>();
  private final Set<String> changed = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean fanOutWanted = new AtomicBoolean(true);
  private final AtomicBoolean claimWanted = new AtomicBoolean();
  private final AtomicBoolean pollWanted = new AtomicBoolean(true);
  private final Thread loop;
  private final FailureRun failures = new FailureRun(LOG, "Webhook dispatch");
  private volatile boolean stopping;

  private final FanOutPacing pacing;

  private long lastPollNanos;

  /**
   * The tenants that had an enabled endpoint when last read (on every poll, and at once after an
   * endpoint changed on this replica); null while not known, when every commit wakes the fan-out. A
   * commit of other tenants' events has nothing to send: the fan-out is left asleep and the next
   * poll moves its cursor past them. An endpoint created on another replica is learnt at this
   * replica's next poll, and events committed here meanwhile are fanned out at that poll (or by
   * that replica's fan-out, which reads every replica's events).
   */
  private volatile Set<String> subscribed;

  private volatile boolean subscribedStale = true;
  private final Object subscribedLock = new Object();
  private long endpointChanges;
  private final AtomicLong skippedWakeUps = new AtomicLong();

  // Name resolution blocks; it runs here, never on an event loop or the dispatch thread.
  private final ExecutorService resolver =
      Executors.newFixedThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "nudge-webhook-resolver");
            t.setDaemon(true);
            return t;
          });

  public WebhookDispatcher(
      EventFanOut fanOut,
      DeliveryStore store,
      AttemptLog attempts,
      WebhookSender sender,
      WebhookTargets targets,
      WebhookConfig config,
      Clock clock,
      MeterRegistry metrics,
      Stopping shutdown) {
    this.fanOut = fanOut;
    this.shutdown = shutdown;
    this.store = store;
    // The lanes call the sender for every request: the bean itself, not its client proxy, which
    // looks the instance up again on each call.
    this.sender = ClientProxy.unwrap(sender);
    this.targets = targets;
    this.config = config;
    this.clock = clock;
    this.retries =
        new RetryPolicy(
            config.retrySchedule(),
            config.maxRetryAfter(),
            () -> ThreadLocalRandom.current().nextDouble());
    this.lease = config.timeout().plusSeconds(60);
    this.capacity = config.batchSize();
    // Enough to keep every in-flight slot busy many times over, little enough to hold in memory.
    this.maxHeld = Math.max(config.maxHeld(), config.maxInFlight() * 4);
    this.pacing =
        new FanOutPacing(config.fanOutWait(), Math.min(capacity, maxHeld / 4), System::nanoTime);
    this.recorder =
        new AttemptRecorder(
            attempts, config.recordInterval(), config.disableAfter(), metrics, this::written);
    this.loop = new Thread(this::run, "nudge-webhook-dispatcher");
    loop.setDaemon(true);
    metrics.gauge("nudge.webhook.in.flight", inFlight);
    metrics.gauge("nudge.webhook.held", leases, Map::size);
  }

  void start(@Observes StartupEvent event) {
    recorder.start();
    loop.start();
  }

  /** The poll: look for work this replica was not told about. */
  public void poll() {
    pollWanted.set(true);
    LockSupport.unpark(loop);
  }

  void eventsCommitted(@Observes EventsCommitted event) {
    Set<String> known = subscribed;
    if (known != null && Collections.disjoint(known, event.tenantIds())) {
      skippedWakeUps.incrementAndGet();
      return;
    }
    fanOutWanted.set(true);
    LockSupport.unpark(loop);
  }

  /**
   * Events were written into the outbox by something other than a replica ({@link OutboxListener}):
   * the fan-out looks at once. Which tenants they belong to is not known here, so the fan-out runs
   * whoever they are; it moves past events no endpoint wants.
   */
  void outboxNotified() {
    fanOutWanted.set(true);
    LockSupport.unpark(loop);
  }

  /** Commits that did not wake the fan-out (no endpoint of theirs), for tests. */
  public long skippedWakeUps() {
    return skippedWakeUps.get();
  }

  /** A test clock moved: retries of that tenant may have fallen due. */
  void clockMoved(@Observes(during = TransactionPhase.AFTER_SUCCESS) TenantClockMoved event) {
    poll();
  }

  void endpointChanged(
      @Observes(during = TransactionPhase.AFTER_SUCCESS) WebhookEndpointService.Changed event) {
    synchronized (subscribedLock) {
      endpointChanges++;
      subscribed = null; // until read again: a new endpoint is sent its tenant's next event at once
      subscribedStale = true;
    }
    if (event.endpointId() != null) {
      changed.add(event.endpointId());
    }
    if (event.queued()) {
      pollWanted.set(true);
    }
    LockSupport.unpark(loop);
  }

  /** Requests this replica has in flight, for tests and metrics. */
  public int inFlight() {
    return inFlight.get();
  }

  private void run() {
    long backoffMillis = 0;
    while (!stopping) {
      try {
        step();
        failures.succeeded();
        backoffMillis = 0;
        if (shutdown.now()) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        } else if (!fanOutWanted.get()
            && !claimWanted.get()
            && !pollWanted.get()
            && givenBack.isEmpty()) {
          // While the fan-out waits for room it looks again every few milliseconds, whatever
          // freed the room (attempts written, deliveries given back) and however long it waited.
          LockSupport.parkNanos(
              pacing.behind()
                  ? Math.min(BEHIND_RECHECK.toNanos(), untilNextPoll())
                  : untilNextPoll());
        }
      } catch (RuntimeException e) {
        // A database outage is one warning, however long it lasts; the loop keeps trying.
        failures.failed(e);
        // What the failed step was asked to do is done by the next, which also looks for work.
        fanOutWanted.set(true);
        pollWanted.set(true);
        backoffMillis = Math.min(5000, Math.max(200, backoffMillis * 2));
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoffMillis));
      }
    }
  }

  private long untilNextPoll() {
    long interval = config.pollInterval().toNanos();
    return Math.max(1, interval - (System.nanoTime() - lastPollNanos));
  }

  private void step() {
    if (shutdown.now()) {
      // The service is stopping: no new claims; what lanes give back goes back to the queue, and
      // the shutdown (below) lets the requests in flight finish.
      giveBack();
      return;
    }
    Instant now = clock.instant();
    boolean poll =
        pollWanted.getAndSet(false)
            || System.nanoTime() - lastPollNanos >= config.pollInterval().toNanos();
    if (poll) {
      lastPollNanos = System.nanoTime();
    }
    boolean wanted = fanOutWanted.getAndSet(false);
    // A step that only looks at the room again (see BEHIND_RECHECK) does nothing else.
    boolean recheck = !wanted && !poll && !claimWanted.get() && givenBack.isEmpty();
    giveBack();
    if (poll || subscribedStale) {
      readSubscribed();
    }
    if (wanted || poll || pacing.behind()) {
      fanOut(now);
    }
    if (recheck) {
      return;
    }
    if (poll) {
      List<String> known = new ArrayList<>();
      lanes.forEach(
          (id, lane) -> {
            if (lane.waiting) {
              known.add(id);
            }
          });
      for (String id : store.dueEndpoints(now, known, DISCOVERY_LIMIT)) {
        lane(id).waiting = true;
      }
      renewLeases(now);
      retireIdleLanes();
      lanes.forEach((id, lane) -> changed.add(id));
    }
    refreshChanged(now);
    claimWanted.set(false);
    claim(now);
  }

  /**
   * One fan-out statement per step, so that the claims of lanes running low come between any two (a
   * statement fanning 200 events out to ten endpoints writes 2,000 deliveries). It leases no more
   * new deliveries than the replica has room to hold, so they are not queued and claimed later;
   * deliveries to a lane without room are queued as before. With too little room it waits, looking
   * again every {@link #BEHIND_RECHECK}; once it has waited {@code nudge.webhooks.fan-out-wait} it
   * fans out without a limit, queueing what it cannot hold, until it has caught up with the
   * committed events.
   */
  private void fanOut(Instant now) {
    int room = maxHeld - leases.size();
    int limit = pacing.limit(room);
    if (limit == FanOutPacing.WAIT) {
      return;
    }
    Map<String, Integer> rooms = new HashMap<>();
    lanes.forEach((id, lane) -> rooms.put(id, Math.max(0, Math.min(room, lane.room()))));
    EventFanOut.Result r =
        fanOut.fanOut(
            config.batchSize(), limit, rooms, room > 0 ? capacity : 0, now, now.plus(lease));
    dispatch(r.batch(), now.plus(lease));
    pacing.ran(limit, r.heldBack(), r.more());
    if (r.more()) {
      fanOutWanted.set(true); // more committed events than one step took: on with the next
    }
  }

  /** Claims for every lane that runs low while the database has more for it. */
  private void claim(Instant now) {
    int room = maxHeld - leases.size();
    Map<String, Integer> rooms = new HashMap<>();
    lanes.forEach(
        (id, lane) -> {
          if (lane.waiting && lane.low() && lane.room() > 0 && room > 0) {
            rooms.put(id, Math.min(room, lane.room()));
          }
        });
    if (rooms.isEmpty()) {
      return;
    }
    Batch batch = store.claim(rooms, now, now.plus(lease));
    rooms.keySet().stream()
        .filter(id -> !batch.waiting().contains(id))
        .forEach(id -> lanes.get(id).waiting = false);
    dispatch(batch, now.plus(lease));
  }

  private void dispatch(Batch batch, Instant leaseUntil) {
    long until = leaseUntil.toEpochMilli();
    Map<String, List<Claimed>> byEndpoint = new LinkedHashMap<>();
    for (Claimed d : batch.claimed()) {
      leases.put(d.id(), until);
      byEndpoint.computeIfAbsent(d.endpointId(), k -> new ArrayList<>()).add(d);
    }
    byEndpoint.forEach(
        (endpointId, deliveries) -> {
          EndpointLane lane = lane(endpointId);
          DeliveryStore.EndpointRow row = batch.endpoints().get(endpointId);
          lane.run(() -> lane.offer(row, deliveries));
        });
    for (String id : batch.waiting()) {
      lane(id).waiting = true;
    }
  }

  private EndpointLane lane(String endpointId) {
    return lanes.computeIfAbsent(
        endpointId,
        id ->
            new EndpointLane(
                id,
                sender.vertx().getOrCreateContext(),
                this,
                sender,
                config.maxInFlightPerEndpoint(),
                capacity));
  }

  /** Reads which tenants have an enabled endpoint, unless one changed here meanwhile. */
  private void readSubscribed() {
    long changes;
    synchronized (subscribedLock) {
      changes = endpointChanges;
    }
    Set<String> tenants = store.subscribedTenants(SUBSCRIBED_LIMIT);
    synchronized (subscribedLock) {
      if (changes == endpointChanges) {
        subscribed = tenants;
        subscribedStale = false;
      }
    }
  }

  /** Lanes read the endpoint again after it changed, here or (on every poll) elsewhere. */
  private void refreshChanged(Instant now) {
    if (changed.isEmpty()) {
      return;
    }
    List<String> ids = new ArrayList<>(changed);
    changed.removeAll(ids);
    Map<String, DeliveryStore.EndpointRow> rows = store.endpoints(ids, now);
    for (String id : ids) {
      EndpointLane lane = lanes.get(id);
      if (lane != null) {
        DeliveryStore.EndpointRow row = rows.get(id);
        lane.run(() -> lane.update(row));
      }
    }
  }

  /** Leases of held deliveries (queued behind a slow endpoint, say) never run out while held. */
  private void renewLeases(Instant now) {
    long soon = now.plus(lease.dividedBy(2)).toEpochMilli();
    List<Long> ids = new ArrayList<>();
    leases.forEach(
        (id, until) -> {
          if (until < soon) {
            ids.add(id);
          }
        });
    if (!ids.isEmpty()) {
      Instant until = now.plus(lease);
      store.renew(ids, until);
      ids.forEach(id -> leases.computeIfPresent(id, (k, v) -> until.toEpochMilli()));
    }
  }

  private void retireIdleLanes() {
    long idleBefore = System.nanoTime() - IDLE_LANE.toNanos();
    lanes.values().removeIf(l -> l.idle() && !l.waiting && l.lastActiveNanos < idleBefore);
  }

  private void giveBack() {
    List<Claimed> back = new ArrayList<>();
    Claimed d;
    while ((d = givenBack.poll()) != null) {
      back.add(d);
    }
    if (back.isEmpty()) {
      return;
    }
    List<Long> ids = back.stream().map(Claimed::id).toList();
    try {
      store.release(ids);
    } catch (RuntimeException e) {
      givenBack.addAll(back); // still ours: given back on the next try
      throw e;
    }
    ids.forEach(leases::remove);
  }

  // --- EndpointLane.Owner: called on the lanes' event loops -------------------------------------

  @Override
  public boolean tryAcquire(EndpointLane lane) {
    while (true) {
      int n = inFlight.get();
      if (n >= config.maxInFlight()) {
        starved.add(lane);
        return false;
      }
      if (inFlight.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  @Override
  public void release() {
    inFlight.decrementAndGet();
    EndpointLane next = starved.poll();
    if (next != null) {
      next.run(next::pump);
    }
  }

  @Override
  public void finished(EndpointLane lane, Claimed d, Outcome o) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    Duration retryIn = null;
    if (!o.success() && !o.gone()) {
      retryIn = retries.next(d.attemptsMade() + 1, o.retryAfter()).orElse(null);
    }
    recorder.submit(new Finished(d, lane.tenantId(), o, now, retryIn));
    if (retryIn != null) {
      lane.wakeAfter(retryIn);
    }
  }

  @Override
  public void resolve(EndpointLane lane, String url) {
    try {
      resolver.execute(
          () -> {
            WebhookSender.Target target = WebhookSender.Target.resolve(url, targets.guard());
            lane.run(() -> lane.resolved(url, target));
          });
    } catch (RejectedExecutionException e) {
      // shutting down
    }
  }

  @Override
  public void giveBack(List<Claimed> deliveries) {
    givenBack.addAll(deliveries);
    LockSupport.unpark(loop);
  }

  @Override
  public void wantMore(EndpointLane lane) {
    boolean behind = pacing.behind();
    if (!lane.waiting && !behind) {
      return;
    }
    if (lane.waiting) {
      claimWanted.set(true);
    }
    if (behind) {
      fanOutWanted.set(true);
    }
    LockSupport.unpark(loop);
  }

  /** The recorder wrote these attempts: their deliveries are no longer held. */
  private void written(List<Finished> batch, Set<String> disabledEndpoints) {
    for (Finished f : batch) {
      leases.remove(f.delivery().id());
    }
    if (pacing.behind()) {
      fanOutWanted.set(true); // room again for what the fan-out held back
      LockSupport.unpark(loop);
    }
    for (String id : disabledEndpoints) {
      EndpointLane lane = lanes.get(id);
      if (lane != null) {
        lane.run(lane::stop);
      }
    }
  }

  // --- Shutdown -----------------------------------------------------------------------------

  /**
   * Stops claiming, gives back what is queued, lets requests in flight finish within {@code
   * nudge.webhooks.shutdown-grace}, writes their attempts, and leaves the deliveries of requests
   * still unfinished to be retaken soon after. Nothing here is an error.
   */
  void stop(@Observes ShutdownEvent event) {
    stopping = true;
    LockSupport.unpark(loop);
    long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
    try {
      loop.join(config.shutdownGrace().toMillis());
      java.util.concurrent.CountDownLatch closed =
          new java.util.concurrent.CountDownLatch(lanes.size());
      lanes
          .values()
          .forEach(
              l ->
                  l.run(
                      () -> {
                        l.close();
                        closed.countDown();
                      }));
      closed.await(1, TimeUnit.SECONDS);
      int returned = givenBack.size();
      giveBack();
      while (inFlight.get() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      int unfinished = inFlight.get();
      recorder.stop(Duration.ofNanos(Math.max(deadline - System.nanoTime(), 0)).plusSeconds(2));
      List<Long> stillHeld = new ArrayList<>(leases.keySet());
      store.renew(stillHeld, clock.instant().plus(SHORT_LEASE));
      LOG.infof(
          "Webhook dispatcher stopped: %d queued deliveries given back, %d requests unfinished"
              + " after %s (retried by any replica in %s)",
          returned, unfinished, config.shutdownGrace(), SHORT_LEASE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.warnf(
          "Webhook dispatcher stopped without writing everything (%s); leases run out and the"
              + " deliveries are sent again",
          FailureRun.rootMessage(e));
    } finally {
      resolver.shutdownNow();
    }
  }
}
