package org.sensorcluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.sensorcluster.domain.ReadingRules;
import org.sensorcluster.domain.SensorId;
import org.sensorcluster.http.ReadingDocs.Broken;
import org.sensorcluster.http.ReadingDocs.Item;
import org.sensorcluster.http.ReadingDocs.Outcome;

/**
 * Properties of the readings parser ({@link ReadingJson}, {@link BatchBodies#array}) and of item
 * validation ({@link ValidatedItem}): valid documents round-trip to exactly the readings sent; a
 * broken item gets the answer the API promises; and any bytes at all either parse or fail as {@link
 * MalformedJsonException} / {@link TooManyItemsException}, never with another exception.
 */
class ReadingJsonPropertyTest {

  private static final int MAX_ITEMS = 50;
  private static final ReadingRules RULES = new ReadingRules(ApiTestBase.CLOCK, ReadingDocs.SKEW);

  @Test
  void validBatchDocumentsRoundTrip() {
    Property.forAll(
        "valid batch documents round-trip",
        700,
        Gen.listOf(ReadingDocs.valid(true), 1, 12),
        items -> {
          String json = doc(items);
          List<RawItem> raw = parse(json);
          assertReadings(items, raw, null);
          if (json.startsWith("[")) {
            assertEquals(raw, BatchBodies.array(json.getBytes(StandardCharsets.UTF_8), MAX_ITEMS));
          }
        });
  }

  @Test
  void validSingleSensorDocumentsRoundTrip() {
    Gen<List<Item>> bodies = Gen.listOf(ReadingDocs.valid(false), 1, 12);
    Property.forAll(
        "valid single-sensor documents round-trip",
        700,
        bodies,
        items -> {
          String json =
              items.size() == 1
                  ? items.get(0).json()
                  : WireJson.array(items.stream().map(Item::json).toList());
          assertReadings(items, parse(json), SensorId.of("path-sensor"));
        });
  }

  /** A broken item at position {@code at} among valid ones. */
  private record Placed(Broken broken, List<Item> valid, int at) {}

  @Test
  void aBrokenItemGetsItsPromisedOutcome() {
    Gen<List<Item>> others = Gen.listOf(ReadingDocs.valid(true), 0, 4);
    Gen<Placed> placed =
        r -> {
          List<Item> valid = others.next(r);
          return new Placed(ReadingDocs.broken(true).next(r), valid, r.nextInt(valid.size() + 1));
        };
    Property.forAll(
        "a broken item gets its promised outcome",
        1_000,
        placed,
        p -> {
          Broken broken = p.broken();
          List<String> docs = new ArrayList<>(p.valid().stream().map(Item::json).toList());
          docs.add(p.at(), broken.json());
          String json = WireJson.array(docs);
          if (broken.outcome() == Outcome.MALFORMED) {
            assertThrows(MalformedJsonException.class, () -> parse(json), broken.why());
          } else {
            List<RawItem> raw = parse(json);
            assertEquals(docs.size(), raw.size());
            for (int i = 0; i < raw.size(); i++) {
              assertEquals(
                  i != p.at(),
                  validated(raw.get(i), null).valid(),
                  "validity of item "
                      + i
                      + " with a broken"
                      + " item at "
                      + p.at()
                      + " ("
                      + broken.why()
                      + ")");
            }
          }
          RawItem line = ReadingJson.parseLine(utf8(broken.json()), 7);
          assertEquals(7, line.index());
          if (broken.outcome() == Outcome.MALFORMED) {
            assertNotNull(line.syntaxError(), broken.why());
          }
          assertTrue(!validated(line, null).valid(), broken.why());
        });
  }

  @Test
  void anyBytesParseOrAreMalformed() {
    Gen<byte[]> bodies =
        Gen.<byte[]>choice()
            .or(2, HostileText.bytes(3_000))
            .or(
                3,
                WireJson.damaged(
                        Gen.listOf(ReadingDocs.valid(true), 1, 6).map(ReadingJsonPropertyTest::doc))
                    .map(ReadingJsonPropertyTest::utf8))
            .or(1, WireJson.anyValue(4).map(ReadingJsonPropertyTest::utf8))
            .or(1, ReadingDocs.broken(true).map(b -> utf8(b.json())));
    Property.forAll(
        "any bytes parse or are malformed",
        3_000,
        bodies,
        Shrinks::bytes,
        body -> {
          try {
            List<RawItem> raw = ReadingJson.parseDocument(body, MAX_ITEMS);
            for (int i = 0; i < raw.size(); i++) {
              assertEquals(i, raw.get(i).index());
              validated(raw.get(i), null);
              validated(raw.get(i), SensorId.of("path-sensor"));
            }
          } catch (MalformedJsonException | TooManyItemsException expected) {
            assertNotNull(expected.getMessage());
          }
          try {
            BatchBodies.array(body, MAX_ITEMS);
          } catch (CompletionException e) {
            assertInstanceOf(MalformedJsonException.class, e.getCause());
          } catch (TooManyItemsException expected) {
            // 413
          }
          RawItem line = ReadingJson.parseLine(body, 3);
          assertEquals(3, line.index());
          validated(line, null);
        });
  }

