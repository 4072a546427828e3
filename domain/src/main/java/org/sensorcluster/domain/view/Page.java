package org.sensorcluster.domain.view;

import java.util.List;

/**
 * One page of a keyset-paginated query.
 *
 * @param items at most the requested limit, in the query's stable order
 * @param hasMore whether rows after the last item exist (the HTTP layer then hands out a cursor)
 */
public record Page<T>(List<T> items, boolean hasMore) {
  public Page {
    items = List.copyOf(items);
  }
}
