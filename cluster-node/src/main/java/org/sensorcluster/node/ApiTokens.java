package org.sensorcluster.node;

import java.io.PrintStream;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.sensorcluster.domain.auth.IssuedToken;
import org.sensorcluster.domain.auth.Principal;
import org.sensorcluster.domain.auth.Quota;
import org.sensorcluster.domain.auth.QuotaOverrides;
import org.sensorcluster.domain.auth.Role;
import org.sensorcluster.domain.auth.TokenInfo;
import org.sensorcluster.domain.auth.TokenSecrets;
import org.sensorcluster.http.Authenticator;
import org.sensorcluster.http.TokenAdmin;
import org.sensorcluster.projections.ReadModelDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's tokens: every valid token's hash in memory, reloaded from {@link TokenStore} every
 * {@code sensors.auth.refresh-interval} (so a token revoked on any node stops working on every node
 * within that, and checking a request costs no database round trip); creating and revoking them. At
 * start, the admin token an operator configured is stored, or, on the very first start of a cluster
 * with no token at all, an admin token is created and printed once.
 */
final class ApiTokens implements Authenticator, TokenAdmin {

  private static final Logger log = LoggerFactory.getLogger(ApiTokens.class);
  static final String CONFIGURED_ADMIN_ID = "configured-admin";
  static final String FIRST_ADMIN_ID = "first-admin";

  private final boolean enabled;
  private final TokenStore store;
  private final ReadModelDatabase db;
  private final Clock clock;
  private final Quota deviceDefaults;
  private volatile Map<String, Principal> byHash = Map.of();
  private final java.util.concurrent.atomic.AtomicLong localEdits =
      new java.util.concurrent.atomic.AtomicLong();

  private ApiTokens(
      boolean enabled, TokenStore store, ReadModelDatabase db, Clock clock, Quota deviceDefaults) {
    this.enabled = enabled;
    this.store = store;
    this.db = db;
    this.clock = clock;
    this.deviceDefaults = deviceDefaults;
  }

  /**
   * Bootstraps and loads the tokens (failing the start when the database cannot be read), then
   * keeps them fresh.
   */
  static ApiTokens start(
      ActorSystem<?> system,
      ReadModelDatabase db,
      AuthSettings settings,
      Quota deviceDefaults,
      Clock clock,
      int httpPort,
      PrintStream console) {
    ApiTokens tokens =
        new ApiTokens(settings.enabled(), new TokenStore(db), db, clock, deviceDefaults);
    if (!settings.enabled()) {
      log.warn(
          "AUTHENTICATION IS OFF (SENSORS_AUTH=off): anyone who reaches HTTP port {} may write, change and"
              + " delete every sensor and administer the cluster. Never run it like this outside a local experiment.",
          httpPort);
      return tokens;
    }
    try {
      tokens.bootstrap(settings.configuredAdminToken(), httpPort, console);
      tokens.reload();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the API tokens: " + e.getMessage(), e);
    }
    system
        .scheduler()
        .scheduleWithFixedDelay(
            settings.refreshInterval(),
            settings.refreshInterval(),
            () -> {
              try {
                tokens.reload();
              } catch (SQLException | RuntimeException e) {
                log.warn(
                    "cannot reload the API tokens ({}); checking requests against the last ones loaded",
                    e.getMessage());
              }
            },
            system
                .dispatchers()
                .lookup(DispatcherSelector.fromConfig("sensors-blocking-dispatcher")));
    return tokens;
  }

  private void bootstrap(String configured, int httpPort, PrintStream console) throws SQLException {
    long now = clock.millis();
    if (configured != null) {
      store.putAdmin(
          CONFIGURED_ADMIN_ID, TokenSecrets.hash(configured), "SENSORS_ADMIN_TOKEN", now);
      log.info("the configured admin token is valid (token id {})", CONFIGURED_ADMIN_ID);
      return;
    }
    if (!store.isEmpty()) {
      return;
    }
    String token = TokenSecrets.newToken();
    if (store.insert(
        new TokenInfo(FIRST_ADMIN_ID, Role.ADMIN, "", "created at first start", now, null),
        TokenSecrets.hash(token))) {
      console.println(
          String.join(
              System.lineSeparator(),
              "",
              "=== First start: created an admin token. It is shown only this once; keep it safe. ===",
              "  " + token,
              "  e.g. curl -H 'Authorization: Bearer "
                  + token
                  + "' http://127.0.0.1:"
                  + httpPort
                  + "/api/v1/sensors",
              "  Tokens for devices, readers and operators: POST /api/v1/admin/tokens, or",
              "  java -jar sensor-node.jar token create --role device --scope <sensor-id-prefix>",
              ""));
      console.flush();
      log.warn(
          "created the first admin token (id {}) and printed it on the console", FIRST_ADMIN_ID);
    }
  }

  /**
   * Replaces the tokens in memory with the database's, unless this node changed them meanwhile
   * (next time then).
   */
  void reload() throws SQLException {
    long before = localEdits.get();
    Map<String, Principal> loaded = new HashMap<>();
    store.activeByHash().forEach((hash, info) -> loaded.put(hash, info.principal(deviceDefaults)));
    synchronized (this) {
      if (localEdits.get() == before) {
        byHash = Map.copyOf(loaded);
      }
    }
  }

  private synchronized void edit(java.util.function.Consumer<Map<String, Principal>> change) {
    Map<String, Principal> next = new HashMap<>(byHash);
    change.accept(next);
    byHash = Map.copyOf(next);
    localEdits.incrementAndGet();
  }

  @Override
  public boolean enabled() {
    return enabled;
  }

  @Override
  public Optional<Principal> authenticate(String token) {
    if (!enabled) {
      return Optional.of(Principal.AUTH_OFF);
    }
    return Optional.ofNullable(byHash.get(TokenSecrets.hash(token)));
  }

  @Override
  public CompletionStage<IssuedToken> create(
      Role role, String scope, String label, QuotaOverrides quota) {
    return CompletableFuture.supplyAsync(
        () -> {
          String token = TokenSecrets.newToken();
          String hash = TokenSecrets.hash(token);
          TokenInfo info =
              new TokenInfo(TokenSecrets.newId(), role, scope, label, clock.millis(), null, quota);
          try {
            store.insert(info, hash);
          } catch (SQLException e) {
            throw new CompletionException(e);
          }
          edit(m -> m.put(hash, info.principal(deviceDefaults)));
          return new IssuedToken(token, info);
        },
        db.blockingExecutor());
  }

  @Override
  public CompletionStage<List<TokenInfo>> list() {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return store.list();
          } catch (SQLException e) {
            throw new CompletionException(e);
          }
        },
        db.blockingExecutor());
  }

  @Override
  public CompletionStage<Boolean> revoke(String id) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            boolean found = store.revoke(id, clock.millis());
            edit(m -> m.values().removeIf(p -> p.tokenId().equals(id)));
            return found;
          } catch (SQLException e) {
            throw new CompletionException(e);
          }
        },
        db.blockingExecutor());
  }
}
