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
  static final long RECORD = 650;
  /** One tag, person or metadata entry: its string and its posting-list entry. */
  static final long LABEL = 96;
  /** One distinct word in the lexical index: its posting slot and term frequency. */
  static final long TERM = 40;
  /**
   * One graph node: its neighbour lists at the index's m of 16, hnswlib's node and its slot
   * (the graph's capacity runs half ahead of its size), the id-to-entry map.
   */
  static final long GRAPH_NODE = 310;

  private Footprint() {}

  /** The heap of a partition of {@code memories} memories whose records take {@code records}. */
  static long partition(long records, int memories, int dimension, boolean graph) {
    // the record's own array (header + floats); an exact scan also packs a copy of every vector
    // into one array that grows by half when full (1.25 times the floats on average) with the
    // ids and references beside it, where a graph keeps nodes instead
    long vector = 16 + 4L * dimension + (graph ? GRAPH_NODE : 8 + 5L * dimension);
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
