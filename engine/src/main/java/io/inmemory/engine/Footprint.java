package io.inmemory.engine;

import io.inmemory.MemoryRecord;

/**
 * Estimates of the heap a partition takes, for the cache's weigher: what its objects cost on a
 * 64-bit JVM with compressed references (heaps under 32 GB; above, references double and these
 * figures run about 30% low). Estimates, not measurements: cheap enough to keep up to date on
 * every write. Stateless.
 */
final class Footprint {
  /** The partition's fixed structures: maps, timeline, postings, indexes when empty. */
  static final long PARTITION = 4_096;
  /**
   * One record's objects besides its text and labels: the StoredMemory and MemoryRecord, the id
   * string, its entries in byId, the timeline, the dedup map and the agent and session postings.
   */
  static final long RECORD = 560;
  /** One tag, person or metadata entry: its string and its posting-list entry. */
  static final long LABEL = 96;
  /** One distinct word in the lexical index: its posting slot and term frequency. */
  static final long TERM = 40;
  /** One graph node's neighbour lists and bookkeeping, at the index's m of 16. */
  static final long GRAPH_NODE = (2 * 16 + 6) * 4 + 96;

  private Footprint() {}

  /** The heap of a partition of {@code memories} memories whose records take {@code records}. */
  static long partition(long records, int memories, int dimension, boolean graph) {
    // the record's array (header + floats) and the flat store's packed copy
    long vector = 16 + 8L * dimension + (graph ? GRAPH_NODE : 0);
    return PARTITION + records + memories * vector;
  }

  /** The heap of one record besides its vector; {@code lexical}: its words are indexed too. */
  static long record(MemoryRecord record, boolean lexical) {
    String content = record.content();
    long bytes = RECORD + text(content)
        + LABEL * (record.tags().size() + record.people().size() + record.metadata().size());
    if (lexical) {
      // about one distinct word per six characters of prose
      bytes += TERM * (content.length() / 6 + 1);
    }
    return bytes;
  }

  /** A string's bytes: one a character when Latin-1 (compact strings), else two. */
  private static long text(String value) {
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) > 0xFF) {
        return 2L * value.length();
      }
    }
    return value.length();
  }
}
