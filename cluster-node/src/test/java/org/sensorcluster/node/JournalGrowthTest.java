package org.sensorcluster.node;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JournalGrowthTest {

  private final JournalGrowth growth = new JournalGrowth(1_000);

  @Test
  void a_young_journal_is_analyzed_each_time_it_doubles() {
    assertFalse(growth.due(0, 999), "fewer than minRows new events");
    assertTrue(growth.due(0, 1_000));
    assertFalse(growth.due(1_000, 1_999));
    assertTrue(growth.due(1_000, 2_000));
    assertTrue(growth.due(2_000, 4_000));
    assertFalse(growth.due(4_000, 7_999));
  }

  @Test
  void a_mature_journal_practically_never() {
    assertFalse(growth.due(10_000_000, 10_500_000), "500k new events are 5%");
    assertTrue(growth.due(10_000_000, 20_000_000));
  }
}
