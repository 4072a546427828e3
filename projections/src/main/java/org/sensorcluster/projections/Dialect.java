package org.sensorcluster.projections;

/** The two databases we run on; they differ only in upsert syntax and a few types. */
public enum Dialect {
  POSTGRES,
  H2;

  public static Dialect ofJdbcUrl(String url) {
    if (url.startsWith("jdbc:postgresql:")) {
      return POSTGRES;
    }
    if (url.startsWith("jdbc:h2:")) {
      return H2;
    }
    throw new IllegalArgumentException("unsupported JDBC URL (PostgreSQL or H2 expected): " + url);
  }
}
