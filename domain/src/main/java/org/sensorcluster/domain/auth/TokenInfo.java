package org.sensorcluster.domain.auth;

/**
 * What is known of a token besides its secret (only its hash is stored).
 *
 * @param createdAt epoch milliseconds
 * @param revokedAt epoch milliseconds, or null while the token is valid
 * @param quota the token's own quota figures (device tokens), over the node's defaults
 */
public record TokenInfo(
    String id,
    Role role,
    String scope,
    String label,
    long createdAt,
    Long revokedAt,
    QuotaOverrides quota) {

  public TokenInfo {
    quota = quota == null ? QuotaOverrides.NONE : quota;
  }

  public TokenInfo(
      String id, Role role, String scope, String label, long createdAt, Long revokedAt) {
    this(id, role, scope, label, createdAt, revokedAt, QuotaOverrides.NONE);
  }

  public boolean revoked() {
    return revokedAt != null;
  }

  /**
   * Who this token is, with the quota in force for a device ({@code deviceDefaults} under its
   * overrides).
   */
  public Principal principal(Quota deviceDefaults) {
    return new Principal(
        id, role, scope, role == Role.DEVICE ? quota.over(deviceDefaults) : Quota.UNLIMITED);
  }
}
