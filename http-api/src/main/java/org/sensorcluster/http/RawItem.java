package org.sensorcluster.http;

/**
 * One reading as it arrived on the wire, before validation.
 *
 * @param index position in the request (0-based; for NDJSON, among non-blank lines)
 * @param sensorId as sent, or null when absent
 * @param readingId as sent, or null when absent
 * @param timestamp as sent, or null when absent
 * @param value as sent, or null when absent
 * @param syntaxError non-null when the item was not a JSON object of the expected field types
 */
record RawItem(
    int index,
    String sensorId,
    String readingId,
    String timestamp,
    Double value,
    String syntaxError) {

  static RawItem broken(int index, String error) {
    return new RawItem(index, null, null, null, null, error);
  }
}
