package org.sensorcluster.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Where a WebJar on the classpath keeps its files ({@code
 * META-INF/resources/webjars/<name>/<version>}).
 */
final class WebJars {

  private WebJars() {}

  /**
   * The resource directory of WebJar {@code groupId:artifactId}, its version read from its Maven
   * properties.
   */
  static String directory(String groupId, String artifactId) {
    String properties = "META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
    try (InputStream in = WebJars.class.getClassLoader().getResourceAsStream(properties)) {
      if (in == null) {
        throw new IllegalStateException(groupId + ":" + artifactId + " is not on the classpath");
      }
      Properties p = new Properties();
      p.load(in);
      return "META-INF/resources/webjars/" + artifactId + "/" + p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
