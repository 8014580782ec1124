package io.inmemory.bench;

import java.util.List;

/**
 * A vector store measured side by side with ours by {@link IndexBench}: it is filled with the
 * same vectors and asked the same queries in the same run. Scores are dot products of unit
 * vectors (cosine similarity). A peer copies the vectors it keeps, so that its heap footprint can
 * be measured; ids are non-null and distinct. Implementations need not be thread-safe: the
 * benchmark calls one peer from one thread at a time (a peer may use more threads inside
 * {@link #addAll}).
 */
interface Peer extends AutoCloseable {

  /** The name printed in tables and charts. */
  String name();

  /** Adds these vectors in bulk, the fastest way the system offers. */
  void addAll(List<String> ids, List<float[]> vectors);

  /** Adds one more vector, as an application adding one memory would. */
  void add(String id, float[] vector);

  /** The ids of the {@code k} stored vectors closest to {@code query}, best first. */
  List<String> search(float[] query, int k);

  /** Releases what the peer holds outside the heap; the default holds nothing. */
  @Override
  default void close() {}
}
