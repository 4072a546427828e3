package org.sensorcluster.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Assumptions;

/**
 * Renders a kustomization with {@code kubectl kustomize} (kustomize v5 is built into kubectl), or
 * without kubectl.
 */
final class Kustomize {

  private static final long TIMEOUT_SECONDS = 120;

  private Kustomize() {}

  /**
   * The rendered YAML of {@code dir}: by {@code kubectl kustomize} where kubectl is on the PATH,
   * else by {@link KustomizeSubset} (which the manifests test checks against kubectl where both
   * exist).
   */
  static String render(Path dir) {
    Optional<Path> kubectl = onPath("kubectl");
    if (kubectl.isEmpty()) {
      if (!NOTED.getAndSet(true)) {
        System.out.println(
            "NOTE: kubectl is not on PATH: k8s/ is rendered by KustomizeSubset (Java), not kustomize");
      }
      return KustomizeSubset.render(dir);
    }
    return renderWithKubectl(kubectl.get(), dir);
  }

  private static final java.util.concurrent.atomic.AtomicBoolean NOTED =
      new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * The rendered YAML of {@code dir} by {@code kubectl kustomize}. Fails when kubectl exits
   * non-zero or prints anything on stderr (kustomize's deprecation warnings go there).
   */
  static String renderWithKubectl(Path kubectl, Path dir) {
    ProcessBuilder pb = new ProcessBuilder(kubectl.toString(), "kustomize", dir.toString());
    pb.environment().put("KUBECONFIG", "/dev/null"); // rendering needs no cluster; use none
    try {
      Path errFile = Files.createTempFile("kustomize", ".stderr");
      try {
        pb.redirectError(errFile.toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<String> out = drain(p.getInputStream());
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          return fail("kubectl kustomize " + dir + " did not finish in " + TIMEOUT_SECONDS + " s");
        }
        String stdout = out.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        String stderr = Files.readString(errFile);
        assertEquals(0, p.exitValue(), "kubectl kustomize " + dir + " failed:\n" + stderr);
        assertTrue(stderr.isBlank(), "kubectl kustomize " + dir + " printed warnings:\n" + stderr);
        assertTrue(!stdout.isBlank(), "kubectl kustomize " + dir + " rendered nothing");
        return stdout;
      } finally {
        Files.deleteIfExists(errFile);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new IllegalStateException("kubectl kustomize " + dir + ": " + e, e);
    }
  }

  /** kubectl, for the tests that are about kubectl itself; skipped (loudly) where it is missing. */
  static Path requireKubectl() {
    Optional<Path> found = onPath("kubectl");
    if (found.isPresent()) {
      return found.get();
    }
    String what = "kubectl (>= 1.27, which bundles kustomize v5) is not on PATH";
    System.out.println("\n*** SKIPPED: " + what + " ***\n");
    Assumptions.abort(what);
    throw new AssertionError("unreachable");
  }

  private static Optional<Path> onPath(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static CompletableFuture<String> drain(InputStream in) {
    CompletableFuture<String> result = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (in) {
                result.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
              } catch (IOException e) {
                result.completeExceptionally(e);
              }
            },
            "kubectl-stdout");
    reader.setDaemon(true);
    reader.start();
    return result;
  }
}
