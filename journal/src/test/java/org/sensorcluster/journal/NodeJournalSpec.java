package org.sensorcluster.journal;

import com.typesafe.config.Config;
import org.apache.pekko.persistence.CapabilityFlag;
import org.apache.pekko.persistence.japi.journal.JavaJournalSpec;

/**
 * Pekko's journal TCK with what pekko-persistence-jdbc really supports (as its own JdbcJournalSpec
 * says): it rejects events it cannot serialize, serializes, and keeps metadata.
 */
abstract class NodeJournalSpec extends JavaJournalSpec {

  NodeJournalSpec(Config config) {
    super(config);
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
}