  @Test
  void truncatedDocumentsAreMalformed() {
    Gen<String> docs = Gen.listOf(ReadingDocs.valid(true), 1, 4).map(ReadingJsonPropertyTest::doc);
    Property.forAll(
        "truncated documents are malformed",
        1_000,
        r -> {
          String doc = docs.next(r);
          return doc.substring(0, r.nextInt(doc.length()));
        },
        cut -> {
          assertThrows(MalformedJsonException.class, () -> parse(cut));
          assertNotNull(ReadingJson.parseLine(utf8(cut), 0).syntaxError());
        });
  }

  @Test
  void contentAfterTheDocumentIsMalformed() {
    Gen<String> docs = Gen.listOf(ReadingDocs.valid(true), 1, 4).map(ReadingJsonPropertyTest::doc);
    Gen<String> after =
        Gen.<String>choice()
            .or(3, WireJson.hostileSnippet())
            .or(1, docs)
            .or(1, WireJson.anyValue(2));
    Gen<Shrinks.Trailing> bodies =
        r ->
            new Shrinks.Trailing(
                docs.next(r), Gen.elements("", " ", "\n", "\r\n\t").next(r) + after.next(r));
    Property.forAll(
        "content after the document is malformed",
        1_000,
        bodies,
        Shrinks.Trailing::shrink,
        t -> {
          assertThrows(MalformedJsonException.class, () -> parse(t.body()));
          assertNotNull(ReadingJson.parseLine(utf8(t.body()), 0).syntaxError());
        });
  }

  @Test
  void moreItemsThanAllowedAreTooMany() {
    Property.forAll(
        "more items than allowed are 413",
        100,
        Gen.ints(0, 2 * MAX_ITEMS),
        n -> {
          List<String> items = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            items.add("{\"sensorId\":\"s-1\",\"value\":" + i + "}");
          }
          byte[] body = utf8(WireJson.array(items));
          if (n <= MAX_ITEMS) {
            assertEquals(n, BatchBodies.array(body, MAX_ITEMS).size());
          } else {
            assertThrows(TooManyItemsException.class, () -> BatchBodies.array(body, MAX_ITEMS));
          }
        });
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static String doc(List<Item> items) {
    return items.size() == 1 && items.get(0).json().length() % 2 == 0
        ? items.get(0).json()
        : WireJson.array(items.stream().map(Item::json).toList());
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<RawItem> parse(String json) throws MalformedJsonException {
    return ReadingJson.parseDocument(utf8(json), MAX_ITEMS);
  }

  /** Validation never throws; a valid item is a reading the rules allow. */
  private static ValidatedItem validated(RawItem raw, SensorId pathSensor) {
    ValidatedItem v = ValidatedItem.of(raw, pathSensor, RULES, ReadingDocs.NOW);
    assertEquals(raw.index(), v.index());
    if (v.valid()) {
      assertNull(raw.syntaxError());
      assertTrue(Double.isFinite(v.reading().value()));
      assertTrue(
          !v.reading().timestamp().isBefore(ReadingDocs.NOW.minus(ReadingDocs.BACKFILL))
              && !v.reading().timestamp().isAfter(ReadingDocs.NOW.plus(ReadingDocs.SKEW)),
          () -> "timestamp of " + v);
      assertNull(SensorId.problemWith(v.sensor().value()));
    } else {
      assertNotNull(v.error());
    }
    return v;
  }

  private static void assertReadings(List<Item> items, List<RawItem> raw, SensorId pathSensor) {
    assertEquals(items.size(), raw.size());
    for (int i = 0; i < items.size(); i++) {
      ReadingDocs.Expected e = items.get(i).expected();
      ValidatedItem v = validated(raw.get(i), pathSensor);
      if (!v.valid()) {
        fail("item " + i + " " + items.get(i).json() + " was rejected: " + v.error());
      }
      assertEquals(pathSensor != null ? pathSensor.value() : e.sensorId(), v.sensor().value());
      assertEquals(e.readingId(), v.reading().readingId());
      assertEquals(
          e.timestamp() == null ? ReadingDocs.NOW : e.timestamp(), v.reading().timestamp());
      assertTrue(
          e.value() == v.reading().value(),
          () ->
              "value "
                  + v.reading().value()
                  + ", sent "
                  + e.value()
                  + " in "
                  + items.get(0).json());
    }
  }
}
