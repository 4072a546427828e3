package org.sensorcluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.sensorcluster.domain.InvalidInputException;
import org.sensorcluster.domain.SensorMetadata;

/**
 * Properties of the body of {@code PUT /api/v1/sensors/{id}} ({@link MetadataJson}): valid metadata
 * round-trips, both as clients write it and as the API itself writes it in its answers; any bytes
 * either parse or fail as {@link MalformedJsonException} (400) / {@link InvalidInputException}
 * (422); duplicate members, cut bodies and content after the body are malformed.
 */
class MetadataJsonPropertyTest {

  @Test
  void validBodiesRoundTrip() throws Exception {
    Property.forAll(
        "valid metadata bodies round-trip",
        800,
        MetadataDocs.docs(),
        doc -> {
          assertEquals(doc.expected(), MetadataJson.parse(utf8(doc.json())), doc.json());
          // what the API answers (and GET shows) can be sent back as it is
          assertEquals(
              doc.expected(), MetadataJson.parse(Json.MAPPER.writeValueAsBytes(doc.expected())));
        });
  }

  @Test
  void anyBytesParseOrAreClientErrors() {
    Gen<byte[]> bodies =
        Gen.<byte[]>choice()
            .or(2, HostileText.bytes(2_000))
            .or(
                3,
                WireJson.damaged(MetadataDocs.docs().map(MetadataDocs.Doc::json))
                    .map(MetadataJsonPropertyTest::utf8))
            .or(1, WireJson.anyValue(4).map(MetadataJsonPropertyTest::utf8))
            .or(1, MetadataDocs.withDuplicateMember().map(MetadataJsonPropertyTest::utf8));
    Property.forAll(
        "any metadata body parses or is a client error",
        2_000,
        bodies,
        Shrinks::bytes,
        body -> {
          try {
            SensorMetadata m = MetadataJson.parse(body);
            assertNotNull(Json.MAPPER.writeValueAsBytes(m)); // the answer can be written
          } catch (MalformedJsonException | InvalidInputException expected) {
            assertNotNull(expected.getMessage());
          }
        });
  }

  @Test
  void duplicateMembersAreMalformed() {
    Property.forAll(
        "duplicate metadata members are malformed",
        500,
        MetadataDocs.withDuplicateMember(),
        json -> assertThrows(MalformedJsonException.class, () -> MetadataJson.parse(utf8(json))));
  }

  @Test
  void truncatedBodiesAreMalformed() {
    Property.forAll(
        "truncated metadata bodies are malformed",
        500,
        r -> {
          String json = MetadataDocs.docs().next(r).json();
          return json.substring(0, r.nextInt(json.length()));
        },
        cut -> assertThrows(MalformedJsonException.class, () -> MetadataJson.parse(utf8(cut))));
  }

  @Test
  void contentAfterTheBodyIsMalformed() {
    Gen<String> after =
        Gen.<String>choice().or(3, WireJson.hostileSnippet()).or(1, WireJson.anyValue(2));
    Gen<Shrinks.Trailing> bodies =
        r ->
            new Shrinks.Trailing(
                MetadataDocs.docs().next(r).json(),
                Gen.elements("", " ", "\n").next(r) + after.next(r));
    Property.forAll(
        "content after the metadata body is malformed",
        500,
        bodies,
        Shrinks.Trailing::shrink,
        t -> assertThrows(MalformedJsonException.class, () -> MetadataJson.parse(utf8(t.body()))));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
