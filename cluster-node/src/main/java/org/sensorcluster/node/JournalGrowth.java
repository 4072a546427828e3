package org.sensorcluster.node;

/**
 * When the journal has grown so much since the node last analyzed it that PostgreSQL's planner
 * works from a wrong picture: it at least doubled and gained at least {@code minRows} events. A
 * young database (the first minutes after an empty start, before autovacuum's first look) gets an
 * ANALYZE at 1k, 2k, 4k, ... events; a mature one practically never (doubling takes longer than
 * autovacuum or the periodic ANALYZE need).
 */
record JournalGrowth(long minRows) {

  static final JournalGrowth DEFAULT = new JournalGrowth(1_000);

  /** {@code atLastAnalyze} and {@code now}: the journal's highest ordering then and now. */
  boolean due(long atLastAnalyze, long now) {
    return now - atLastAnalyze >= minRows && now >= 2 * atLastAnalyze;
  }
}
