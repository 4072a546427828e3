package org.sensorcluster.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Request bodies and Content-Types for {@link HostileRequests}: each kind of body the API takes
 * (batch arrays, NDJSON, single-sensor readings, sensor metadata) valid, broken and damaged; bodies
 * past the limits; random bytes; content types known, unknown and odd, all legal header values.
 */
final class HostileBodies {

  private HostileBodies() {}

  private static final String PRINTABLE_ASCII;

  static {
    StringBuilder b = new StringBuilder();
    for (char c = 0x20; c < 0x7f; c++) {
      b.append(c);
    }
    PRINTABLE_ASCII = b.toString();
  }

  static Gen<String> batches() {
    return Gen.listOf(
            Gen.<String>choice()
                .or(6, ReadingDocs.valid(true).map(ReadingDocs.Item::json))
                .or(1, ReadingDocs.broken(true).map(ReadingDocs.Broken::json)),
            1,
            8)
        .map(WireJson::array);
  }

  static Gen<String> ndjson() {
    return Gen.listOf(
            Gen.<String>choice()
                .or(4, ReadingDocs.valid(true).map(ReadingDocs.Item::json))
                .or(1, ReadingDocs.broken(true).map(ReadingDocs.Broken::json))
                .or(1, Gen.elements("", " ", "\r")),
            1,
            8)
        .map(lines -> String.join("\n", lines) + "\n");
  }

  static Gen<String> singles() {
    return Gen.<String>choice()
        .or(
            4,
            Gen.listOf(ReadingDocs.valid(false), 1, 3)
                .map(
                    items ->
                        items.size() == 1
                            ? items.get(0).json()
                            : WireJson.array(items.stream().map(ReadingDocs.Item::json).toList())))
        .or(1, ReadingDocs.broken(false).map(ReadingDocs.Broken::json));
  }

  static Gen<String> metadata() {
    return Gen.<String>choice()
        .or(4, MetadataDocs.docs().map(MetadataDocs.Doc::json))
        .or(1, MetadataDocs.withDuplicateMember());
  }

  /** Mostly {@code usual} (3 in 4 intact, else damaged), else a body of any kind. */
  static Gen<byte[]> mostly(Gen<String> usual) {
    Gen<String> text =
        Gen.<String>choice()
            .or(9, usual)
            .or(3, WireJson.damaged(usual))
            .or(1, Gen.oneOf(batches(), ndjson(), singles(), metadata()))
            .or(1, WireJson.anyValue(3))
            .or(1, Gen.elements("", "{}", "[]", "null", "\n"));
    return Gen.<byte[]>choice()
        .or(12, text.map(s -> s.getBytes(StandardCharsets.UTF_8)))
        .or(1, HostileText.bytes(2_000))
        .or(1, HostileBodies::overLimit);
  }

  /** A body past one of the limits: 1 KiB (single sensor), 64 KiB (batch, metadata) or 50 items. */
  static byte[] overLimit(Random r) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    boolean ndjson = r.nextBoolean();
    b.writeBytes(ndjson ? new byte[0] : new byte[] {'['});
    boolean many = r.nextBoolean();
    int items = many ? 40 + r.nextInt(30) : 1 + r.nextInt(3);
    String pad = ",\"pad\":\"" + "p".repeat(r.nextInt(many ? 2_000 : 40_000)) + "\"";
    for (int i = 0; i < items; i++) {
      String item = "{\"sensorId\":\"big-" + (i % 3) + "\",\"value\":" + i + pad + "}";
      b.writeBytes(
          ((i == 0 || ndjson ? "" : ",") + item + (ndjson ? "\n" : ""))
              .getBytes(StandardCharsets.UTF_8));
    }
    b.writeBytes(ndjson ? new byte[0] : new byte[] {']'});
    return b.toByteArray();
  }

  /** Mostly {@code usual}, else any content type (a legal header value). */
  static Gen<String> contentType(String usual) {
    return Gen.<String>choice()
        .or(8, Gen.constant(usual))
        .or(
            2,
            Gen.elements(
                "application/json",
                "application/x-ndjson",
                "application/ndjson",
                "application/jsonl"))
        .or(
            1,
            Gen.elements(
                "application/json; charset=utf-8",
                "application/json; charset=utf-16",
                "APPLICATION/JSON",
                "text/plain",
                "application/problem+json",
                "application/octet-stream",
                "multipart/form-data; boundary=x"))
        .or(
            1,
            Gen.elements(
                null, "", "json", "a/b/c", "application/json;;", "application/json; q=", "*/*"))
        .or(1, Gen.stringOf(PRINTABLE_ASCII, 0, 40));
  }
}
