package org.sensorcluster.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class FailureSummaryLogTest {

  @Test
  void aFloodOfFailuresBecomesOneLinePerInterval() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger("test.failure-summary");
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    FailureSummaryLog summary = new FailureSummaryLog(logger, "writes failed", Duration.ofMillis(300));

    for (int i = 0; i < 10_000; i++) {
      summary.failed("failure " + i);
    }
    assertEquals(1, lines.list.size(), "the first failure is logged at once, the rest are counted");
    assertTrue(lines.list.get(0).getFormattedMessage().startsWith("1 writes failed"), lines.list.get(0).getFormattedMessage());

    Thread.sleep(350);
    summary.failed("the last one");
    assertEquals(2, lines.list.size());
    String second = lines.list.get(1).getFormattedMessage();
    assertTrue(second.startsWith("10000 writes failed"), second);
    assertTrue(second.endsWith("the last one"), second);
    logger.detachAppender(lines);
  }
}
