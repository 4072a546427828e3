package org.sensorcluster.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.PrintStream;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.sensorcluster.domain.InvalidInputException;
import org.sensorcluster.domain.auth.QuotaOverrides;
import org.sensorcluster.domain.auth.Role;
import org.sensorcluster.domain.auth.TokenInfo;
import org.sensorcluster.domain.auth.TokenSecrets;
import org.sensorcluster.projections.ReadModelDatabase;

/**
 * {@code java -jar sensor-node.jar token create --role <role> [--scope <prefix>] [--label <text>]},
 * {@code token list}, {@code token revoke <id>}: the API tokens, straight in the node's database
 * (the same {@code SENSORS_DB_*} settings as the node), so it also works when no admin token is at
 * hand. On the embedded H2 database, only while no node runs on it; use {@code
 * /api/v1/admin/tokens} then.
 */
public final class TokenCommand {

  static final String USAGE =
      "usage: java -jar sensor-node.jar token create --role device|reader|operator|admin"
          + " [--scope <sensor-id-prefix>] [--label <text>]\n"
          + "         [--readings-per-second N] [--requests-per-second N] [--new-sensors-per-hour N]   (device quota)\n"
          + "       java -jar sensor-node.jar token list\n"
          + "       java -jar sensor-node.jar token revoke <token-id>";

  private TokenCommand() {}

  /** Runs {@code args} ({@code token ...}) on the database of {@code config}; the exit code. */
  public static int main(
      String[] args, Config config, Clock clock, PrintStream out, PrintStream err) {
    if (args.length < 2) {
      err.println(USAGE);
      return 2;
    }
    StorageConfig.Storage storage = StorageConfig.storageOf(config);
    try (ReadModelDatabase db =
        new ReadModelDatabase(
            storage.url(), storage.user(), storage.password(), 1, Runnable::run)) {
      NodeSchema.createNodeTables(storage, db, Duration.ofSeconds(30));
      TokenStore store = new TokenStore(db);
      return switch (args[1]) {
        case "create" -> create(args, store, clock, out, err);
        case "list" -> list(store, out);
        case "revoke" -> revoke(args, store, clock, out, err);
        default -> {
          err.println(USAGE);
          yield 2;
        }
      };
    } catch (SQLException e) {
      err.println(
          "cannot use the database "
              + storage.describe()
              + ": "
              + e.getMessage()
              + (storage.embedded()
                  ? "\n(a node running on the embedded database holds it: use POST /api/v1/admin/tokens)"
                  : ""));
      return 1;
    }
  }

  static int main(String[] args, PrintStream out, PrintStream err) {
    return main(args, StorageConfig.load(ConfigFactory.empty()), Clock.systemUTC(), out, err);
  }

  private static int create(
      String[] args, TokenStore store, Clock clock, PrintStream out, PrintStream err)
      throws SQLException {
    String role = null;
    String scope = "";
    String label = null;
    Double[] quota = new Double[3];
    List<String> quotaOptions =
        List.of("--readings-per-second", "--requests-per-second", "--new-sensors-per-hour");
    TokenInfo info;
    try {
      for (int i = 2; i < args.length; i++) {
        if (i + 1 >= args.length
            || !(List.of("--role", "--scope", "--label").contains(args[i])
                || quotaOptions.contains(args[i]))) {
          err.println(USAGE);
          return 2;
        }
        switch (args[i]) {
          case "--role" -> role = args[++i];
          case "--scope" -> scope = args[++i];
          case "--label" -> label = args[++i];
          default -> quota[quotaOptions.indexOf(args[i])] = number(args[i], args[++i]);
        }
      }
      Role r = Role.parse(role);
      scope = TokenSecrets.checkScope(scope);
      if (!scope.isEmpty() && r != Role.DEVICE) {
        throw new InvalidInputException("only device tokens have a scope");
      }
      QuotaOverrides overrides = new QuotaOverrides(quota[0], quota[1], quota[2]);
      if (!overrides.none() && r != Role.DEVICE) {
        throw new InvalidInputException("only device tokens have a quota");
      }
      info = new TokenInfo(TokenSecrets.newId(), r, scope, label, clock.millis(), null, overrides);
    } catch (InvalidInputException e) {
      err.println(e.getMessage());
      return 2;
    }
    String token = TokenSecrets.newToken();
    store.insert(info, TokenSecrets.hash(token));
    out.println(token);
    err.println(
        "created "
            + describe(info)
            + "; the token above is shown only this once."
            + " Running nodes accept it within their refresh interval (2 s by default).");
    return 0;
  }

  private static int list(TokenStore store, PrintStream out) throws SQLException {
    out.printf(
        "%-18s %-9s %-20s %-24s %-24s %s%n", "ID", "ROLE", "SCOPE", "CREATED", "REVOKED", "LABEL");
    for (TokenInfo t : store.list()) {
      out.printf(
          "%-18s %-9s %-20s %-24s %-24s %s%n",
          t.id(),
          t.role().wireName(),
          t.scope().isEmpty() ? "-" : t.scope(),
          Instant.ofEpochMilli(t.createdAt()),
          t.revoked() ? Instant.ofEpochMilli(t.revokedAt()) : "-",
          t.label() == null ? "" : t.label());
    }
    return 0;
  }

  private static int revoke(
      String[] args, TokenStore store, Clock clock, PrintStream out, PrintStream err)
      throws SQLException {
    if (args.length != 3) {
      err.println(USAGE);
      return 2;
    }
    if (!store.revoke(args[2], clock.millis())) {
      err.println("there is no token " + args[2]);
      return 1;
    }
    out.println(
        "revoked "
            + args[2]
            + "; every node refuses it within its refresh interval (2 s by default)");
    return 0;
  }

  private static Double number(String option, String value) {
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new InvalidInputException(option + " needs a number, got '" + value + "'");
    }
  }

  private static String describe(TokenInfo t) {
    return t.role().wireName()
        + " token "
        + t.id()
        + (t.scope().isEmpty() ? "" : " for sensors " + t.scope() + "*");
  }
}
