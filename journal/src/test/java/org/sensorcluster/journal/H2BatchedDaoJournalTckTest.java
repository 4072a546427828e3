package org.sensorcluster.journal;

import org.junit.runner.RunWith;

/**
 * {@link H2JournalTckTest} with {@link BatchedJournalDao} configured: on H2 it hands every write to
 * the plugin's own path, and the journal must pass the TCK all the same (the node configures it on
 * PostgreSQL only, but nothing stops an operator from setting it on H2).
 */
@RunWith(JournalTckRunner.class)
public class H2BatchedDaoJournalTckTest extends H2JournalTckTest {

  public H2BatchedDaoJournalTckTest() {
    super(BatchedJournalDao.class.getName());
  }
}
