package io.inmemory.engine;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Posting lists of one partition: for each key (a tag, a person, an agent, a session), the ids of
 * the memories that carry it, so a filtered search starts from the memories that can match instead
 * of testing every one. Keys are taken as given; callers normalize them the way the filter compares them.
 *
 * <p>Not thread-safe: the owning {@link Partition} calls it under its lock.
 */
final class Postings {
  private final Map<String, Set<String>> byKey = new HashMap<>();

  /** Records that memory {@code id} carries each of {@code keys}. */
  void add(String id, Collection<String> keys) {
    for (String key : keys) {
      byKey.computeIfAbsent(key, k -> new HashSet<>()).add(id);
    }
  }

  /** Forgets that memory {@code id} carries each of {@code keys}; drops lists left empty. */
  void remove(String id, Collection<String> keys) {
    for (String key : keys) {
      Set<String> ids = byKey.get(key);
      if (ids != null && ids.remove(id) && ids.isEmpty()) {
        byKey.remove(key);
      }
    }
  }

  /** The ids carrying {@code key}, empty when none; a live view the caller must not modify. */
  Set<String> get(String key) {
    return byKey.getOrDefault(key, Set.of());
  }

  /** How many distinct keys have at least one memory; for tests. */
  int keys() {
    return byKey.size();
  }
}
