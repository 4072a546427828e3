package org.sensorcluster.projections;

import java.nio.file.Path;
import java.util.concurrent.Executors;
import org.sensorcluster.testing.TestPostgres;

/**
 * Real databases for the handler tests: a fresh PostgreSQL database on the local server ({@link
 * TestPostgres}: skipped loudly when absent, a failure under CI=true), or an H2 file database in a
 * temporary directory.
 */
final class TestDatabases {

  private TestDatabases() {}

  /** A database and how to get rid of it. */
  record Handle(ReadModelDatabase db, Runnable drop) {}

  static Handle postgres() {
    TestPostgres pg = TestPostgres.createDatabase("readmodels");
    ReadModelDatabase db =
        new ReadModelDatabase(
            pg.url(), pg.user(), pg.password(), 4, Executors.newFixedThreadPool(4));
    return new Handle(
        db,
        () -> {
          db.close();
          pg.drop();
        });
  }

  static Handle h2(Path dir) {
    ReadModelDatabase db =
        new ReadModelDatabase(
            "jdbc:h2:file:" + dir.resolve("rm") + ";DB_CLOSE_DELAY=-1",
            "",
            "",
            4,
            Executors.newFixedThreadPool(4));
    return new Handle(db, db::close);
  }
}
