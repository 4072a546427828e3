package org.sensorcluster.http;

import java.util.Optional;
import org.sensorcluster.domain.auth.Principal;

/**
 * Turns the bearer token of a request into who sent it. Called on every request of {@code /api/v1},
 * so an implementation answers from memory, never from the database.
 */
public interface Authenticator {

  /**
   * Whether requests need a token at all; when false every request is {@link Principal#AUTH_OFF}.
   */
  boolean enabled();

  /** The principal of a valid, unrevoked {@code token}; empty when it is unknown or revoked. */
  Optional<Principal> authenticate(String token);

  /** No authentication ({@code SENSORS_AUTH=off}): everyone may do everything. */
  static Authenticator off() {
    return new Authenticator() {
      @Override
      public boolean enabled() {
        return false;
      }

      @Override
      public Optional<Principal> authenticate(String token) {
        return Optional.of(Principal.AUTH_OFF);
      }
    };
  }
}
