package org.sensorcluster.projections;

/**
 * A column of an additive upsert ({@link Dialect#additiveUpsert}): its name, its SQL type and how
 * an incoming value merges into the stored one when the row exists already.
 */
public record MergeColumn(String name, String type, Merge merge) {

  /** How the stored and the incoming value of a column combine. */
  public enum Merge {
    /** Part of the primary key: identifies the row, never updated. */
    KEY,
    /** The stored value plus the incoming one. */
    SUM,
    /** The smaller of the two. */
    LEAST,
    /** The larger of the two. */
    GREATEST
  }

  public static MergeColumn key(String name, String type) {
    return new MergeColumn(name, type, Merge.KEY);
  }

  public static MergeColumn sum(String name, String type) {
    return new MergeColumn(name, type, Merge.SUM);
  }

  public static MergeColumn least(String name, String type) {
    return new MergeColumn(name, type, Merge.LEAST);
  }

  public static MergeColumn greatest(String name, String type) {
    return new MergeColumn(name, type, Merge.GREATEST);
  }

  boolean isKey() {
    return merge == Merge.KEY;
  }

  /**
   * {@code name = <merged value>} for the update of an existing row, the stored row aliased {@code
   * stored}, the incoming one {@code incoming}.
   */
  String assignment(String stored, String incoming) {
    String s = stored + "." + name;
    String i = incoming + "." + name;
    return name
        + " = "
        + switch (merge) {
          case SUM -> s + " + " + i;
          case LEAST -> "LEAST(" + s + ", " + i + ")";
          case GREATEST -> "GREATEST(" + s + ", " + i + ")";
          case KEY -> throw new IllegalStateException("key column " + name + " is never updated");
        };
  }
}
