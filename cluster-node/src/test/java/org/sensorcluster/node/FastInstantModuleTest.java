package org.sensorcluster.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.typesafe.config.ConfigFactory;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The faster Instant reader gives what JavaTimeModule gives, and Pekko's mappers use it. */
class FastInstantModuleTest {

  private static final ObjectMapper JACKSON =
      new ObjectMapper().registerModule(new JavaTimeModule());
  private static final ObjectMapper FAST =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .registerModule(new FastInstantModule());

  record Holder(Instant at) {}

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"2026-11-22T10:00:00Z\"", "\"2026-11-22T10:00:01.250Z\"",
            "\"1969-12-31T23:59:59.999999999Z\"",
        "\"0001-01-01T00:00:00Z\"", "\"2026-11-22T10:00:00+01:00\"", "\"+10000-01-01T00:00:00Z\"",
        "1763805600", "1763805600.123456789", "\"1763805600\""
      })
  void readsWhatJavaTimeModuleReads(String literal) throws JsonProcessingException {
    String json = "{\"at\":" + literal + "}";
    assertEquals(JACKSON.readValue(json, Holder.class), FAST.readValue(json, Holder.class), json);
  }

  @Test
  void readsEveryInstantJacksonWritesBackExactly() throws JsonProcessingException {
    for (Instant at :
        List.of(
            Instant.EPOCH,
            Instant.ofEpochSecond(1_763_805_600L, 1),
            Instant.ofEpochSecond(-1, 999_999_999),
            Instant.ofEpochSecond(253_402_300_799L, 120_000_000))) {
      String json = FAST.writeValueAsString(new Holder(at));
      assertEquals(at, FAST.readValue(json, Holder.class).at(), json);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"2026-13-01T00:00:00Z\"", "\"yesterday\"", "true"})
  void invalidValuesFailAsJacksonFailsThem(String literal) {
    String json = "{\"at\":" + literal + "}";
    assertThrows(JsonProcessingException.class, () -> JACKSON.readValue(json, Holder.class));
    assertThrows(JsonProcessingException.class, () -> FAST.readValue(json, Holder.class));
  }

  @Test
  void pekkosJournalMapperHasTheModule() {
    ActorTestKit testKit =
        ActorTestKit.create(
            "FastInstantModuleTest",
            ConfigFactory.parseString("pekko.actor.provider = local")
                .withFallback(ConfigFactory.load()));
    try {
      for (String binding : List.of("jackson-json", "jackson-cbor")) {
        ObjectMapper mapper =
            JacksonObjectMapperProvider.get(testKit.system())
                .getOrCreate(binding, java.util.Optional.empty());
        assertTrue(
            mapper.getRegisteredModuleIds().contains("sensors-fast-instant"),
            binding + ": " + mapper.getRegisteredModuleIds());
      }
    } finally {
      testKit.shutdownTestKit();
    }
  }
}
