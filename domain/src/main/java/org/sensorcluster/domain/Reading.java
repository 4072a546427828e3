package org.sensorcluster.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * One validated measurement of one sensor. Persisted inside events, so its shape is part of the
 * journal format: add fields only as optional ones.
 *
 * @param readingId client-chosen id used for idempotency, or null when the client sent none
 * @param timestamp when the value was measured (the server's receive time when the client sent
 *     none)
 * @param value a finite number
 */
public record Reading(String readingId, Instant timestamp, double value) {

  public Reading {
    Objects.requireNonNull(timestamp, "timestamp");
    if (!Double.isFinite(value)) {
      throw new InvalidInputException("value must be a finite number");
    }
  }
}
