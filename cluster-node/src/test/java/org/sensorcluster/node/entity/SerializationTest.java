package org.sensorcluster.node.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.apache.pekko.serialization.jackson.JacksonCborSerializer;
import org.apache.pekko.serialization.jackson.JacksonJsonSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sensorcluster.domain.AlertBound;
import org.sensorcluster.domain.Location;
import org.sensorcluster.domain.OpenAlert;
import org.sensorcluster.domain.Reading;
import org.sensorcluster.domain.ReadingIdHash;
import org.sensorcluster.domain.RecentReadingIds;
import org.sensorcluster.domain.SensorMetadata;
import org.sensorcluster.domain.SensorState;
import org.sensorcluster.domain.Thresholds;
import org.sensorcluster.domain.event.AlertCleared;
import org.sensorcluster.domain.event.AlertRaised;
import org.sensorcluster.domain.event.ReadingsRecorded;
import org.sensorcluster.domain.event.SensorDecommissioned;
import org.sensorcluster.domain.event.SensorMetadataUpdated;
import org.sensorcluster.domain.event.SensorWentSilent;
import org.sensorcluster.node.entity.SensorCommand.RecordReadings;
import org.sensorcluster.node.entity.SensorCommand.Recorded;

/**
 * Wire format of what is persisted (events, snapshots) is pinned to literal JSON: a change to the
 * classes that changes the journal format breaks this test on purpose. Old rows in a journal must
 * stay readable, so each literal must also keep deserializing.
 */
class SerializationTest {

  private static ActorTestKit testKit;
  private static Serialization serialization;

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create("SerializationTest", SensorEntityTest.config());
    serialization = SerializationExtension.get(testKit.system());
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  private static final String EVENT_MANIFEST = "org.sensorcluster.domain.event.ReadingsRecorded";
  private static final String EVENT_JSON =
      "{\"readings\":[{\"readingId\":\"r-1\",\"timestamp\":\"2026-11-22T10:00:00Z\",\"value\":21.5},"
          + "{\"readingId\":null,\"timestamp\":\"2026-11-22T10:00:01.250Z\",\"value\":-3.0}],"
          + "\"recordedAt\":\"2026-11-22T10:15:30Z\",\"requestId\":\"req-7\"}";

  private static final String STATE_MANIFEST = "org.sensorcluster.domain.SensorState";
  // The fingerprints are ReadingIdHash("r-1") and ReadingIdHash("r-2"): snapshots store them, so
  // the
  // hash function is part of the persisted format too.
  private static final String STATE_JSON_V1 =
      "{\"readingCount\":42,"
          + "\"lastReading\":{\"readingId\":\"r-2\",\"timestamp\":\"2026-11-22T10:00:00Z\",\"value\":21.5},"
          + "\"lastRecordedAt\":\"2026-11-22T10:15:30Z\","
          + "\"recentIds\":{\"fingerprints\":[-422754542938763595,4892880557779817620,"
          + "-6639406123713586337,1421252620341689127]}}";

  private static ReadingsRecorded event() {
    return new ReadingsRecorded(
        List.of(
            new Reading("r-1", Instant.parse("2026-11-22T10:00:00Z"), 21.5),
            new Reading(null, Instant.parse("2026-11-22T10:00:01.250Z"), -3.0)),
        Instant.parse("2026-11-22T10:15:30Z"),
        "req-7");
  }

  /**
   * The state STATE_JSON_V1 (written by the ingest-path version, before metadata and alerts) stands
   * for.
   */
  private static SensorState stateV1() {
    long[] fp = new long[4];
    ReadingIdHash.hash("r-1", fp, 0);
    ReadingIdHash.hash("r-2", fp, 2);
    return new SensorState(
        42,
        new Reading("r-2", Instant.parse("2026-11-22T10:00:00Z"), 21.5),
        Instant.parse("2026-11-22T10:15:30Z"),
        new RecentReadingIds(fp),
        null,
        null,
        0,
        null);
  }

