package org.sensorcluster.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Streaming (token by token) parser for readings on the wire. Item-level problems (an item that is
 * not an object, a field of the wrong type) are recorded on the item; document-level problems
 * (broken syntax, wrong top-level type) raise {@link MalformedJsonException}. Unknown fields are
 * ignored.
 */
final class ReadingJson {

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(32)
                  .maxStringLength(64 * 1024)
                  .build())
          .build();

  private ReadingJson() {}

  /** A single object or an array of objects; at most {@code maxItems} items. */
  static List<RawItem> parseDocument(byte[] body, int maxItems) throws MalformedJsonException {
    try (JsonParser p = FACTORY.createParser(body)) {
      JsonToken first = p.nextToken();
      List<RawItem> items = new ArrayList<>();
      if (first == JsonToken.START_OBJECT) {
        items.add(readItem(p, 0));
      } else if (first == JsonToken.START_ARRAY) {
        while (p.nextToken() != JsonToken.END_ARRAY) {
          if (items.size() >= maxItems) {
            throw new TooManyItemsException(maxItems);
          }
          items.add(readItem(p, items.size()));
        }
      } else {
        throw new MalformedJsonException(
            first == null
                ? "request body is empty; expected a JSON object or array"
                : "expected a JSON object or an array of objects");
      }
      if (p.nextToken() != null) {
        throw new MalformedJsonException("unexpected content after the JSON document");
      }
      return items;
    } catch (JsonProcessingException e) {
      throw new MalformedJsonException("malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new MalformedJsonException("unreadable body: " + e.getMessage());
    }
  }

  /** One NDJSON line; never throws: a broken line becomes a broken item. */
  static RawItem parseLine(byte[] line, int index) {
    try (JsonParser p = FACTORY.createParser(line)) {
      JsonToken first = p.nextToken();
      RawItem item = readItem(p, index);
      if (first != JsonToken.START_OBJECT || p.nextToken() != null) {
        return item.syntaxError() != null
            ? item
            : RawItem.broken(index, "a line must hold exactly one JSON object");
      }
      return item;
    } catch (JsonProcessingException e) {
      return RawItem.broken(index, "malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      return RawItem.broken(index, "unreadable line: " + e.getMessage());
    }
  }

  /** Reads the value at the current token; leaves the parser on its last token. */
  private static RawItem readItem(JsonParser p, int index) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return RawItem.broken(index, "item must be a JSON object");
    }
    String sensorId = null;
    String readingId = null;
    String timestamp = null;
    Double value = null;
    String error = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      switch (field) {
        case "sensorId", "readingId", "timestamp" -> {
          if (t == JsonToken.VALUE_NUMBER_INT && field.equals("timestamp")) {
            // integer epoch milliseconds, the other accepted form; the rules then check it as any
            // timestamp
            if (p.getNumberType() == com.fasterxml.jackson.core.JsonParser.NumberType.BIG_INTEGER) {
              if (error == null) {
                error = "timestamp in epoch milliseconds is out of range";
              }
            } else {
              timestamp = java.time.Instant.ofEpochMilli(p.getLongValue()).toString();
            }
          } else if (t == JsonToken.VALUE_STRING) {
            String s = p.getText();
            if (field.equals("sensorId")) {
              sensorId = s;
            } else if (field.equals("readingId")) {
              readingId = s;
            } else {
              timestamp = s;
            }
          } else if (t != JsonToken.VALUE_NULL && error == null) {
            error =
                field.equals("timestamp")
                    ? "timestamp must be an RFC 3339 string or integer epoch milliseconds"
                    : field + " must be a string";
          }
        }
        case "value" -> {
          if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            value = p.getDoubleValue();
          } else if (t != JsonToken.VALUE_NULL && error == null) {
            error = "value must be a number";
          }
        }
        default -> {}
      }
      p.skipChildren();
    }
    return new RawItem(index, sensorId, readingId, timestamp, value, error);
  }
}
