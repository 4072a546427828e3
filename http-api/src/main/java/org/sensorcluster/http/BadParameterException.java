package org.sensorcluster.http;

/** A query parameter is missing, unparseable or out of range: 400 with this message. */
final class BadParameterException extends RuntimeException {
  BadParameterException(String message) {
    super(message);
  }
}
