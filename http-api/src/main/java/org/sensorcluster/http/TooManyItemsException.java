package org.sensorcluster.http;

/** A request held more items than one request may. */
final class TooManyItemsException extends RuntimeException {
  TooManyItemsException(int limit) {
    super("a request may hold at most " + limit + " readings; split the batch");
  }
}
