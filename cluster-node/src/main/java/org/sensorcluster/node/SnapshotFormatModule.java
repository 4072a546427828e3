package org.sensorcluster.node;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.module.SimpleModule;
import org.sensorcluster.domain.RecentReadingIds;

/**
 * Keeps the snapshot format of {@link RecentReadingIds} what it was for ids whose contents are
 * unknown: {@code contents} (content fingerprints, for telling a resend from a reused readingId) is
 * left out when null instead of being written as {@code "contents":null}. Older nodes ignore the
 * member when it is there (unknown properties are ignored); this node reads its absence as
 * "contents unknown". The domain module has no Jackson dependency, hence a mix-in.
 */
public final class SnapshotFormatModule extends SimpleModule {

  public SnapshotFormatModule() {
    super("sensors-snapshot-format");
    setMixInAnnotation(RecentReadingIds.class, RecentReadingIdsMixIn.class);
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  abstract static class RecentReadingIdsMixIn {}
}
