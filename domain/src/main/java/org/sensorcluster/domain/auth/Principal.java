package org.sensorcluster.domain.auth;

import java.util.Objects;
import org.sensorcluster.domain.SensorId;

/**
 * Who sent a request: the token's id, its role, for a device token its scope, a sensor id prefix (a
 * whole id scopes the token to that one sensor; an empty scope is every sensor), and its quota.
 */
public record Principal(String tokenId, Role role, String scope, Quota quota) {

  /** The principal of every request when authentication is off. */
  public static final Principal AUTH_OFF = new Principal("auth-off", Role.ADMIN, "");

  public Principal {
    Objects.requireNonNull(tokenId, "tokenId");
    Objects.requireNonNull(role, "role");
    scope = scope == null ? "" : scope;
    quota = quota == null ? Quota.UNLIMITED : quota;
  }

  /** Without a quota. */
  public Principal(String tokenId, Role role, String scope) {
    this(tokenId, role, scope, Quota.UNLIMITED);
  }

  public boolean may(Permission permission) {
    return role.may(permission);
  }

  /** Whether this principal may write readings of {@code sensor}: its role, then its scope. */
  public boolean mayWrite(SensorId sensor) {
    return may(Permission.WRITE_READINGS) && sensor.value().startsWith(scope);
  }
}
