package org.sensorcluster.journal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.pekko.persistence.jdbc.journal.dao.JournalTables.JournalPekkoSerializationRow;
import scala.Tuple2;
import scala.collection.immutable.Set;
import scala.jdk.javaapi.CollectionConverters;

/**
 * One group of journal rows to insert, column by column (what {@code unnest} takes), in the order
 * the plugin inserts them: by sequence number, stable, so a sensor's events get increasing
 * orderings in the order it wrote them. {@code tags.get(i)} are the tags of row {@code i}.
 */
record JournalRows(
    Boolean[] deleted,
    String[] persistenceId,
    Long[] sequenceNumber,
    String[] writer,
    Long[] writeTimestamp,
    String[] adapterManifest,
    Integer[] eventSerId,
    String[] eventSerManifest,
    byte[][] eventPayload,
    Integer[] metaSerId,
    String[] metaSerManifest,
    byte[][] metaPayload,
    List<List<String>> tags) {

  static JournalRows of(List<Tuple2<JournalPekkoSerializationRow, Set<String>>> group) {
    List<Tuple2<JournalPekkoSerializationRow, Set<String>>> sorted = new ArrayList<>(group);
    sorted.sort(Comparator.comparingLong(t -> t._1().sequenceNumber()));
    int n = sorted.size();
    JournalRows r =
        new JournalRows(
            new Boolean[n],
            new String[n],
            new Long[n],
            new String[n],
            new Long[n],
            new String[n],
            new Integer[n],
            new String[n],
            new byte[n][],
            new Integer[n],
            new String[n],
            new byte[n][],
            new ArrayList<>(n));
    for (int i = 0; i < n; i++) {
      JournalPekkoSerializationRow row = sorted.get(i)._1();
      r.deleted[i] = row.deleted();
      r.persistenceId[i] = row.persistenceId();
      r.sequenceNumber[i] = row.sequenceNumber();
      r.writer[i] = row.writer();
      r.writeTimestamp[i] = row.writeTimestamp();
      r.adapterManifest[i] = row.adapterManifest();
      r.eventSerId[i] = row.eventSerId();
      r.eventSerManifest[i] = row.eventSerManifest();
      r.eventPayload[i] = row.eventPayload();
      r.metaSerId[i] = row.metaSerId().isDefined() ? (Integer) row.metaSerId().get() : null;
      r.metaSerManifest[i] = row.metaSerManifest().isDefined() ? row.metaSerManifest().get() : null;
      r.metaPayload[i] = row.metaPayload().isDefined() ? row.metaPayload().get() : null;
      r.tags.add(List.copyOf(CollectionConverters.asJava(sorted.get(i)._2())));
    }
    return r;
  }

  int size() {
    return persistenceId.length;
  }

  boolean tagged() {
    return tags.stream().anyMatch(t -> !t.isEmpty());
  }
}
