package org.sensorcluster.projections;

/** The read-model database could not answer (down, overloaded, pool exhausted). */
public final class ReadModelUnavailableException extends RuntimeException {
  public ReadModelUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
