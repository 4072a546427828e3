package org.sensorcluster.http;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.HttpCredentials;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.sensorcluster.domain.auth.Permission;
import org.sensorcluster.domain.auth.Principal;

/**
 * Who may do what: {@link #authenticated} finds the principal of a request's bearer token (401 with
 * {@code WWW-Authenticate: Bearer} when there is none or it is not valid), {@link #permitted}
 * checks its role for one route (403). Scopes of device tokens are checked where the sensor is
 * known ({@link IngestRoutes}).
 */
final class Access extends AllDirectives {

  private final Authenticator authenticator;

  Access(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  Route authenticated(Function<Principal, Route> inner) {
    if (!authenticator.enabled()) {
      return inner.apply(Principal.AUTH_OFF);
    }
    return extractCredentials(
        credentials -> {
          Optional<HttpCredentials> bearer =
              credentials.filter(c -> c.scheme().equalsIgnoreCase("Bearer"));
          if (bearer.isEmpty()) {
            return complete(
                unauthorized(
                    null,
                    credentials.isPresent()
                        ? "only Bearer tokens are accepted: Authorization: Bearer <token>"
                        : "this API needs a token: Authorization: Bearer <token>"));
          }
          Optional<Principal> principal = authenticator.authenticate(bearer.get().token());
          if (principal.isEmpty()) {
            return complete(
                unauthorized("invalid_token", "the token is not valid (unknown or revoked)"));
          }
          return inner.apply(principal.get());
        });
  }

  Route permitted(Principal principal, Permission permission, Supplier<Route> inner) {
    if (principal.may(permission)) {
      return inner.get();
    }
    return complete(
        forbidden(
            "a "
                + principal.role().wireName()
                + " token may not do this (it needs "
                + permission.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                + ")"));
  }

  static HttpResponse forbidden(String detail) {
    return Problems.response(StatusCodes.FORBIDDEN, "forbidden", detail);
  }

  private static HttpResponse unauthorized(String error, String detail) {
    String challenge =
        "Bearer realm=\"sensors\"" + (error == null ? "" : ", error=\"" + error + "\"");
    return Problems.response(StatusCodes.UNAUTHORIZED, "unauthorized", detail, Map.of())
        .addHeader(RawHeader.create("WWW-Authenticate", challenge));
  }
}
