package org.sensorcluster.node;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.sensorcluster.domain.auth.TokenSecrets;

/**
 * {@code sensors.auth}: whether {@code /api/v1} needs tokens, the admin token an operator
 * configured (directly or as a file, e.g. a mounted Kubernetes Secret; null when none), and how
 * often every node reloads the tokens (revocation takes effect within that).
 */
record AuthSettings(boolean enabled, String configuredAdminToken, Duration refreshInterval) {

  static AuthSettings fromConfig(Config sensors) {
    Config c = sensors.getConfig("auth");
    String token = c.getString("admin-token").strip();
    String file = c.getString("admin-token-file").strip();
    if (!token.isEmpty() && !file.isEmpty()) {
      throw new IllegalArgumentException(
          "set SENSORS_ADMIN_TOKEN or SENSORS_ADMIN_TOKEN_FILE, not both");
    }
    if (!file.isEmpty()) {
      try {
        token = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "cannot read SENSORS_ADMIN_TOKEN_FILE " + file + ": " + e.getMessage(), e);
      }
      token = TokenSecrets.checkConfigured(token, "the token in " + file);
    } else if (!token.isEmpty()) {
      token = TokenSecrets.checkConfigured(token, "SENSORS_ADMIN_TOKEN");
    }
    return new AuthSettings(
        c.getBoolean("enabled"), token.isEmpty() ? null : token, c.getDuration("refresh-interval"));
  }
}
