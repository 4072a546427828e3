package org.sensorcluster.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The repository root (the directory of the pom with {@code <modules>}), for tests that read
 * docker/, k8s/, ...
 */
public final class RepoRoot {

  private RepoRoot() {}

  public static Path find() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path pom = p.resolve("pom.xml");
      try {
        if (Files.isRegularFile(pom) && Files.readString(pom).contains("<modules>")) {
          return p;
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException(
        "no root pom with <modules> above " + Path.of("").toAbsolutePath());
  }
}