  private static final Instant AT = Instant.parse("2026-11-22T10:16:00Z");
  private static final Thresholds LIMITS = new Thresholds(-10.0, 30.0, 0.5);
  private static final Reading HOT =
      new Reading("r-3", Instant.parse("2026-11-22T10:01:00Z"), 31.25);
  private static final SensorMetadata METADATA =
      new SensorMetadata(
          "Boiler room",
          "temperature",
          "Cel",
          new Location(52.52, 13.405),
          Map.of("site", "berlin-1", "floor", "-1"),
          LIMITS,
          Duration.ofMinutes(5));

  /** A state with every field set, as snapshots now store it. */
  private static SensorState state() {
    SensorState v1 = stateV1();
    return new SensorState(
        v1.readingCount(),
        v1.lastReading(),
        v1.lastRecordedAt(),
        v1.recentIds(),
        METADATA,
        new OpenAlert(3, AlertBound.ABOVE_MAX, HOT, LIMITS, AT),
        4,
        null,
        new OpenAlert(4, AlertBound.SILENT, v1.lastReading(), null, AT));
  }

  /** {@link #state()} as snapshots stored it before silence was watched. */
  private static SensorState stateBeforeSilence() {
    SensorState s = state();
    return new SensorState(
        s.readingCount(),
        s.lastReading(),
        s.lastRecordedAt(),
        s.recentIds(),
        new SensorMetadata(
            "Boiler room",
            "temperature",
            "Cel",
            new Location(52.52, 13.405),
            Map.of("site", "berlin-1", "floor", "-1"),
            LIMITS),
        s.openAlert(),
        3,
        null);
  }

  private static final String STATE_JSON =
      "{\"readingCount\":42,"
          + "\"lastReading\":{\"readingId\":\"r-2\",\"timestamp\":\"2026-11-22T10:00:00Z\",\"value\":21.5},"
          + "\"lastRecordedAt\":\"2026-11-22T10:15:30Z\","
          + "\"recentIds\":{\"fingerprints\":[-422754542938763595,4892880557779817620,"
          + "-6639406123713586337,1421252620341689127]},"
          + "\"metadata\":"
          + "METADATA_JSON"
          + ","
          + "\"openAlert\":{\"alertNumber\":3,\"bound\":\"ABOVE_MAX\","
          + "\"trigger\":{\"readingId\":\"r-3\",\"timestamp\":\"2026-11-22T10:01:00Z\",\"value\":31.25},"
          + "\"thresholds\":"
          + "LIMITS_JSON"
          + ",\"raisedAt\":\"2026-11-22T10:16:00Z\"},"
          + "\"alertsRaised\":3,\"decommissionedAt\":null}";

  private static final String SILENT_STATE_JSON =
      STATE_JSON.replace(
          "\"alertsRaised\":3,\"decommissionedAt\":null}",
          "\"alertsRaised\":4,\"decommissionedAt\":null,\"silentAlert\":{\"alertNumber\":4,\"bound\":\"SILENT\","
              + "\"trigger\":{\"readingId\":\"r-2\",\"timestamp\":\"2026-11-22T10:00:00Z\",\"value\":21.5},"
              + "\"thresholds\":null,\"raisedAt\":\"2026-11-22T10:16:00Z\"}}");

  private static final String LIMITS_JSON = "{\"min\":-10.0,\"max\":30.0,\"hysteresis\":0.5}";

  /** Metadata as written before expectedInterval existed. */
  private static final String METADATA_JSON_V1 =
      "{\"name\":\"Boiler room\",\"type\":\"temperature\","
          + "\"unit\":\"Cel\",\"location\":{\"lat\":52.52,\"lon\":13.405},"
          + "\"labels\":{\"floor\":\"-1\",\"site\":\"berlin-1\"},\"thresholds\":"
          + LIMITS_JSON
          + "}";

  private static final String METADATA_JSON =
      METADATA_JSON_V1.replace("}}", "},\"expectedInterval\":\"PT5M\"}");
  private static final String HOT_JSON =
      "{\"readingId\":\"r-3\",\"timestamp\":\"2026-11-22T10:01:00Z\",\"value\":31.25}";

