package org.sensorcluster.journal;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.persistence.jdbc.testkit.javadsl.SchemaUtils;
import org.junit.runner.RunWith;

/**
 * Pekko's journal TCK ({@code JournalSpec} through its Java entry point) against embedded H2 (an
 * in-memory database of its own), the node's storage without PostgreSQL: the plugin's own DAO, as
 * the node runs it on H2, and the tables created by the plugin's H2 script, as the node creates
 * them. Capabilities as in {@link PostgresJournalTckTest}.
 */
@RunWith(JournalTckRunner.class)
public class H2JournalTckTest extends NodeJournalSpec {

  public H2JournalTckTest() {
    this(null);
  }

  /** {@code dao}: the journal DAO class, null for the plugin's own. */
  protected H2JournalTckTest(String dao) {
    super(
        JournalTck.config(
            "jdbc:h2:mem:journal-tck-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
            "sa",
            "",
            false,
            dao));
  }

  /**
   * The plugin's H2 script, as the node's NodeSchema applies it on H2. Not through the plugin's
   * {@code SchemaUtils.createIfNotExists}: that takes any {@code jdbc-journal.dao} other than the
   * plugin's DefaultJournalDao for its legacy DAO and creates the legacy tables.
   */
  @Override
  public void beforeAll() {
    try (InputStream in =
        getClass().getClassLoader().getResourceAsStream("schema/h2/h2-create-schema.sql")) {
      if (in == null) {
        throw new IllegalStateException("the plugin's schema/h2/h2-create-schema.sql is missing");
      }
      String script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      SchemaUtils.applyScript(script, ";", "jdbc-journal", system())
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create the H2 journal schema", e);
    }
    super.beforeAll();
  }
}
