package org.sensorcluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Content-Encoding: gzip request bodies on both ingest endpoints, limits on the decompressed size,
 * gzip answers.
 */
class CompressedBodiesTest extends ApiTestBase {

  private static byte[] gzip(byte[] plain) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(plain);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private Resp postGzip(String path, String contentType, byte[] body) {
    return send(
        request(path)
            .header("Content-Type", contentType)
            .header("Content-Encoding", "gzip")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build());
  }

  @Test
  void gzip_bodies_are_stored_on_both_ingest_endpoints() {
    assertEquals(
        202,
        postGzip(
                "/api/v1/sensors/z-1/readings",
                JSON,
                gzip("{\"readingId\":\"a\",\"value\":1.5}".getBytes(StandardCharsets.UTF_8)))
            .status());
    JsonNode batch =
        assertJson(
            postGzip(
                "/api/v1/readings",
                JSON,
                gzip(
                    "[{\"sensorId\":\"z-2\",\"value\":1},{\"sensorId\":\"z-3\",\"value\":2}]"
                        .getBytes(StandardCharsets.UTF_8))),
            202);
    assertEquals(2, batch.path("accepted").asInt());
    JsonNode nd =
        assertJson(
            postGzip(
                "/api/v1/readings",
                NDJSON,
                gzip(
                    "{\"sensorId\":\"z-4\",\"value\":1}\n{\"sensorId\":\"z-4\",\"value\":2}\n"
                        .getBytes(StandardCharsets.UTF_8))),
            202);
    assertEquals(2, nd.path("accepted").asInt());
    assertEquals(5, gateway.totalStored());
  }

  @Test
  void a_zip_bomb_is_413_by_its_decompressed_size_and_stores_nothing() {
    // ~20 KiB on the wire, 20 MiB once decompressed: over every endpoint's limit
    byte[] plain = new byte[20 << 20];
    java.util.Arrays.fill(plain, (byte) ' ');
    plain[0] = '[';
    plain[plain.length - 1] = ']';
    byte[] bomb = gzip(plain);
    assertTrue(bomb.length < 64 * 1024, "compressed " + bomb.length);
    assertProblem(postGzip("/api/v1/readings", JSON, bomb), 413, "body-too-large");
    assertProblem(postGzip("/api/v1/sensors/z-1/readings", JSON, bomb), 413, "body-too-large");
    Resp nd = postGzip("/api/v1/readings", NDJSON, bomb);
    assertTrue(
        nd.status() == 413 || nd.status() == 400,
        nd::toString); // NDJSON: over the limit or one endless line
    assertEquals(0, gateway.totalStored());
  }

  @Test
  void a_corrupt_gzip_body_is_400() {
    byte[] good = gzip("[{\"sensorId\":\"z-1\",\"value\":1}]".getBytes(StandardCharsets.UTF_8));
    byte[] corrupt = java.util.Arrays.copyOf(good, good.length - 6);
    corrupt[12] ^= 0x5a;
    Resp r = postGzip("/api/v1/readings", JSON, corrupt);
    assertEquals(400, r.status(), r::toString);
    assertEquals(0, gateway.totalStored());
  }

  @Test
  void answers_are_gzip_when_the_client_accepts_it() throws Exception {
    HttpResponse<byte[]> r =
        client.send(
            request("/api/v1/sensors").header("Accept-Encoding", "gzip").GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode());
    assertEquals("gzip", r.headers().firstValue("Content-Encoding").orElse(""));
    String json =
        new String(
            new GZIPInputStream(new java.io.ByteArrayInputStream(r.body())).readAllBytes(),
            StandardCharsets.UTF_8);
    assertTrue(json.startsWith("{"), json);
  }
}
