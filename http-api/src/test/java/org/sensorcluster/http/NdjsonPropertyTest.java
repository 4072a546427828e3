package org.sensorcluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.scaladsl.Framing;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Properties of NDJSON batch bodies ({@link BatchBodies#ndjson}): whatever the bytes and however
 * they arrive in chunks, the items are exactly the non-blank lines, numbered in order, each parsed
 * on its own ({@link ReadingJson#parseLine} never throws); only a line over the limit (64 KiB)
 * fails the stream.
 */
class NdjsonPropertyTest {

  private static ActorSystem system;
  private static Materializer materializer;

  @BeforeAll
  static void start() {
    system =
        ActorSystem.create(
            "NdjsonPropertyTest",
            com.typesafe.config.ConfigFactory.parseString(
                "pekko.loglevel = WARNING\npekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off"));
    materializer = Materializer.matFromSystem(system);
  }

  @AfterAll
  static void stop() throws Exception {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A body and the chunks it arrives in. */
  record Upload(byte[] body, List<Integer> cuts) {
    List<ByteString> chunks() {
      List<ByteString> out = new ArrayList<>();
      int from = 0;
      for (int cut : cuts) {
        int to = Math.min(body.length, Math.max(from, cut));
        out.add(ByteString.fromArray(body, from, to - from));
        from = to;
      }
      out.add(ByteString.fromArray(body, from, body.length - from));
      return out;
    }

    @Override
    public String toString() {
      return Property.show(body) + " in chunks cut at " + cuts;
    }
  }

  @Test
  void itemsAreTheNonBlankLinesWhateverTheChunks() {
    Gen<String> line =
        Gen.<String>choice()
            .or(4, ReadingDocs.valid(true).map(ReadingDocs.Item::json))
            .or(2, ReadingDocs.broken(true).map(ReadingDocs.Broken::json))
            .or(1, WireJson.damaged(ReadingDocs.valid(true).map(ReadingDocs.Item::json)))
            .or(1, WireJson.anyValue(3))
            .or(1, Gen.elements("", " ", "\t", "\r", " \r\t "));
    Gen<byte[]> bodies =
        Gen.<byte[]>choice()
            .or(
                4,
                r -> {
                  StringBuilder b = new StringBuilder();
                  for (String l : Gen.listOf(line, 0, 20).next(r)) {
                    b.append(l).append(Gen.elements("\n", "\r\n").next(r));
                  }
                  if (r.nextBoolean() && b.length() > 0) {
                    b.setLength(b.length() - 1); // no newline after the last line
                  }
                  return b.toString().getBytes(StandardCharsets.UTF_8);
                })
            .or(1, HostileText.bytes(3_000));
    Gen<Upload> uploads =
        r -> {
          byte[] body = bodies.next(r);
          return new Upload(
              body, Gen.listOf(Gen.ints(0, body.length), 0, 6).next(r).stream().sorted().toList());
        };
    Property.forAll(
        "NDJSON items are the non-blank lines, whatever the chunks",
        400,
        uploads,
        u -> {
          boolean tooLong =
              lines(u.body()).stream().anyMatch(l -> l.length > BatchBodies.MAX_NDJSON_LINE_BYTES);
          try {
            List<RawItem> items =
                BatchBodies.ndjson(Source.from(u.chunks()))
                    .runWith(Sink.seq(), materializer)
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            assertEquals(expected(u.body()), items);
            assertTrue(!tooLong, "a line over the limit was read");
          } catch (ExecutionException e) {
            assertInstanceOf(Framing.FramingException.class, e.getCause());
            assertTrue(tooLong, "the stream failed without a line over the limit");
          }
        });
  }

  @Test
  void onlyALineOverTheLimitFailsTheStream() {
    Gen<byte[]> bodies =
        r -> {
          ByteArrayOutputStream b = new ByteArrayOutputStream();
          b.writeBytes("{\"sensorId\":\"s-1\",\"value\":1}\n".getBytes(StandardCharsets.UTF_8));
          b.writeBytes(
              "x"
                  .repeat(BatchBodies.MAX_NDJSON_LINE_BYTES - 3 + r.nextInt(8))
                  .getBytes(StandardCharsets.UTF_8));
          if (r.nextBoolean()) {
            b.write('\n');
          }
          return b.toByteArray();
        };
    Property.forAll(
        "only an NDJSON line over the limit fails the stream",
        30,
        bodies,
        body -> {
          int longest = 0;
          for (byte[] l : lines(body)) {
            longest = Math.max(longest, l.length);
          }
          try {
            List<RawItem> items =
                BatchBodies.ndjson(Source.single(ByteString.fromArray(body)))
                    .runWith(Sink.seq(), materializer)
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            assertTrue(
                longest <= BatchBodies.MAX_NDJSON_LINE_BYTES,
                "a line of " + longest + " bytes was read");
            assertEquals(2, items.size());
          } catch (ExecutionException e) {
            assertInstanceOf(Framing.FramingException.class, e.getCause());
            assertTrue(
                longest > BatchBodies.MAX_NDJSON_LINE_BYTES,
                "a line of " + longest + " bytes failed the stream");
          }
        });
  }

  /**
   * What the items must be: each non-blank line (blank: only spaces, tabs, CRs) parsed on its own.
   */
  private static List<RawItem> expected(byte[] body) {
    List<RawItem> items = new ArrayList<>();
    for (byte[] line : lines(body)) {
      if (!new String(line, StandardCharsets.ISO_8859_1).replaceAll("[ \t\r]", "").isEmpty()) {
        items.add(ReadingJson.parseLine(line, items.size()));
      }
    }
    return items;
  }

  private static List<byte[]> lines(byte[] body) {
    List<byte[]> lines = new ArrayList<>();
    int from = 0;
    for (int i = 0; i <= body.length; i++) {
      if (i == body.length || body[i] == '\n') {
        if (i > from || i < body.length) {
          lines.add(java.util.Arrays.copyOfRange(body, from, i));
        }
        from = i + 1;
      }
    }
    return lines;
  }
}
