package org.sensorcluster.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.sensorcluster.domain.auth.IssuedToken;
import org.sensorcluster.domain.auth.Principal;
import org.sensorcluster.domain.auth.Quota;
import org.sensorcluster.domain.auth.QuotaOverrides;
import org.sensorcluster.domain.auth.Role;
import org.sensorcluster.domain.auth.TokenInfo;
import org.sensorcluster.domain.auth.TokenSecrets;

/** Tokens in a map, keyed by their hash as the real store does; starts with one admin token. */
final class InMemoryTokens implements Authenticator, TokenAdmin {

  static final String ADMIN_TOKEN = "sct_test-admin-token-of-the-route-tests";

  /**
   * The quota of device tokens without their own: high enough not to matter unless a test sets one.
   */
  static final Quota DEVICE_DEFAULTS = new Quota(1e6, 1e6, 1e6);

  private final Map<String, TokenInfo> byHash = new LinkedHashMap<>();

  InMemoryTokens() {
    reset();
  }

  synchronized void reset() {
    byHash.clear();
    byHash.put(
        TokenSecrets.hash(ADMIN_TOKEN), new TokenInfo("admin0", Role.ADMIN, "", "tests", 0, null));
  }

  /** A token of {@code role} (scope for devices), as the admin route would create it. */
  String issue(Role role, String scope) {
    return issue(role, scope, QuotaOverrides.NONE);
  }

  String issue(Role role, String scope, QuotaOverrides quota) {
    return create(role, scope, null, quota).toCompletableFuture().join().token();
  }

  @Override
  public boolean enabled() {
    return true;
  }

  @Override
  public synchronized Optional<Principal> authenticate(String token) {
    TokenInfo t = byHash.get(TokenSecrets.hash(token));
    return t == null || t.revoked() ? Optional.empty() : Optional.of(t.principal(DEVICE_DEFAULTS));
  }

  @Override
  public synchronized CompletionStage<IssuedToken> create(
      Role role, String scope, String label, QuotaOverrides quota) {
    String token = TokenSecrets.newToken();
    TokenInfo info =
        new TokenInfo(
            TokenSecrets.newId(), role, scope, label, 1_000L * byHash.size(), null, quota);
    byHash.put(TokenSecrets.hash(token), info);
    return CompletableFuture.completedFuture(new IssuedToken(token, info));
  }

  @Override
  public synchronized CompletionStage<List<TokenInfo>> list() {
    return CompletableFuture.completedFuture(new ArrayList<>(byHash.values()));
  }

  @Override
  public synchronized CompletionStage<Boolean> revoke(String id) {
    for (Map.Entry<String, TokenInfo> e : byHash.entrySet()) {
      TokenInfo t = e.getValue();
      if (t.id().equals(id)) {
        if (!t.revoked()) {
          e.setValue(
              new TokenInfo(
                  t.id(), t.role(), t.scope(), t.label(), t.createdAt(), 99_000L, t.quota()));
        }
        return CompletableFuture.completedFuture(true);
      }
    }
    return CompletableFuture.completedFuture(false);
  }
}
