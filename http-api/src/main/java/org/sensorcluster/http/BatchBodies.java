package org.sensorcluster.http;

import java.util.List;
import java.util.concurrent.CompletionException;
import org.apache.pekko.stream.javadsl.Framing;
import org.apache.pekko.stream.javadsl.FramingTruncation;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/** The items of a batch body: a JSON array, or NDJSON framed line by line as it arrives. */
final class BatchBodies {

  static final int MAX_NDJSON_LINE_BYTES = 64 * 1024;

  private BatchBodies() {}

  /**
   * One item per non-blank line; a line longer than {@link #MAX_NDJSON_LINE_BYTES} fails the
   * stream.
   */
  static Source<RawItem, ?> ndjson(Source<ByteString, ?> bytes) {
    return bytes
        .via(
            Framing.delimiter(
                ByteString.fromString("\n"), MAX_NDJSON_LINE_BYTES, FramingTruncation.ALLOW))
        .filter(line -> !isBlank(line))
        .zipWithIndex()
        .map(p -> ReadingJson.parseLine(p.first().toArray(), p.second().intValue()));
  }

  /**
   * The items of a JSON array; throws {@link CompletionException} of {@link
   * MalformedJsonException}.
   */
  static List<RawItem> array(byte[] body, int maxItems) {
    try {
      if (body.length > 0 && firstNonBlank(body) != '[') {
        throw new MalformedJsonException("the batch body must be a JSON array of readings");
      }
      return ReadingJson.parseDocument(body, maxItems);
    } catch (MalformedJsonException e) {
      throw new CompletionException(e);
    }
  }

  private static int firstNonBlank(byte[] body) {
    for (byte b : body) {
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return b;
      }
    }
    return -1;
  }

  private static boolean isBlank(ByteString line) {
    for (int i = 0; i < line.size(); i++) {
      byte b = line.apply(i);
      if (b != ' ' && b != '\r' && b != '\t') {
        return false;
      }
    }
    return true;
  }
}
