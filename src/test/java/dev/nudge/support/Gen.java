package dev.nudge.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A generator of values for property tests ({@link Property}): a function of a seeded {@link
 * Random}, so that a failing value can be made again from its seed. Small on purpose: what the
 * hostile-input tests need (choices, weights, lists, strings, numbers, combination).
 */
@FunctionalInterface
public interface Gen<T> {

  T next(Random random);

  default <U> Gen<U> map(Function<? super T, ? extends U> f) {
    return r -> f.apply(next(r));
  }

  default <U> Gen<U> flatMap(Function<? super T, Gen<U>> f) {
    return r -> f.apply(next(r)).next(r);
  }

  /** Lists of this generator's values, of {@code min} to {@code max} elements. */
  default Gen<List<T>> list(int min, int max) {
    return r -> {
      int n = min + r.nextInt(max - min + 1);
      List<T> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(next(r));
      }
      return out;
    };
  }

  static <T> Gen<T> just(T value) {
    return r -> value;
  }

  @SafeVarargs
  static <T> Gen<T> of(T... values) {
    return of(List.of(values));
  }

  static <T> Gen<T> of(List<T> values) {
    List<T> copy = List.copyOf(values);
    return r -> copy.get(r.nextInt(copy.size()));
  }

  /** One of the generators, each equally likely. */
  @SafeVarargs
  static <T> Gen<T> oneOf(Gen<? extends T>... gens) {
    return r -> gens[r.nextInt(gens.length)].next(r);
  }

  /** One weighted choice: {@code weight(3, a), weight(1, b)} picks a three times in four. */
  record Weighted<T>(int weight, Gen<? extends T> gen) {}

  static <T> Weighted<T> weight(int weight, Gen<? extends T> gen) {
    return new Weighted<>(weight, gen);
  }

  @SafeVarargs
  static <T> Gen<T> frequency(Weighted<T>... choices) {
    int total = 0;
    for (Weighted<T> c : choices) {
      total += c.weight();
    }
    int sum = total;
    return r -> {
      int pick = r.nextInt(sum);
      for (Weighted<T> c : choices) {
        pick -= c.weight();
        if (pick < 0) {
          return c.gen().next(r);
        }
      }
      throw new IllegalStateException("unreachable");
    };
  }

  /** The values of each generator, in order. */
  static <T> Gen<List<T>> all(List<? extends Gen<? extends T>> gens) {
    return r -> {
      List<T> out = new ArrayList<>(gens.size());
      for (Gen<? extends T> g : gens) {
        out.add(g.next(r));
      }
      return out;
    };
  }

  /** For generators that refer to themselves or are costly to build. */
  static <T> Gen<T> lazy(Supplier<Gen<T>> supplier) {
    return r -> supplier.get().next(r);
  }

  static Gen<Integer> ints(int min, int max) {
    return r -> min + (int) (r.nextDouble() * ((long) max - min + 1));
  }

  static Gen<Integer> anyInt() {
    return Random::nextInt;
  }

  static Gen<Long> anyLong() {
    return Random::nextLong;
  }

  /** Doubles over the whole range of exponents, not only [0, 1). */
  static Gen<Double> anyDouble() {
    return r -> Double.longBitsToDouble(r.nextLong());
  }

  static Gen<Boolean> bool() {
    return Random::nextBoolean;
  }

  /** Strings of {@code min} to {@code max} characters drawn from {@code from} to {@code to}. */
  static Gen<String> strings(char from, char to, int min, int max) {
    return r -> {
      int n = min + r.nextInt(max - min + 1);
      StringBuilder b = new StringBuilder(n);
      for (int i = 0; i < n; i++) {
        b.append((char) (from + r.nextInt(to - from + 1)));
      }
      return b.toString();
    };
  }

  /** Letters and digits. */
  static Gen<String> alphanumeric(int min, int max) {
    String chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    return r -> {
      int n = min + r.nextInt(max - min + 1);
      StringBuilder b = new StringBuilder(n);
      for (int i = 0; i < n; i++) {
        b.append(chars.charAt(r.nextInt(chars.length())));
      }
      return b.toString();
    };
  }
}
