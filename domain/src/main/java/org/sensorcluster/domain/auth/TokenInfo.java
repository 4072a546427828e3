package org.sensorcluster.domain.auth;

/**
 * What is known of a token besides its secret (only its hash is stored).
 *
 * @param createdAt epoch milliseconds
 * @param revokedAt epoch milliseconds, or null while the token is valid
 */
public record TokenInfo(String id, Role role, String scope, String label, long createdAt, Long revokedAt) {

  public boolean revoked() {
    return revokedAt != null;
  }

  public Principal principal() {
    return new Principal(id, role, scope);
  }
}
