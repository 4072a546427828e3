package org.sensorcluster.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * A generator of test inputs for {@link Property}: a function of a seeded {@link Random}, so that
 * the same seed gives the same input. Numbers lean towards their bounds (and zero), where bugs
 * live.
 */
@FunctionalInterface
interface Gen<T> {

  T next(Random random);

  default <U> Gen<U> map(Function<? super T, ? extends U> f) {
    return r -> f.apply(next(r));
  }

  default <U> Gen<U> flatMap(Function<? super T, Gen<U>> f) {
    return r -> f.apply(next(r)).next(r);
  }

  static <T> Gen<T> constant(T value) {
    return r -> value;
  }

  /** One of {@code values}, each as likely. */
  @SafeVarargs
  static <T> Gen<T> elements(T... values) {
    return r -> values[r.nextInt(values.length)];
  }

  static <T> Gen<T> elements(List<T> values) {
    return r -> values.get(r.nextInt(values.size()));
  }

  /** One of {@code gens}, each as likely; weigh with {@link #choice()} instead. */
  @SafeVarargs
  static <T> Gen<T> oneOf(Gen<? extends T>... gens) {
    return r -> gens[r.nextInt(gens.length)].next(r);
  }

  /** A weighted choice among generators: {@code Gen.<T>choice().or(5, a).or(1, b)}. */
  static <T> Choice<T> choice() {
    return new Choice<>();
  }

  /** An int in [min, max]; one in ten is min, max or (if in range) 0. */
  static Gen<Integer> ints(int min, int max) {
    return r -> (int) (long) longs(min, max).next(r);
  }

  /** A long in [min, max]; one in ten is min, max or (if in range) 0. */
  static Gen<Long> longs(long min, long max) {
    return r -> {
      int edge = r.nextInt(30);
      if (edge == 0) {
        return min;
      }
      if (edge == 1) {
        return max;
      }
      if (edge == 2 && min <= 0 && max >= 0) {
        return 0L;
      }
      long span = max - min + 1;
      return span > 0
          ? min + Math.floorMod(r.nextLong(), span)
          : r.nextLong(); // span <= 0: the whole range
    };
  }

  /** A size in [min, max], mostly small: half of the time at most min + 8. */
  static Gen<Integer> sizes(int min, int max) {
    return r ->
        r.nextBoolean() ? min + r.nextInt(Math.min(max - min, 8) + 1) : ints(min, max).next(r);
  }

  static <T> Gen<List<T>> listOf(Gen<T> element, int min, int max) {
    return r -> {
      int n = sizes(min, max).next(r);
      List<T> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(element.next(r));
      }
      return out;
    };
  }

  /** A string of {@code min..max} characters drawn from {@code alphabet}. */
  static Gen<String> stringOf(String alphabet, int min, int max) {
    return r -> {
      int n = sizes(min, max).next(r);
      StringBuilder b = new StringBuilder(n);
      for (int i = 0; i < n; i++) {
        b.append(alphabet.charAt(r.nextInt(alphabet.length())));
      }
      return b.toString();
    };
  }

  /** A string of {@code min..max} code points from {@code codePoint}. */
  static Gen<String> codePoints(Gen<Integer> codePoint, int min, int max) {
    return r -> {
      int n = sizes(min, max).next(r);
      StringBuilder b = new StringBuilder(n);
      for (int i = 0; i < n; i++) {
        b.appendCodePoint(codePoint.next(r));
      }
      return b.toString();
    };
  }

  /** See {@link #choice()}. */
  final class Choice<T> implements Gen<T> {
    private final List<Integer> weights = new ArrayList<>();
    private final List<Gen<? extends T>> gens = new ArrayList<>();
    private int total;

    public Choice<T> or(int weight, Gen<? extends T> gen) {
      weights.add(weight);
      gens.add(gen);
      total += weight;
      return this;
    }

    @Override
    public T next(Random random) {
      int pick = random.nextInt(total);
      for (int i = 0; i < gens.size(); i++) {
        pick -= weights.get(i);
        if (pick < 0) {
          return gens.get(i).next(random);
        }
      }
      throw new IllegalStateException("unreachable");
    }
  }
}
