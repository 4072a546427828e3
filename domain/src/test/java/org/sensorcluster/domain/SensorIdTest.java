package org.sensorcluster.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SensorIdTest {

  @Test
  void acceptsSingleCharacter() {
    assertEquals("a", SensorId.of("a").value());
  }

  @Test
  void acceptsMaxLength() {
    String id = "x".repeat(128);
    assertEquals(id, SensorId.of(id).value());
    assertNull(SensorId.problemWith(id));
  }

  @Test
  void acceptsWholeAlphabet() {
    String id = "ABCXYZ-abcxyz_0189.:";
    assertEquals(id, SensorId.of(id).toString());
  }

  @Test
  void rejectsEmpty() {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> SensorId.of(""));
    assertEquals("sensorId must not be empty", e.getMessage());
  }

  @Test
  void rejectsTooLong() {
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> SensorId.of("x".repeat(129)));
    assertEquals("sensorId must be at most 128 characters, got 129", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"a b", "a/b", "a\u00e9b", "a\u4e2db", "a\tb", "a?b"})
  void rejectsCharactersOutsideAlphabet(String bad) {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> SensorId.of(bad));
    assertTrue(
        e.getMessage().startsWith("sensorId may only contain A-Z a-z 0-9 . _ : -"), e.getMessage());
    assertTrue(e.getMessage().contains("position 1"), e.getMessage());
  }

  @Test
  void rejectsNullWithNullPointerException() {
    assertThrows(NullPointerException.class, () -> SensorId.of(null));
  }

  @Test
  void equalByValue() {
    assertEquals(SensorId.of("s-1"), SensorId.of("s-1"));
    assertEquals(SensorId.of("s-1").hashCode(), SensorId.of("s-1").hashCode());
  }
}
