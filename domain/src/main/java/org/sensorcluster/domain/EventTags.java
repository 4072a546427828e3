package org.sensorcluster.domain;

/**
 * Which projection tag a sensor's events carry: {@code "sensor-" + floorMod(id.hashCode(), count)}.
 * {@link String#hashCode()} is fixed by the Java language specification, so the mapping is stable
 * across JVMs and versions.
 *
 * <p>The tag count must not change once a journal holds events: events already written keep their
 * old tag, and the read models would then miss or double-count them. See
 * docs/adr/0002-event-tags.md.
 */
public final class EventTags {

  public static final String PREFIX = "sensor-";

  private EventTags() {}

  public static String tagFor(String sensorId, int tagCount) {
    return tag(Math.floorMod(sensorId.hashCode(), tagCount));
  }

  public static String tag(int index) {
    return PREFIX + index;
  }
}
