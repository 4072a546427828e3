package org.sensorcluster.journal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.pekko.persistence.jdbc.config.JournalConfig;
import org.apache.pekko.persistence.jdbc.journal.dao.DefaultJournalDao;
import org.apache.pekko.persistence.jdbc.journal.dao.JournalTables;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.stream.Materializer;
import scala.Tuple2;
import scala.collection.immutable.Seq;
import scala.collection.immutable.Set;
import scala.concurrent.ExecutionContext;
import scala.concurrent.Future;
import scala.jdk.javaapi.CollectionConverters;
import scala.jdk.javaapi.FutureConverters;
import scala.runtime.BoxedUnit;
import slick.jdbc.JdbcBackend;
import slick.jdbc.JdbcProfile;

/**
 * pekko-persistence-jdbc's journal DAO with its one write path replaced on PostgreSQL and H2: a
 * group of journal rows (what the plugin's write queue collected from many sensors, up to {@code
 * batchSize}) is inserted with one {@code INSERT ... SELECT FROM unnest(arrays)} and its tags with
 * one more, in one transaction: two statements whatever the size of the group, where the plugin
 * issues one {@code INSERT ... RETURNING} per event (its tag rows need each event's generated
 * ordering). The rows, their order (ordering follows the plugin's order: by sequence number,
 * stable), the transaction and the failure semantics are the plugin's; reads, deletes and recovery
 * stay the plugin's own. On other databases every call goes to the plugin. See
 * docs/adr/0019-batched-journal-writes.md.
 */
public class BatchedJournalDao extends DefaultJournalDao {

  private final JdbcBackend.JdbcDatabaseDef database;
  private final JournalBatchStatements statements;
  private final boolean batched;
  private final ExecutorService writers;

  public BatchedJournalDao(
      JdbcBackend.JdbcDatabaseDef db,
      JdbcProfile profile,
      JournalConfig journalConfig,
      Serialization serialization,
      ExecutionContext ec,
      Materializer mat) {
    super(db, profile, journalConfig, serialization, ec, mat);
    this.database = db;
    JournalBatchStatements.Dialect dialect =
        profile instanceof slick.jdbc.PostgresProfile
            ? JournalBatchStatements.Dialect.POSTGRES
            : profile instanceof slick.jdbc.H2Profile ? JournalBatchStatements.Dialect.H2 : null;
    this.batched = dialect != null;
    this.statements =
        batched
            ? new JournalBatchStatements(
                journalConfig.eventJournalTableConfiguration(),
                journalConfig.eventTagTableConfiguration(),
                dialect)
            : null;
    // as many writes at once as the plugin's write queue runs (parallelism), never more than the
    // pool minus two connections (left for recoveries and the read journal)
    int pool =
        Math.max(1, ((Number) db.source().maxConnections().getOrElse(() -> 8)).intValue() - 2);
    int threads = Math.max(1, Math.min(journalConfig.daoConfig().parallelism(), pool));
    this.writers =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "journal-batch-writer");
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public Future<BoxedUnit> writeJournalRows(
      Seq<Tuple2<JournalTables.JournalPekkoSerializationRow, Set<String>>> xs) {
    if (!batched) {
      return super.writeJournalRows(xs);
    }
    JournalRows rows = JournalRows.of(CollectionConverters.asJava(xs));
    CompletableFuture<BoxedUnit> done = new CompletableFuture<>();
    writers.execute(
        () -> {
          try {
            write(rows);
            done.complete(BoxedUnit.UNIT);
          } catch (SQLException | RuntimeException e) {
            done.completeExceptionally(
                e); // the driver's exception as it is, as the plugin's path fails
          }
        });
    return FutureConverters.asScala(done);
  }

  private void write(JournalRows rows) throws SQLException {
    try (Connection c = database.source().createConnection()) {
      c.setAutoCommit(false);
      try {
        statements.insert(c, rows);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException rollbackFailed) {
          e.addSuppressed(rollbackFailed);
        }
        throw e;
      }
    }
  }
}
