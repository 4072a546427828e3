package org.sensorcluster.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md lists exactly the environment overrides the node reads: every {@code
 * ${?SENSORS_...}} of the shipped {@code .conf} files and every {@code SENSORS_...} of {@code
 * logback.xml} has a row, and every row names one of them.
 */
class ConfigurationDocTest {

  private static final Pattern CONF_OVERRIDE = Pattern.compile("\\$\\{\\?(SENSORS_[A-Z0-9_]+)}");
  private static final Pattern LOGBACK_VAR = Pattern.compile("\\$\\{(SENSORS_[A-Z0-9_]+)");
  private static final Pattern ROW_VAR = Pattern.compile("`(SENSORS_[A-Z0-9_]+)`");

  @Test
  void everyOverrideIsDocumentedAndEveryDocumentedOneExists() throws IOException {
    Path root = RepoRoot.find();
    Path resources = root.resolve("cluster-node/src/main/resources");
    Set<String> read = new TreeSet<>();
    try (Stream<Path> files = Files.list(resources)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (name.endsWith(".conf")) {
          collect(CONF_OVERRIDE, Files.readString(f), read);
        } else if (name.startsWith("logback") && name.endsWith(".xml")) {
          collect(LOGBACK_VAR, Files.readString(f), read);
        }
      }
    }
    assertTrue(read.size() > 40, "overrides found in " + resources + ": " + read);

    Set<String> documented = new TreeSet<>();
    for (String line : Files.readAllLines(root.resolve("docs/configuration.md"))) {
      if (line.startsWith("| `SENSORS_")) {
        collect(ROW_VAR, line.substring(0, line.indexOf('|', 1)), documented);
      }
    }
    Set<String> missing = new TreeSet<>(read);
    missing.removeAll(documented);
    Set<String> unknown = new TreeSet<>(documented);
    unknown.removeAll(read);
    assertEquals(
        Set.of(), missing, "overrides the node reads but docs/configuration.md does not list");
    assertEquals(Set.of(), unknown, "rows of docs/configuration.md for overrides nothing reads");
  }

  private static void collect(Pattern p, String text, Set<String> into) {
    Matcher m = p.matcher(text);
    while (m.find()) {
      into.add(m.group(1));
    }
  }
}
