package org.sensorcluster.http;

import java.util.List;
import java.util.Map;

/** JSON bodies of successful ingestion replies. */
final class IngestResponses {

  private IngestResponses() {}

  /**
   * {@code 202} of the single-sensor endpoint.
   *
   * @param sequenceNr the sensor's journal sequence number after this request: pass {@code
   *     minSeq=<sensorId>:<sequenceNr>} to a query to read your own write
   */
  record Ack(int accepted, int duplicates, long sequenceNr) {}

  /**
   * {@code 202} of the batch endpoint.
   *
   * @param sequenceNrs per sensor, the journal sequence number its readings of this batch reached
   */
  /**
   * {@code 409} of the single-sensor endpoint: readings reused a readingId for another reading. The
   * other readings of the request were stored or were duplicates, as the counts say.
   */
  static org.apache.pekko.http.javadsl.model.HttpResponse conflict(
      List<org.sensorcluster.domain.Reading> readings, SensorGateway.RecordOutcome outcome) {
    List<ItemError> errors = new java.util.ArrayList<>();
    for (int i : outcome.conflicts()) {
      errors.add(new ItemError(i, IngestRefusals.conflictText(readings.get(i))));
    }
    Map<String, Object> extra = new java.util.LinkedHashMap<>();
    extra.put("errors", errors);
    extra.put("accepted", outcome.accepted());
    extra.put("duplicates", outcome.duplicates());
    extra.put("sequenceNr", outcome.sequenceNr());
    return Problems.response(
        org.apache.pekko.http.javadsl.model.StatusCodes.CONFLICT,
        "reading-id-conflict",
        errors.size()
            + " reading(s) reuse a readingId already stored with another value or timestamp; "
            + outcome.accepted()
            + " other reading(s) were stored",
        extra);
  }

  record BatchAck(
      int accepted, int duplicates, List<ItemError> rejected, Map<String, Long> sequenceNrs) {}
}
