package org.sensorcluster.http;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.sensorcluster.domain.SensorSummary;

/** The read side as the HTTP layer sees it: queries over projected read models. */
public interface SensorQueries {

  /** The sensor's row in {@code sensor_latest}, empty when the sensor is unknown to the read model. */
  CompletionStage<Optional<SensorSummary>> latest(String sensorId);
}
