package org.sensorcluster.http;

/**
 * The request body is not the JSON document the endpoint takes (syntax, or wrong top-level type).
 */
final class MalformedJsonException extends Exception {
  MalformedJsonException(String message) {
    super(message);
  }
}
