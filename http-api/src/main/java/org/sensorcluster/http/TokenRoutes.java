package org.sensorcluster.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.Materializer;
import org.sensorcluster.domain.InvalidInputException;
import org.sensorcluster.domain.auth.IssuedToken;
import org.sensorcluster.domain.auth.QuotaOverrides;
import org.sensorcluster.domain.auth.Role;
import org.sensorcluster.domain.auth.TokenInfo;
import org.sensorcluster.domain.auth.TokenSecrets;

/**
 * {@code /api/v1/admin/tokens}: {@code POST} creates a token ({@code {"role": "device", "scope":
 * "site-berlin-", "label": "..."}}; 201 with the secret, shown this once), {@code GET} lists them
 * without secrets, {@code DELETE /{id}} revokes one (204; every node refuses it within the token
 * refresh interval).
 */
final class TokenRoutes extends AllDirectives {

  private static final long MAX_BODY_BYTES = 4_096;
  private static final Set<String> FIELDS = Set.of("role", "scope", "label", "quota");
  private static final Set<String> QUOTA_FIELDS =
      Set.of("readingsPerSecond", "requestsPerSecond", "newSensorsPerHour");

  private final TokenAdmin tokens;
  private final Materializer materializer;

  TokenRoutes(TokenAdmin tokens, Materializer materializer) {
    this.tokens = tokens;
    this.materializer = materializer;
  }

  Route create() {
    return extractRequestEntity(
        entity -> {
          if (!Bodies.isJson(entity)) {
            return complete(Bodies.unsupportedType(entity, "application/json"));
          }
          return completeWithFuture(
              Bodies.read(entity, MAX_BODY_BYTES, materializer).thenCompose(this::create));
        });
  }

  private CompletionStage<HttpResponse> create(byte[] body) {
    Role role;
    String scope;
    String label;
    QuotaOverrides quota;
    try {
      JsonNode json = Json.MAPPER.readTree(body);
      if (json == null || !json.isObject()) {
        return done(
            Problems.response(
                StatusCodes.BAD_REQUEST, "malformed-json", "the body must be a JSON object"));
      }
      List<String> unknown = new ArrayList<>();
      json.fieldNames()
          .forEachRemaining(
              f -> {
                if (!FIELDS.contains(f)) {
                  unknown.add(f);
                }
              });
      if (!unknown.isEmpty()) {
        return done(
            Problems.response(
                StatusCodes.UNPROCESSABLE_CONTENT,
                "invalid-token-request",
                "unknown member(s) "
                    + unknown
                    + "; a token request has role, scope, label and quota"));
      }
      quota = quota(json.get("quota"));
      role = Role.parse(text(json, "role"));
      scope = TokenSecrets.checkScope(text(json, "scope"));
      label = text(json, "label");
      if (!scope.isEmpty() && role != Role.DEVICE) {
        throw new InvalidInputException("only device tokens have a scope");
      }
      if (!quota.none() && role != Role.DEVICE) {
        throw new InvalidInputException("only device tokens have a quota");
      }
      if (label != null && label.length() > 200) {
        throw new InvalidInputException("label must be at most 200 characters");
      }
    } catch (JsonProcessingException e) {
      return done(
          Problems.response(
              StatusCodes.BAD_REQUEST,
              "malformed-json",
              "the body is not valid JSON: " + e.getOriginalMessage()));
    } catch (IOException e) {
      return done(
          Problems.response(StatusCodes.BAD_REQUEST, "malformed-json", "the body cannot be read"));
    } catch (InvalidInputException e) {
      return done(
          Problems.response(
              StatusCodes.UNPROCESSABLE_CONTENT, "invalid-token-request", e.getMessage()));
    }
    return tokens
        .create(role, scope, label, quota)
        .thenApply(issued -> Json.response(StatusCodes.CREATED, render(issued)));
  }

  Route list() {
    return completeWithFuture(
        tokens
            .list()
            .thenApply(
                all -> {
                  List<Map<String, Object>> out = new ArrayList<>(all.size());
                  all.forEach(t -> out.add(render(t)));
                  return Json.response(StatusCodes.OK, Map.of("tokens", out));
                }));
  }

  Route revoke(String id) {
    return completeWithFuture(
        tokens
            .revoke(id)
            .thenApply(
                found ->
                    found
                        ? HttpResponse.create().withStatus(StatusCodes.NO_CONTENT)
                        : Problems.response(
                            StatusCodes.NOT_FOUND, "unknown-token", "there is no token " + id)));
  }

  private static QuotaOverrides quota(JsonNode q) {
    if (q == null || q.isNull()) {
      return QuotaOverrides.NONE;
    }
    if (!q.isObject()) {
      throw new InvalidInputException(
          "quota must be an object with readingsPerSecond, requestsPerSecond, newSensorsPerHour");
    }
    q.fieldNames()
        .forEachRemaining(
            f -> {
              if (!QUOTA_FIELDS.contains(f)) {
                throw new InvalidInputException(
                    "unknown quota member " + f + "; allowed: " + QUOTA_FIELDS);
              }
            });
    return new QuotaOverrides(
        number(q, "readingsPerSecond"),
        number(q, "requestsPerSecond"),
        number(q, "newSensorsPerHour"));
  }

  private static Double number(JsonNode json, String field) {
    JsonNode v = json.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isNumber()) {
      throw new InvalidInputException("quota." + field + " must be a number");
    }
    return v.asDouble();
  }

  private static String text(JsonNode json, String field) {
    JsonNode v = json.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new InvalidInputException(field + " must be a string");
    }
    return v.asText();
  }

  private static Map<String, Object> render(IssuedToken issued) {
    Map<String, Object> m = render(issued.info());
    m.put("token", issued.token());
    return m;
  }

  static Map<String, Object> render(TokenInfo t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", t.id());
    m.put("role", t.role().wireName());
    if (!t.scope().isEmpty()) {
      m.put("scope", t.scope());
    }
    if (t.label() != null) {
      m.put("label", t.label());
    }
    if (!t.quota().none()) {
      Map<String, Object> q = new LinkedHashMap<>();
      if (t.quota().readingsPerSecond() != null) {
        q.put("readingsPerSecond", t.quota().readingsPerSecond());
      }
      if (t.quota().requestsPerSecond() != null) {
        q.put("requestsPerSecond", t.quota().requestsPerSecond());
      }
      if (t.quota().newSensorsPerHour() != null) {
        q.put("newSensorsPerHour", t.quota().newSensorsPerHour());
      }
      m.put("quota", q);
    }
    m.put("createdAt", Instant.ofEpochMilli(t.createdAt()).toString());
    if (t.revokedAt() != null) {
      m.put("revokedAt", Instant.ofEpochMilli(t.revokedAt()).toString());
    }
    return m;
  }

  private static CompletionStage<HttpResponse> done(HttpResponse response) {
    return CompletableFuture.completedFuture(response);
  }
}
