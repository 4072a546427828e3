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

/** Renders a kustomization with {@code kubectl kustomize} (kustomize v5 is built into kubectl). */
final class Kustomize {

  private static final long TIMEOUT_SECONDS = 120;

  private Kustomize() {}

  /**
   * The rendered YAML of {@code dir}. Fails when kubectl exits non-zero or prints anything on stderr
   * (kustomize's deprecation warnings go there). Without kubectl: fails under CI=true, else the
   * calling test is aborted (skipped) with a note on stderr.
   */
  static String render(Path dir) {
    Path kubectl = kubectl();
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

  static Path kubectl() {
    Optional<Path> found = onPath("kubectl");
    if (found.isPresent()) {
      return found.get();
    }
    String what = "kubectl (>= 1.27, which bundles kustomize v5) is not on PATH; KubernetesManifestsTest "
        + "renders k8s/ with `kubectl kustomize`. Install kubectl (e.g. the kubectl package of the "
        + "Kubernetes or Google Cloud apt repository; Debian's kubernetes-client is too old).";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      return fail(what);
    }
    System.err.println("\n*** SKIPPING k8s/ manifest tests: " + what + " ***\n");
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
    Thread reader = new Thread(() -> {
      try (in) {
        result.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        result.completeExceptionally(e);
      }
    }, "kubectl-stdout");
    reader.setDaemon(true);
    reader.start();
    return result;
  }
}
