package org.sensorcluster.domain;

/** A client supplied a value that is well-formed but breaks a rule of the model. */
public class InvalidInputException extends IllegalArgumentException {
  public InvalidInputException(String message) {
    super(message);
  }
}
