import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Load at a fixed concurrency: {@code concurrency} connections, one thread each (a blocking client
 * per connection is all 16 connections need; the JDK 17 that builds Nudge has no virtual threads).
 *
 * <p>Closed loop ({@link #closed}): every connection sends its next request as soon as the answer
 * to the last one is in; this finds the peak rate. Open loop ({@link #open}): requests are due at a
 * fixed rate whatever the answers do, and a request's latency counts from the moment it was due,
 * so time spent waiting for a free connection is in the figure (no coordinated omission).
 */
final class Load {

  /** One request of a scenario, on the calling thread's connection; returns false on a wrong answer. */
  interface Call {
    boolean run(Http connection, long index) throws Exception;
  }

  /** Told when the measured window opens and closes (to read CPU counters over exactly it). */
  interface Window {
    void opened() throws Exception;

    void closed() throws Exception;

    Window NONE = new Window() {
      public void opened() {}

      public void closed() {}
    };
  }

  /**
   * {@code micros}: every latency, sorted. {@code slowAt}: for the slowest 1 % of an open or closed
   * run, when each was due or sent (ms into the measured window), sorted; empty for other results.
   * {@code stealMillis}: per 100 ms of the window, the CPU time the hypervisor took from this
   * virtual machine's cores (/proc/stat's steal, in ms summed over the cores).
   */
  record Result(String label, long requests, long errors, double seconds, long[] micros, long[] slowAt,
      long openedAtMillis, long[] stealMillis) {
    Result(String label, long requests, long errors, double seconds, long[] micros) {
      this(label, requests, errors, seconds, micros, new long[0], 0, new long[0]);
    }

    private String steal(long step) {
      return step < stealMillis.length ? String.format(" (steal %d ms)", stealMillis[(int) step]) : "";
    }

    /**
     * Where in the window the slowest 1 % fell: the 100 ms steps holding most of them, with their
     * counts ("3.1 s: 12"), so that a pause of the service, a checkpoint or a GC can be told from
     * requests slow all along.
     */
    String slowest() {
      if (slowAt.length == 0) {
        return "none";
      }
      java.util.TreeMap<Long, Integer> steps = new java.util.TreeMap<>();
      for (long at : slowAt) {
        steps.merge(at / 100, 1, Integer::sum);
      }
      List<String> top = steps.entrySet().stream()
          .sorted((a, b) -> b.getValue() - a.getValue())
          .limit(6)
          .sorted(java.util.Map.Entry.comparingByKey())
          .map(e -> String.format("%.1f s: %d%s", e.getKey() / 10.0, e.getValue(), steal(e.getKey())))
          .toList();
      long stolen = java.util.Arrays.stream(stealMillis).sum();
      long[] sorted = stealMillis.clone();
      java.util.Arrays.sort(sorted);
      return String.format("%d requests in %d steps of 100 ms; most at %s (into the window opened at %s UTC);"
          + " steal over the window %d ms (%.1f %% of the cores), the most in one step %d ms",
          slowAt.length, steps.size(), String.join(", ", top),
          java.time.Instant.ofEpochMilli(openedAtMillis).toString().substring(11, 23),
          stolen, 100.0 * stolen / (seconds * 1000 * Runtime.getRuntime().availableProcessors()),
          sorted.length == 0 ? 0 : sorted[sorted.length - 1]);
    }

    double rate() {
      return requests / seconds;
    }

    double percentileMillis(double p) {
      if (micros.length == 0) {
        return Double.NaN;
      }
      int i = (int) Math.ceil(p / 100 * micros.length) - 1;
      return micros[Math.max(0, Math.min(micros.length - 1, i))] / 1000.0;
    }

    double p50() {
      return percentileMillis(50);
    }

    double p99() {
      return percentileMillis(99);
    }

    String describe() {
      return String.format("%,.0f requests/s, p50 %.1f ms, p99 %.1f ms (%,d requests in %.1f s, %d errors)",
          rate(), p50(), p99(), requests, seconds, errors);
    }
  }

  private Load() {}

  /** {@code n} requests one after another on one connection, each timed. */
  static Result count(String label, int port, int n, Call call) throws Exception {
    long[] micros = new long[n];
    long errors = 0;
    int ok = 0;
    long t0 = System.nanoTime();
    try (Http http = new Http(port)) {
      for (int i = 0; i < n; i++) {
        long start = System.nanoTime();
        if (call.run(http, i)) {
          micros[ok++] = (System.nanoTime() - start) / 1000;
        } else {
          errors++;
        }
      }
    }
    long[] done = Arrays.copyOf(micros, ok);
    Arrays.sort(done);
    return new Result(label, ok, errors, (System.nanoTime() - t0) / 1e9, done);
  }

  static Result closed(String label, int port, int concurrency, double warmSeconds, double seconds, Call call,
      Window window) throws Exception {
    return run(label, port, concurrency, warmSeconds, seconds, call, 0, window);
  }

  static Result open(String label, int port, int concurrency, double rate, double warmSeconds, double seconds,
      Call call, Window window) throws Exception {
    return run(label, port, concurrency, warmSeconds, seconds, call, rate, window);
  }

  /** The machine's steal time so far, in ticks (/proc/stat, the eighth field of the cpu line). */
  static long stealTicks() throws java.io.IOException {
    long[] f = ApiWrites.cpuTicks();
    return f.length > 8 ? f[8] : 0;
  }

  private static Result run(String label, int port, int concurrency, double warmSeconds, double seconds,
      Call call, double rate, Window window) throws Exception {
    long start = System.nanoTime() + 50_000_000L;
    long measureFrom = start + (long) (warmSeconds * 1e9);
    long measureTo = measureFrom + (long) (seconds * 1e9);
    long openedAtMillis = System.currentTimeMillis() + (measureFrom - System.nanoTime()) / 1_000_000;
    AtomicReference<Exception> windowFailure = new AtomicReference<>();
    Thread watcher = new Thread(() -> {
      try {
        LockSupport.parkNanos(measureFrom - System.nanoTime());
        window.opened();
        LockSupport.parkNanos(measureTo - System.nanoTime());
        window.closed();
      } catch (Exception e) {
        windowFailure.set(e);
      }
    }, "load-window");
    watcher.start();
    long[] stealMillis = new long[(int) Math.ceil(seconds * 10)];
    Thread stealSampler = new Thread(() -> {
      try {
        LockSupport.parkNanos(measureFrom - System.nanoTime());
        long last = stealTicks();
        for (int i = 0; i < stealMillis.length; i++) {
          LockSupport.parkNanos(measureFrom + (i + 1) * 100_000_000L - System.nanoTime());
          long now = stealTicks();
          stealMillis[i] = (now - last) * 10; // USER_HZ: 100 ticks a second
          last = now;
        }
      } catch (java.io.IOException | RuntimeException e) {
        // no /proc/stat (not Linux): no steal figures
      }
    }, "load-steal");
    stealSampler.setDaemon(true);
    stealSampler.start();
    AtomicLong next = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<long[]> samples = new ArrayList<>();
    List<long[]> dues = new ArrayList<>();
    long[] counts = new long[concurrency * 2];
    int[] sizes = new int[concurrency];
    Thread[] threads = new Thread[concurrency];
    for (int t = 0; t < concurrency; t++) {
      long[] mine = new long[1 << 16];
      samples.add(mine);
      dues.add(new long[1 << 16]);
      int me = t;
      threads[t] = new Thread(() -> {
        long[] buf = mine;
        long[] at = dues.get(me);
        int n = 0;
        long ok = 0;
        long errors = 0;
        try (Http http = new Http(port)) {
          while (true) {
            long i = next.getAndIncrement();
            long due;
            if (rate > 0) {
              due = start + (long) (i * 1e9 / rate);
              if (due >= measureTo) {
                break;
              }
              long wait = due - System.nanoTime();
              if (wait > 0) {
                LockSupport.parkNanos(wait);
              }
            } else {
              due = System.nanoTime();
              if (due >= measureTo) {
                break;
              }
            }
            boolean good = call.run(http, i);
            long end = System.nanoTime();
            if (due >= measureFrom && due < measureTo) {
              if (good) {
                ok++;
                if (n == buf.length) {
                  buf = Arrays.copyOf(buf, n * 2);
                  at = Arrays.copyOf(at, n * 2);
                }
                at[n] = (due - measureFrom) / 1_000_000;
                buf[n++] = (end - due) / 1000;
              } else {
                errors++;
              }
            }
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
        synchronized (counts) {
          samples.set(me, buf);
          dues.set(me, at);
          sizes[me] = n;
          counts[me * 2] = ok;
          counts[me * 2 + 1] = errors;
        }
      }, "load-" + t);
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    watcher.join();
    stealSampler.join(1000);
    if (windowFailure.get() != null) {
      throw windowFailure.get();
    }
    if (failure.get() != null) {
      throw new IllegalStateException(label + ": load generator failed", failure.get());
    }
    long ok = 0;
    long errors = 0;
    int total = 0;
    for (int t = 0; t < concurrency; t++) {
      ok += counts[t * 2];
      errors += counts[t * 2 + 1];
      total += sizes[t];
    }
    long[] all = new long[total];
    long[] dueAt = new long[total];
    int at = 0;
    for (int t = 0; t < concurrency; t++) {
      System.arraycopy(samples.get(t), 0, all, at, sizes[t]);
      System.arraycopy(dues.get(t), 0, dueAt, at, sizes[t]);
      at += sizes[t];
    }
    long[] sorted = all.clone();
    Arrays.sort(sorted);
    long[] slowAt = new long[0];
    if (total > 0) {
      long p99 = sorted[Math.max(0, (int) Math.ceil(0.99 * total) - 1)];
      slowAt = java.util.stream.IntStream.range(0, total).filter(i -> all[i] >= p99).mapToLong(i -> dueAt[i])
          .sorted().toArray();
    }
    return new Result(label, ok, errors, seconds, sorted, slowAt, openedAtMillis, stealMillis);
  }
}
