package org.sensorcluster.http;

import java.util.List;

/** JSON bodies of successful ingestion replies. */
final class IngestResponses {

  private IngestResponses() {}

  /** {@code 202} of the single-sensor endpoint. */
  record Ack(int accepted, int duplicates) {}

  /** {@code 202} of the batch endpoint. */
  record BatchAck(int accepted, int duplicates, List<ItemError> rejected) {}
}
