package org.sensorcluster.journal;

import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.persistence.CapabilityFlag;
import org.apache.pekko.persistence.japi.journal.JavaJournalSpec;
import org.apache.pekko.persistence.jdbc.testkit.javadsl.SchemaUtils;
import org.junit.runner.RunWith;

/**
 * Pekko's journal TCK ({@code JournalSpec} through its Java entry point) against embedded H2 (an
 * in-memory database of its own), the node's storage without PostgreSQL: the plugin's own DAO, as
 * the node runs it on H2, and the tables created by the plugin's H2 script as the node creates them
 * (SchemaUtils.createIfNotExists). Capabilities as in {@link PostgresJournalTckTest}.
 */
@RunWith(JournalTckRunner.class)
public class H2JournalTckTest extends JavaJournalSpec {

  public H2JournalTckTest() {
    super(JournalTck.config("jdbc:h2:mem:journal-tck-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "",
        false, null));
  }

  @Override
  public CapabilityFlag supportsRejectingNonSerializableObjects() {
    return CapabilityFlag.on();
  }

  @Override
  public CapabilityFlag supportsSerialization() {
    return CapabilityFlag.on();
  }

  @Override
  public CapabilityFlag supportsMetadata() {
    return CapabilityFlag.on();
  }

  @Override
  public void beforeAll() {
    try {
      SchemaUtils.createIfNotExists(system()).toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create the H2 journal schema", e);
    }
    super.beforeAll();
  }
}
