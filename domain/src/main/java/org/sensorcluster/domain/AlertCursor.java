package org.sensorcluster.domain;

import java.time.Instant;
import java.util.List;
import org.sensorcluster.domain.event.AlertCleared;
import org.sensorcluster.domain.event.AlertRaised;
import org.sensorcluster.domain.event.SensorEvent;

/**
 * Walks alert transitions over a sequence of readings without building intermediate states (used by
 * {@link SensorState#eventsForReadings} and {@link SensorState#eventsForMetadata}).
 */
final class AlertCursor {
  private OpenAlert open;
  private long raised;

  AlertCursor(OpenAlert open, long raised) {
    this.open = open;
    this.raised = raised;
  }

  void evaluate(Reading r, Thresholds t, Instant now, List<SensorEvent> out) {
    if (open != null) {
      if (!t.clears(open.bound(), r.value())) {
        return;
      }
      out.add(new AlertCleared(open.alertNumber(), open.bound(), r, t, now));
      open = null;
    }
    AlertBound bound = t.breached(r.value());
    if (bound != null) {
      raised++;
      out.add(new AlertRaised(raised, bound, r, t, now));
      open = new OpenAlert(raised, bound, r, t, now);
    }
  }
}
