package org.sensorcluster.projections;

import java.util.List;
import java.util.stream.Collectors;

/** The SQL text pieces {@link Dialect}'s statements are built from. */
final class DialectSql {

  private DialectSql() {}

  static String insert(String table, List<String> columns) {
    return "INSERT INTO "
        + table
        + " ("
        + String.join(", ", columns)
        + ") VALUES ("
        + Sql.marks(columns.size())
        + ")";
  }

  static String onConflict(List<String> key) {
    return " ON CONFLICT (" + String.join(", ", key) + ")";
  }

  static String merge(String table, List<String> columns, List<String> key) {
    return "MERGE INTO "
        + table
        + " ("
        + String.join(", ", columns)
        + ") KEY ("
        + String.join(", ", key)
        + ") VALUES ("
        + Sql.marks(columns.size())
        + ")";
  }

  static List<String> keyNames(List<MergeColumn> columns) {
    return columns.stream().filter(MergeColumn::isKey).map(MergeColumn::name).toList();
  }

  static String names(List<MergeColumn> columns, String prefix) {
    return columns.stream().map(c -> prefix + c.name()).collect(Collectors.joining(", "));
  }

  static String assignments(List<MergeColumn> columns, String incoming) {
    return columns.stream()
        .filter(c -> !c.isKey())
        .map(c -> c.assignment("t", incoming))
        .collect(Collectors.joining(", "));
  }
}