  /** Every newer event type with its manifest and pinned JSON. */
  private static final List<Object[]> NEW_EVENTS =
      List.of(
          new Object[] {
            new SensorMetadataUpdated(METADATA, AT),
            "org.sensorcluster.domain.event.SensorMetadataUpdated",
            "{\"metadata\":" + METADATA_JSON + ",\"updatedAt\":\"2026-11-22T10:16:00Z\"}"
          },
          new Object[] {
            new SensorDecommissioned(AT),
            "org.sensorcluster.domain.event.SensorDecommissioned",
            "{\"decommissionedAt\":\"2026-11-22T10:16:00Z\"}"
          },
          new Object[] {
            new AlertRaised(3, AlertBound.ABOVE_MAX, HOT, LIMITS, AT),
            "org.sensorcluster.domain.event.AlertRaised",
            "{\"alertNumber\":3,\"bound\":\"ABOVE_MAX\",\"reading\":"
                + HOT_JSON
                + ",\"thresholds\":"
                + LIMITS_JSON
                + ",\"raisedAt\":\"2026-11-22T10:16:00Z\"}"
          },
          new Object[] {
            new SensorWentSilent(
                4, HOT, Instant.parse("2026-11-22T10:01:30Z"), Duration.ofMinutes(5), AT),
            "org.sensorcluster.domain.event.SensorWentSilent",
            "{\"alertNumber\":4,\"lastReading\":"
                + HOT_JSON
                + ",\"lastRecordedAt\":\"2026-11-22T10:01:30Z\","
                + "\"expectedInterval\":\"PT5M\",\"decidedAt\":\"2026-11-22T10:16:00Z\"}"
          },
          new Object[] {
            new AlertCleared(4, AlertBound.SILENT, HOT, null, AT),
            "org.sensorcluster.domain.event.AlertCleared",
            "{\"alertNumber\":4,\"bound\":\"SILENT\",\"reading\":"
                + HOT_JSON
                + ",\"thresholds\":null,\"clearedAt\":\"2026-11-22T10:16:00Z\"}"
          },
          new Object[] {
            new AlertCleared(3, AlertBound.ABOVE_MAX, HOT, null, AT),
            "org.sensorcluster.domain.event.AlertCleared",
            "{\"alertNumber\":3,\"bound\":\"ABOVE_MAX\",\"reading\":"
                + HOT_JSON
                + ",\"thresholds\":null,\"clearedAt\":\"2026-11-22T10:16:00Z\"}"
          });

  private static String toJson(Object o, String expectedManifest) {
    Serializer serializer = serialization.findSerializerFor(o);
    assertInstanceOf(JacksonJsonSerializer.class, serializer, "journal format is jackson-json");
    assertEquals(expectedManifest, Serializers.manifestFor(serializer, o));
    return new String(serialization.serialize(o).get(), StandardCharsets.UTF_8);
  }

  private static Object fromJson(String json, Object sample, String manifest) {
    int id = serialization.findSerializerFor(sample).identifier();
    return serialization.deserialize(json.getBytes(StandardCharsets.UTF_8), id, manifest).get();
  }

  @Test
  void readingsRecordedHasFixedJson() {
    String json = toJson(event(), EVENT_MANIFEST);
    assertEquals(EVENT_JSON, json);
    assertEquals(event(), fromJson(EVENT_JSON, event(), EVENT_MANIFEST));
  }

  @Test
  void readingsRecordedWrittenBeforeRequestIdsStillRead() {
    String v1 = EVENT_JSON.replace(",\"requestId\":\"req-7\"", "");
    ReadingsRecorded read = (ReadingsRecorded) fromJson(v1, event(), EVENT_MANIFEST);
    assertEquals(new ReadingsRecorded(event().readings(), event().recordedAt()), read);
    assertEquals(null, read.requestId());
  }

  @Test
  void sensorStateSnapshotHasFixedJson() {
    String expected =
        SILENT_STATE_JSON
            .replace("METADATA_JSON", METADATA_JSON)
            .replace("LIMITS_JSON", LIMITS_JSON);
    String json = toJson(state(), STATE_MANIFEST);
    assertEquals(expected, json);
    assertEquals(state(), fromJson(expected, state(), STATE_MANIFEST));
  }

