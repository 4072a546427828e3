package org.sensorcluster.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * What happened to the items of one batch so far. Fed by one stream stage at a time (not
 * thread-safe); turned into the HTTP reply at the end, or into a partial report when the stream
 * failed.
 */
final class BatchTally {

  int accepted;
  int duplicates;

  /** Valid items within the token's scope, and valid items outside it. */
  int inScope;

  int outOfScope;

  /** Unconfirmed items that were not stored because of the sender's quota. */
  int throttled;

  final List<ItemError> rejected = new ArrayList<>();
  final List<ItemError> unconfirmed = new ArrayList<>();
  final Map<String, Long> sequenceNrs = new TreeMap<>();
  Duration retryAfter = Duration.ZERO;

  void add(ChunkResult chunk) {
    accepted += chunk.accepted;
    inScope += chunk.inScope;
    throttled += chunk.throttled;
    outOfScope += chunk.outOfScope;
    chunk.sequenceNrs.forEach((k, v) -> sequenceNrs.merge(k, v, Math::max));
    duplicates += chunk.duplicates;
    rejected.addAll(chunk.rejected);
    unconfirmed.addAll(chunk.unconfirmed);
    if (chunk.retryAfter.compareTo(retryAfter) > 0) {
      retryAfter = chunk.retryAfter;
    }
  }

  /** Result of storing one chunk of a batch. */
  static final class ChunkResult {
    int accepted;
    int inScope;
    int outOfScope;
    int throttled;
    int duplicates;
    final List<ItemError> rejected = new ArrayList<>();
    final List<ItemError> unconfirmed = new ArrayList<>();
    final Map<String, Long> sequenceNrs = new HashMap<>();
    Duration retryAfter = Duration.ZERO;
  }

  /**
   * Adds the items so far to {@code sensors_ingest_readings_total}: once per batch, whole or failed
   * part-way.
   */
  void count() {
    HttpMetrics.readings("readings", accepted, duplicates, rejected.size(), unconfirmed.size());
  }

  HttpResponse toResponse(Duration defaultRetryAfter) {
    count();
    sortByIndex();
    if (!unconfirmed.isEmpty() && throttled == unconfirmed.size()) {
      return Problems.overQuota(
          unconfirmed.size()
              + " valid item(s) were not stored: over this token's quota;"
              + " send them again after Retry-After",
          retryAfter.isZero() ? defaultRetryAfter : retryAfter,
          partialReport());
    }
    if (!unconfirmed.isEmpty()) {
      return Problems.unavailable(
          unconfirmed.size()
              + " valid item(s) could not be confirmed durable; "
              + "resending the batch with the same readingIds is safe",
          retryAfter.isZero() ? defaultRetryAfter : retryAfter,
          partialReport());
    }
    if (inScope == 0 && outOfScope > 0) {
      return Problems.response(
          StatusCodes.FORBIDDEN,
          "forbidden",
          "no item of the batch is within the scope of this token; nothing was stored",
          Map.of("rejected", rejected));
    }
    if (accepted + duplicates > 0) {
      return Json.response(
          StatusCodes.ACCEPTED,
          new IngestResponses.BatchAck(accepted, duplicates, rejected, sequenceNrs));
    }
    return Problems.response(
        StatusCodes.UNPROCESSABLE_CONTENT,
        "no-valid-readings",
        rejected.isEmpty() ? "the batch holds no readings" : "no item of the batch was valid",
        Map.of("rejected", rejected));
  }

  private void sortByIndex() {
    rejected.sort(Comparator.comparingInt(ItemError::index));
    unconfirmed.sort(Comparator.comparingInt(ItemError::index));
  }

  /** Counts so far, for a reply to a batch that failed part-way. */
  Map<String, Object> partialReport() {
    sortByIndex();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("accepted", accepted);
    m.put("duplicates", duplicates);
    m.put("rejected", rejected);
    m.put("unconfirmed", unconfirmed);
    return m;
  }
}
