package org.sensorcluster.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class FailureSummaryLogTest {

  @Test
  void aFloodOfFailuresBecomesOneLinePerInterval() {
    Logger logger = (Logger) LoggerFactory.getLogger("test.failure-summary");
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    AtomicLong now =
        new AtomicLong(1_000_000_000L); // a fake ticker: no wall-clock bound on 10,000 calls
    FailureSummaryLog summary =
        new FailureSummaryLog(logger, "writes failed", Duration.ofMillis(300), now::get);

    for (int i = 0; i < 10_000; i++) {
      summary.failed("failure " + i);
      now.addAndGet(20_000); // 10,000 calls over 200 ms, inside the interval
    }
    assertEquals(1, lines.list.size(), "the first failure is logged at once, the rest are counted");
    assertTrue(
        lines.list.get(0).getFormattedMessage().startsWith("1 writes failed"),
        lines.list.get(0).getFormattedMessage());

    now.addAndGet(Duration.ofMillis(101).toNanos()); // 301 ms after the first line
    summary.failed("the last one");
    assertEquals(2, lines.list.size());
    String second = lines.list.get(1).getFormattedMessage();
    assertTrue(second.startsWith("10000 writes failed"), second);
    assertTrue(second.endsWith("the last one"), second);
    logger.detachAppender(lines);
  }
}