  @Test
  void snapshotsAndMetadataWrittenBeforeSilenceStillRead() {
    String before =
        STATE_JSON.replace("METADATA_JSON", METADATA_JSON_V1).replace("LIMITS_JSON", LIMITS_JSON);
    assertEquals(stateBeforeSilence(), fromJson(before, state(), STATE_MANIFEST));
    SensorMetadataUpdated sample = new SensorMetadataUpdated(METADATA, AT);
    SensorMetadataUpdated read =
        (SensorMetadataUpdated)
            fromJson(
                "{\"metadata\":" + METADATA_JSON_V1 + ",\"updatedAt\":\"2026-11-22T10:16:00Z\"}",
                sample,
                "org.sensorcluster.domain.event.SensorMetadataUpdated");
    assertEquals(null, read.metadata().expectedInterval());
    assertEquals(stateBeforeSilence().metadata(), read.metadata());
  }

  @Test
  void snapshotsWrittenBeforeMetadataAndAlertsStillRead() {
    assertEquals(stateV1(), fromJson(STATE_JSON_V1, state(), STATE_MANIFEST));
  }

  @Test
  void newerEventsHaveFixedJson() {
    for (Object[] e : NEW_EVENTS) {
      String json = toJson(e[0], (String) e[1]);
      assertEquals(e[2], json, "JSON of " + e[1]);
      assertEquals(e[0], fromJson((String) e[2], e[0], (String) e[1]));
    }
  }

  @Test
  void olderRowsWithoutOptionalFieldsAndWithUnknownFieldsStillRead() {
    // a reading without readingId (the field is optional), a field this version does not know
    String event =
        "{\"readings\":[{\"timestamp\":\"2026-11-22T10:00:00Z\",\"value\":1.0,\"unit\":\"C\"}],"
            + "\"recordedAt\":\"2026-11-22T10:15:30Z\"}";
    assertEquals(
        new ReadingsRecorded(
            List.of(new Reading(null, Instant.parse("2026-11-22T10:00:00Z"), 1.0)),
            Instant.parse("2026-11-22T10:15:30Z")),
        fromJson(event, event(), EVENT_MANIFEST));

    // a snapshot without recentIds means: no ids remembered
    String state = "{\"readingCount\":1,\"lastReading\":null,\"lastRecordedAt\":null}";
    assertEquals(
        new SensorState(1, null, null, RecentReadingIds.EMPTY, null, null, 0, null),
        fromJson(state, state(), STATE_MANIFEST));
  }

  @Test
  void emptyStateRoundTrips() {
    String json = toJson(SensorState.EMPTY, STATE_MANIFEST);
    assertEquals(SensorState.EMPTY, fromJson(json, SensorState.EMPTY, STATE_MANIFEST));
  }

  @Test
  void recordReadingsRoundTripsThroughCbor() {
    TestProbe<Recorded> probe = testKit.createTestProbe();
    RecordReadings cmd =
        new RecordReadings(
            List.of(
                new Reading("r-1", Instant.parse("2026-11-22T10:00:00Z"), 21.5),
                new Reading(null, Instant.parse("2026-11-22T10:00:01Z"), 0.0)),
            probe.getRef());

    Serializer serializer = serialization.findSerializerFor(cmd);
    assertInstanceOf(JacksonCborSerializer.class, serializer, "commands travel as jackson-cbor");
    String manifest = Serializers.manifestFor(serializer, cmd);
    byte[] bytes = serialization.serialize(cmd).get();

    Object back = serialization.deserialize(bytes, serializer.identifier(), manifest).get();
    assertEquals(cmd, back);

    // the deserialized reply-to still reaches the asker
    ((RecordReadings) back).replyTo().tell(new Recorded(2, 0, 1));
    assertEquals(new Recorded(2, 0, 1), probe.receiveMessage());
  }

  @Test
  void recordedReplyRoundTripsThroughCbor() {
    Recorded reply = new Recorded(3, 1, 17);
    Serializer serializer = serialization.findSerializerFor(reply);
    assertInstanceOf(JacksonCborSerializer.class, serializer);
    byte[] bytes = serialization.serialize(reply).get();
    assertEquals(
        reply,
        serialization
            .deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, reply))
            .get());
  }
}
