package org.sensorcluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sensorcluster.domain.Rfc3339;
import org.sensorcluster.domain.SensorId;

/**
 * Properties of query parameter parsing ({@link QueryParams}): any value of any parameter gives a
 * value within the parameter's rules or a {@link BadParameterException} (400) naming the parameter,
 * never another exception; well-formed values are read as written.
 */
class QueryParamsPropertyTest {

  /** Values as they come out of a query string: anything, numbers of every shape, times, ids. */
  static Gen<String> values() {
    return Gen.<String>choice()
        .or(3, HostileText.strings(80))
        .or(2, Numbers.json())
        .or(
            1,
            Gen.elements(
                "",
                " ",
                "0",
                "-0",
                "+1",
                " 7 ",
                "1e3",
                "0x10",
                "2147483648",
                "-2147483649",
                "１２",
                "true",
                "false",
                "TRUE",
                "auto",
                "raw",
                "s-1:1",
                "s-1:",
                ":1",
                "s-1:-1",
                "s-1:+1",
                "a:b:3",
                "s-1:9223372036854775808"))
        .or(
            2,
            Timestamps.rfc3339(
                    Timestamps.between(
                        Instant.parse("0000-01-01T00:00:00Z"),
                        Instant.parse("9999-12-31T23:59:59Z")))
                .map(Timestamps.Stamp::text))
        .or(1, WireJson.damaged(Gen.constant("2026-01-15T12:00:00.123+01:00")))
        .or(2, r -> ReadingDocs.sensorIds().next(r) + ":" + Gen.longs(-5, Long.MAX_VALUE).next(r))
        .or(1, ReadingDocs.sensorIds());
  }

  @Test
  void integersAreInRangeOr400() {
    Property.forAll(
        "integer parameters are in range or 400",
        2_000,
        values(),
        Shrinks::string,
        raw -> {
          try {
            int v = QueryParams.intInRange(Optional.of(raw), "limit", 1, 1000, 100);
            assertTrue(v >= 1 && v <= 1000);
            assertEquals(Integer.parseInt(raw.trim()), v);
          } catch (BadParameterException e) {
            assertTrue(e.getMessage().startsWith("limit "), e.getMessage());
          }
        });
  }

  @Test
  void timesAreRfc3339Or400() {
    Property.forAll(
        "time parameters are RFC 3339 or 400",
        2_000,
        values(),
        Shrinks::string,
        raw -> {
          Instant expected = Rfc3339.parse(raw);
          try {
            assertEquals(expected, QueryParams.instant(Optional.of(raw), "from", null));
          } catch (BadParameterException e) {
            assertEquals(null, expected, "a valid time was refused");
            assertTrue(e.getMessage().startsWith("from "), e.getMessage());
          }
        });
  }

  @Test
  void booleansAndSensorIdsAreValidOr400() {
    Property.forAll(
        "boolean and sensor id parameters are valid or 400",
        2_000,
        values(),
        Shrinks::string,
        raw -> {
          try {
            assertEquals(raw.equals("true"), QueryParams.bool(Optional.of(raw), "alerting"));
            assertTrue(raw.equals("true") || raw.equals("false"));
          } catch (BadParameterException e) {
            assertTrue(e.getMessage().startsWith("alerting "), e.getMessage());
          }
          try {
            assertEquals(raw, QueryParams.sensorId(Optional.of(raw), "sensorId"));
            assertEquals(null, SensorId.problemWith(raw));
          } catch (BadParameterException e) {
            assertTrue(e.getMessage().startsWith("sensorId: "), e.getMessage());
          }
        });
  }

  @Test
  void minSeqIsASensorAndASequenceNumberOr400() {
    Property.forAll(
        "minSeq is <sensorId>:<n >= 0> or 400",
        2_000,
        values(),
        Shrinks::string,
        raw -> {
          int colon = raw.lastIndexOf(':');
          try {
            QueryParams.MinSeq m = QueryParams.minSeq(Optional.of(raw));
            assertEquals(raw.substring(0, colon), m.sensorId());
            assertEquals(null, SensorId.problemWith(m.sensorId()));
            assertEquals(Long.parseLong(raw.substring(colon + 1)), m.seqNr());
            assertTrue(m.seqNr() >= 0);
          } catch (BadParameterException e) {
            assertTrue(e.getMessage().startsWith("minSeq"), e.getMessage());
          }
        });
  }

  @Test
  void messagesQuoteAtMost64CharactersOfAValue() {
    Property.forAll(
        "messages quote at most 64 characters of a value",
        500,
        HostileText.strings(300),
        raw -> {
          String a = QueryParams.abbreviate(raw);
          assertTrue(
              a.length() <= 67
                  && raw.startsWith(
                      a.endsWith("...") && raw.length() > 64 ? a.substring(0, 64) : a));
        });
  }
}
