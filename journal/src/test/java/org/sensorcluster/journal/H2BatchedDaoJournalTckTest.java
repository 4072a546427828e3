package org.sensorcluster.journal;

import org.junit.runner.RunWith;

/**
 * {@link H2JournalTckTest} with {@link BatchedJournalDao} configured, as the node configures it on
 * its embedded default: the batched write path on H2 ({@code FINAL TABLE (INSERT ... UNNEST ...)})
 * must pass the TCK as the plugin's own path does.
 */
@RunWith(JournalTckRunner.class)
public class H2BatchedDaoJournalTckTest extends H2JournalTckTest {

  public H2BatchedDaoJournalTckTest() {
    super(BatchedJournalDao.class.getName());
  }
}
