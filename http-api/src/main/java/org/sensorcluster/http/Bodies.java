package org.sensorcluster.http;

import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/** Request bodies: their content types, and reading them whole within a size limit. */
final class Bodies {

  private Bodies() {}

  static boolean isJson(HttpEntity entity) {
    return entity.getContentType().mediaType().toString().equals("application/json");
  }

  static boolean isNdjson(HttpEntity entity) {
    String mt = entity.getContentType().mediaType().toString();
    return mt.equals("application/x-ndjson")
        || mt.equals("application/ndjson")
        || mt.equals("application/jsonl");
  }

  /** 415 for a body of another type than {@code expected}. */
  static HttpResponse unsupportedType(HttpEntity entity, String expected) {
    return Problems.response(
        StatusCodes.UNSUPPORTED_MEDIA_TYPE,
        "unsupported-media-type",
        "Content-Type " + entity.getContentType() + " is not supported here; send " + expected);
  }

  /**
   * The whole body; fails with {@code EntityStreamSizeException} beyond {@code maxBytes} (413) and
   * with {@link BodyPace.SlowBodyException} when it comes too slowly (408).
   */
  static CompletionStage<byte[]> read(HttpEntity entity, long maxBytes, Materializer materializer) {
    if (entity instanceof HttpEntity.Strict strict) {
      // already received whole (small bodies usually are): no stream, no pace to watch
      return strict.getData().size() > maxBytes
          ? java.util.concurrent.CompletableFuture.failedFuture(new BodyTooLargeException(maxBytes))
          : java.util.concurrent.CompletableFuture.completedFuture(strict.getData().toArray());
    }
    return paced(entity, maxBytes)
        .runFold(ByteString.emptyByteString(), ByteString::concat, materializer)
        .thenApply(ByteString::toArray);
  }

  /**
   * The body's bytes within {@code maxBytes}, at {@link BodyPace}'s minimum pace. A body whose
   * declared length is over the limit (and at most {@link #DRAIN_CAP}) is read and dropped before
   * the stream fails with {@link BodyTooLargeException}: a client still sending it then reads the
   * 413 instead of a connection reset on its unread bytes.
   */
  static Source<ByteString, ?> paced(HttpEntity entity, long maxBytes) {
    java.util.OptionalLong declared = entity.getContentLengthOption();
    if (declared.isPresent() && declared.getAsLong() > maxBytes) {
      if (declared.getAsLong() > DRAIN_CAP) {
        return Source.failed(new BodyTooLargeException(maxBytes));
      }
      // without the server's own size limit (parsing.max-content-length), which would fail the
      // stream part-way and leave the rest unread: the close then resets the client's upload and
      // it never reads the 413 (seen in HostileRequestsTest on a loaded machine)
      return entity
          .withoutSizeLimit()
          .getDataBytes()
          .via(BodyPace.guard(System::nanoTime))
          .fold(0L, (n, bytes) -> n + bytes.size())
          .flatMapConcat(n -> Source.<ByteString>failed(new BodyTooLargeException(maxBytes)));
    }
    return entity.withSizeLimit(maxBytes).getDataBytes().via(BodyPace.guard(System::nanoTime));
  }

  /** Bodies up to this size are read and dropped when refused, so the client gets the answer. */
  static final long DRAIN_CAP = 64L << 20;

  /** A body over the limit of its endpoint: 413. */
  static final class BodyTooLargeException extends RuntimeException {
    private final long limit;

    BodyTooLargeException(long limit) {
      super("the body exceeds the limit of " + limit + " bytes for this endpoint");
      this.limit = limit;
    }

    long limit() {
      return limit;
    }
  }
}
