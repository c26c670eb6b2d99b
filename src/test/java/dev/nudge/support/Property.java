package dev.nudge.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Runs a property: {@code tries} values from a {@link Gen}, each from its own seed, checked one
 * after the other. Every failing value is collected (up to {@link #MAX_REPORTED}) and reported with
 * its seed, so that one run shows the breadth of a bug and each case can be run again alone: {@code
 * -Dnudge.property.seed=<seed> -Dnudge.property.tries=1}. {@code -Dnudge.property.tries=N}
 * overrides the number of tries of every property (for a quick run). The seed is fixed unless asked
 * otherwise ({@link #seed}).
 */
public final class Property {

  static final int MAX_REPORTED = 10;

  /** The check of one value; any exception or assertion error falsifies the property. */
  @FunctionalInterface
  public interface Check<T> {
    void check(T value) throws Exception;
  }

  private Property() {}

  /**
   * The run's seed: fixed per property by default, so that the suite is the same on every run and a
   * red build always reproduces; {@code -Dnudge.property.seed=random} draws a new one (to look
   * further), {@code -Dnudge.property.seed=<n>} repeats a reported one.
   */
  static long seed(String name) {
    String given = System.getProperty("nudge.property.seed");
    if (given == null || given.isBlank()) {
      return 0x5eed_0000_0000L + name.hashCode();
    }
    return given.equals("random") ? new Random().nextLong() : Long.parseLong(given.trim());
  }

  /** Checks {@code property} for {@code tries} values of {@code gen}; returns the tries run. */
  public static <T> int check(String name, int tries, Gen<T> gen, Check<T> property) {
    long seed = seed(name);
    int n = Integer.getInteger("nudge.property.tries", tries);
    Random seeds = new Random(seed);
    List<String> failures = new ArrayList<>();
    int failed = 0;
    long started = System.nanoTime();
    for (int i = 0; i < n; i++) {
      long trySeed = i == 0 ? seed : seeds.nextLong();
      T value;
      try {
        value = gen.next(new Random(trySeed));
      } catch (RuntimeException e) {
        throw new IllegalStateException(name + ": the generator failed for seed " + trySeed, e);
      }
      try {
        property.check(value);
      } catch (Exception | AssertionError e) {
        failed++;
        if (failures.size() < MAX_REPORTED) {
          failures.add("seed " + trySeed + ":\n" + e.getMessage());
        }
      }
    }
    System.out.printf(
        "property %s: %d tries, %d failed, %.1f s, seed %d%n",
        name, n, failed, (System.nanoTime() - started) / 1e9, seed);
    if (failed > 0) {
      throw new AssertionError(
          name
              + ": "
              + failed
              + " of "
              + n
              + " tries failed (run seed "
              + seed
              + "); the first "
              + failures.size()
              + ":\n\n"
              + String.join("\n\n", failures));
    }
    return n;
  }
}
