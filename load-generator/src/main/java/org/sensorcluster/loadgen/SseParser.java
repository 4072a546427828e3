package org.sensorcluster.loadgen;

import java.util.function.Consumer;

/**
 * The text/event-stream framing, line by line (the lines without their CR/LF): {@code id:}, {@code
 * event:}, {@code data:} (several are joined by LF), a blank line ends an event, a line starting
 * with {@code :} is a comment (counted, e.g. the node's keep-alive). Not thread-safe: one per
 * connection.
 */
final class SseParser {

  /** One event: {@code id} null when it had none (the last id still applies, as in a browser). */
  record Event(String id, String type, String data) {}

  private final Consumer<Event> onEvent;
  private String id;
  private String type = "";
  private final StringBuilder data = new StringBuilder();
  private boolean hasData;
  private long comments;

  SseParser(Consumer<Event> onEvent) {
    this.onEvent = onEvent;
  }

  void line(String line) {
    if (line.isEmpty()) {
      if (hasData || !type.isEmpty()) {
        onEvent.accept(new Event(id, type.isEmpty() ? "message" : type, data.toString()));
      }
      id = null;
      type = "";
      data.setLength(0);
      hasData = false;
      return;
    }
    if (line.charAt(0) == ':') {
      comments++;
      return;
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "data" -> {
        if (hasData) {
          data.append('\n');
        }
        data.append(value);
        hasData = true;
      }
      case "event" -> type = value;
      case "id" -> id = value;
      default -> {} // retry and unknown fields: ignored
    }
  }

  long comments() {
    return comments;
  }
}
