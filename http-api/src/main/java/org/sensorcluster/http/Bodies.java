package org.sensorcluster.http;

import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.stream.Materializer;

/** Request bodies: their content types, and reading them whole within a size limit. */
final class Bodies {

  private static final long READ_TIMEOUT_MILLIS = 30_000;
  /** withSizeLimit bounds bodies (413); toStrict's own bound (max-to-strict-bytes, 8m) failed with a 500. */
  private static final long UNBOUNDED_TO_STRICT = Long.MAX_VALUE;

  private Bodies() {}

  static boolean isJson(HttpEntity entity) {
    return entity.getContentType().mediaType().toString().equals("application/json");
  }

  static boolean isNdjson(HttpEntity entity) {
    String mt = entity.getContentType().mediaType().toString();
    return mt.equals("application/x-ndjson") || mt.equals("application/ndjson") || mt.equals("application/jsonl");
  }

  /** 415 for a body of another type than {@code expected}. */
  static HttpResponse unsupportedType(HttpEntity entity, String expected) {
    return Problems.response(StatusCodes.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
        "Content-Type " + entity.getContentType() + " is not supported here; send " + expected);
  }

  /** The whole body; fails with {@code EntityStreamSizeException} beyond {@code maxBytes}. */
  static CompletionStage<byte[]> read(HttpEntity entity, long maxBytes, Materializer materializer) {
    return entity.withSizeLimit(maxBytes).toStrict(READ_TIMEOUT_MILLIS, UNBOUNDED_TO_STRICT, materializer)
        .thenApply(strict -> strict.getData().toArray());
  }
}
