package org.sensorcluster.http;

import java.util.List;
import java.util.Map;

/** JSON bodies of successful ingestion replies. */
final class IngestResponses {

  private IngestResponses() {}

  /**
   * {@code 202} of the single-sensor endpoint.
   *
   * @param sequenceNr the sensor's journal sequence number after this request: pass
   *     {@code minSeq=<sensorId>:<sequenceNr>} to a query to read your own write
   */
  record Ack(int accepted, int duplicates, long sequenceNr) {}

  /**
   * {@code 202} of the batch endpoint.
   *
   * @param sequenceNrs per sensor, the journal sequence number its readings of this batch reached
   */
  record BatchAck(int accepted, int duplicates, List<ItemError> rejected, Map<String, Long> sequenceNrs) {}
}
