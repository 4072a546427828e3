package org.sensorcluster.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.BitSet;

/**
 * The body of a 202: {@code {"accepted":A,"duplicates":D,"rejected":[{"index":i,...},...]}} ({@code
 * rejected} only on batch endpoints). Items of the request not listed as rejected are durable in
 * the journal: new ones count in {@code accepted}, already-stored ones in {@code duplicates}.
 */
record Ack(long accepted, long duplicates, BitSet rejected) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The "accepted" count in a non-202 reply (a batch 503 or 413 reports what it stored before it
   * failed), 0 when there is none or the body is not JSON.
   */
  static long acceptedIn(byte[] body) {
    try {
      JsonNode root = JSON.readTree(body);
      return root != null && root.path("accepted").canConvertToLong()
          ? root.path("accepted").asLong()
          : 0;
    } catch (IOException notJson) {
      return 0;
    }
  }

  static Ack parse(byte[] body) throws IOException {
    JsonNode root = JSON.readTree(body);
    if (root == null || !root.isObject() || !root.path("accepted").canConvertToLong()) {
      throw new IOException(
          "202 body without \"accepted\": "
              + new String(body, java.nio.charset.StandardCharsets.UTF_8));
    }
    BitSet rejected = new BitSet();
    for (JsonNode item : root.path("rejected")) {
      rejected.set(item.path("index").asInt());
    }
    return new Ack(root.path("accepted").asLong(), root.path("duplicates").asLong(), rejected);
  }
}
