package org.sensorcluster.journal;

import org.junit.AssumptionViolatedException;
import org.junit.runner.Description;
import org.junit.runner.Runner;
import org.junit.runner.manipulation.Filter;
import org.junit.runner.manipulation.Filterable;
import org.junit.runner.manipulation.NoTestsRemainException;
import org.junit.runner.notification.Failure;
import org.junit.runner.notification.RunNotifier;
import org.opentest4j.TestAbortedException;
import org.scalatest.Suite;
import org.scalatestplus.junit.JUnitRunner;

/**
 * ScalaTest's {@link JUnitRunner} for a TCK spec, except that a spec whose constructor gives up
 * with JUnit 5's {@link TestAbortedException} (TestPostgres: no PostgreSQL on a developer machine)
 * is reported as skipped (a JUnit 4 assumption failure) rather than as an initialization error. Any
 * other failure to construct the spec (TestPostgres under {@code CI=true}) stays a failure.
 * Filterable like ScalaTest's runner, so that a test filter (surefire's -Dtest) reaches the TCK's
 * tests.
 */
public final class JournalTckRunner extends Runner implements Filterable {

  private final JUnitRunner delegate;
  private final Description description;
  private final TestAbortedException skipped;

  public JournalTckRunner(Class<? extends Suite> suiteClass) {
    JUnitRunner runner = null;
    Description d;
    TestAbortedException abort = null;
    try {
      runner = new JUnitRunner(suiteClass); // instantiates the spec
      d = runner.getDescription();
    } catch (RuntimeException | Error e) {
      abort = abortIn(e);
      if (abort == null) {
        throw e;
      }
      // one test that is reported skipped, so that the skip shows in the test counts
      d = Description.createSuiteDescription(suiteClass);
      d.addChild(Description.createTestDescription(suiteClass, "journal TCK"));
    }
    this.delegate = runner;
    this.description = d;
    this.skipped = abort;
  }

  private static TestAbortedException abortIn(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TestAbortedException a) {
        return a;
      }
    }
    return null;
  }

  @Override
  public Description getDescription() {
    return description;
  }

  @Override
  public void filter(Filter filter) throws NoTestsRemainException {
    if (skipped == null) {
      delegate.filter(filter);
    } else if (!filter.shouldRun(description.getChildren().get(0))) {
      throw new NoTestsRemainException();
    }
  }

  @Override
  public void run(RunNotifier notifier) {
    if (skipped != null) {
      Description test = description.getChildren().get(0);
      notifier.fireTestStarted(test);
      notifier.fireTestAssumptionFailed(
          new Failure(test, new AssumptionViolatedException(skipped.getMessage(), skipped)));
      notifier.fireTestFinished(test);
      return;
    }
    delegate.run(notifier);
  }
}
