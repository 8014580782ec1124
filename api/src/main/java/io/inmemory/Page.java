package io.inmemory;

import java.util.List;

/**
 * One page of a listing.
 *
 * @param items the items of this page, in listing order
 * @param offset how many items precede this page
 * @param limit the requested page size
 * @param total how many items the whole listing holds
 * @param <T> the item type
 */
public record Page<T>(List<T> items, int offset, int limit, long total) {
  public Page {
    items = List.copyOf(items);
    if (offset < 0 || limit < 1 || total < 0) {
      throw new IllegalArgumentException(
          "offset " + offset + ", limit " + limit + ", total " + total + " out of range");
    }
  }

  /** Whether items follow this page. */
  public boolean hasMore() {
    return offset + items.size() < total;
  }
}
