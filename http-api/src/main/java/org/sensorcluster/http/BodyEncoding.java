package org.sensorcluster.http;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.RequestEntity;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.javadsl.Compression;

/**
 * {@code Content-Encoding: gzip} (or {@code deflate}) request bodies: the entity is replaced by its
 * decompressed bytes (length unknown), so each endpoint's body limit applies to what it
 * decompresses to and a zip bomb gets 413; a corrupt stream fails with {@link CorruptBodyException}
 * (400); any other coding is 415. Bodies without the header pass untouched.
 */
final class BodyEncoding extends AllDirectives {

  private static final int MAX_CHUNK = 64 * 1024;

  Route decoded(Supplier<Route> inner) {
    return extractRequest(
        request -> {
          Optional<HttpHeader> header = request.getHeader("Content-Encoding");
          if (header.isEmpty()) {
            return inner.get();
          }
          String coding = header.get().value().trim().toLowerCase(Locale.ROOT);
          return switch (coding) {
            case "identity" -> inner.get();
            case "gzip", "x-gzip" -> mapRequest(r -> decode(r, header.get(), true), inner);
            case "deflate" -> mapRequest(r -> decode(r, header.get(), false), inner);
            default ->
                complete(
                    Problems.response(
                        StatusCodes.UNSUPPORTED_MEDIA_TYPE,
                        "unsupported-content-encoding",
                        "Content-Encoding "
                            + coding
                            + " is not supported; send gzip, deflate or identity"));
          };
        });
  }

  private static HttpRequest decode(HttpRequest r, HttpHeader header, boolean gzip) {
    RequestEntity entity = r.entity();
    var bytes =
        entity
            .getDataBytes()
            .via(gzip ? Compression.gunzip(MAX_CHUNK) : Compression.inflate(MAX_CHUNK))
            .mapError(
                new org.apache.pekko.japi.pf.PFBuilder<Throwable, Throwable>()
                    .matchAny(
                        t ->
                            t
                                    instanceof
                                    org.apache.pekko.http.scaladsl.model.EntityStreamSizeException
                                ? t
                                : new CorruptBodyException(t.getMessage()))
                    .build());
    return r.removeHeader(header.name())
        .withEntity(HttpEntities.create(entity.getContentType(), bytes));
  }

  /** A compressed body that does not decompress: 400. */
  static final class CorruptBodyException extends RuntimeException {
    CorruptBodyException(String message) {
      super("the compressed body is corrupt" + (message == null ? "" : ": " + message));
    }
  }
}
