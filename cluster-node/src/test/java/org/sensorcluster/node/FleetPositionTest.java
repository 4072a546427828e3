package org.sensorcluster.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class FleetPositionTest {

  @Test
  void formatsAndParsesOneOrderingPerTag() {
    long[] at = {0, 17, Long.MAX_VALUE};
    assertEquals("0.17.9223372036854775807", FleetPosition.format(at));
    assertArrayEquals(at, FleetPosition.parse(FleetPosition.format(at), 3));
    assertEquals(42, FleetPosition.sequenceNr("42"));
  }

  @Test
  void refusesWhatIsNoPosition() {
    for (String bad :
        List.of(
            "",
            "1.2",
            "1.2.3.4",
            "1..3",
            "1.-2.3",
            "1.x.3",
            "1.2.3 ",
            "1.+2.3",
            "1.2.9223372036854775808",
            "1.2." + "9".repeat(70))) {
      assertThrows(IllegalArgumentException.class, () -> FleetPosition.parse(bad, 3), bad);
    }
    assertThrows(IllegalArgumentException.class, () -> FleetPosition.sequenceNr("-1"));
  }
}
