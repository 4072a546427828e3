package org.sensorcluster.http;

import java.security.SecureRandom;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Runs a property: a check that must hold for every input of a {@link Gen}, tried on {@code tries}
 * generated inputs. A failing input is shrunk (when a shrinker is given) and reported with the seed
 * that generates it first: {@code -Dprops.seed=<seed>} reproduces it on the first try.
 *
 * <p>Each run draws a new seed unless {@code -Dprops.seed} is set, so CI explores new inputs every
 * time; {@code -Dprops.scale=<n>} multiplies every property's tries (a long local hunt: {@code mvn
 * -pl http-api -am test -Dtest='*PropertyTest' -Dsurefire.failIfNoSpecifiedTests=false
 * -Dprops.scale=50}).
 */
final class Property {

  /** At most this many candidate inputs are checked while shrinking one failure. */
  private static final int SHRINK_BUDGET = 2_000;

  private static final int MAX_SHOWN_CHARS = 2_000;

  private Property() {}

  /**
   * The check of a property: returns when it holds for {@code input}, throws (anything) when not.
   */
  @FunctionalInterface
  interface Check<T> {
    void check(T input) throws Exception;
  }

  static <T> void forAll(String name, int tries, Gen<T> gen, Check<T> check) {
    forAll(name, tries, gen, t -> Stream.empty(), check);
  }

  /**
   * @param shrink smaller variants of a failing input, most promising first (may be empty)
   */
  static <T> void forAll(
      String name, int tries, Gen<T> gen, Function<T, Stream<T>> shrink, Check<T> check) {
    long seed = initialSeed();
    int n = tries * scale();
    long started = System.nanoTime();
    for (int i = 0; i < n; i++) {
      T input = gen.next(new Random(seed));
      Throwable failure = failureOf(check, input);
      if (failure != null) {
        Shrunk<T> smallest = shrink(input, failure, shrink, check);
        AssertionError report =
            new AssertionError(
                "property '"
                    + name
                    + "' failed on try "
                    + (i + 1)
                    + " of "
                    + n
                    + "; rerun it with -Dprops.seed="
                    + seed
                    + " (and -Dtest=<class>#<method>) to get this input on the first"
                    + " try\n"
                    + "input"
                    + (smallest.steps > 0 ? " (shrunk in " + smallest.steps + " steps)" : "")
                    + ": "
                    + show(smallest.input)
                    + "\nfailure: "
                    + smallest.failure,
                smallest.failure);
        throw report;
      }
      seed = mix(seed);
    }
    System.out.printf(
        "property '%s': %d tries passed in %d ms%n",
        name, n, (System.nanoTime() - started) / 1_000_000);
  }

  private record Shrunk<T>(T input, Throwable failure, int steps) {}

  private static <T> Shrunk<T> shrink(
      T input, Throwable failure, Function<T, Stream<T>> shrink, Check<T> check) {
    T current = input;
    Throwable currentFailure = failure;
    int steps = 0;
    int budget = SHRINK_BUDGET;
    boolean smaller = true;
    while (smaller && budget > 0) {
      smaller = false;
      var candidates = shrink.apply(current).iterator();
      while (candidates.hasNext() && budget-- > 0) {
        T candidate = candidates.next();
        Throwable f = failureOf(check, candidate);
        if (f != null && sameKind(f, failure)) {
          current = candidate;
          currentFailure = f;
          steps++;
          smaller = true;
          break;
        }
      }
    }
    return new Shrunk<>(current, currentFailure, steps);
  }

  /**
   * Shrinking keeps to failures like the first: same class, with a cause of the same class (or
   * none).
   */
  private static boolean sameKind(Throwable a, Throwable b) {
    return a.getClass() == b.getClass()
        && (a.getCause() == null
            ? b.getCause() == null
            : b.getCause() != null && a.getCause().getClass() == b.getCause().getClass());
  }

  private static <T> Throwable failureOf(Check<T> check, T input) {
    try {
      check.check(input);
      return null;
    } catch (Throwable t) { // anything thrown is a failure of the property, reported with its input
      if (t instanceof VirtualMachineError vme && !(t instanceof StackOverflowError)) {
        throw vme;
      }
      return t;
    }
  }

  static String show(Object input) {
    String s =
        input instanceof byte[] bytes
            ? "bytes "
                + Shrinks.escape(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1))
            : Shrinks.escape(String.valueOf(input));
    return s.length() <= MAX_SHOWN_CHARS
        ? s
        : s.substring(0, MAX_SHOWN_CHARS) + "... (" + s.length() + " chars)";
  }

  private static long initialSeed() {
    String fixed = System.getProperty("props.seed", "");
    return fixed.isBlank() ? new SecureRandom().nextLong() : Long.parseLong(fixed.trim());
  }

  private static int scale() {
    return Math.max(1, Integer.parseInt(System.getProperty("props.scale", "1").trim()));
  }

  /** The next seed (one step of SplitMix64), so that every try has a seed of its own. */
  private static long mix(long z) {
    z += 0x9e3779b97f4a7c15L;
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
