package io.inmemory.engine.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * Where a store keeps the engine's index snapshots "alongside" its data: one opaque blob per
 * partition, written by the engine when it closes and read back when it loads the partition, so
 * that a large partition's HNSW graph need not be rebuilt. The store treats the bytes as opaque;
 * the engine verifies every snapshot against the partition's memories before using it and
 * rebuilds when it is missing, stale, damaged or from another embedder, so a store may lose or
 * drop snapshots at any time (only speed suffers) and need not keep them in step with its data.
 *
 * <p><b>Atomicity and durability.</b> {@link #write} replaces the snapshot all or nothing: a
 * reader sees the previous snapshot or the new one whole, never part of one, also after a crash
 * during the write (file stores: temporary file, fsync, rename, fsync of the directory).
 *
 * <p><b>Thread-safety.</b> Implementations are thread-safe. The engine does not read and write
 * one partition's snapshot concurrently, but may work on different partitions at once.
 *
 * <p><b>Errors.</b> I/O failures are {@link IOException}s (or {@link io.inmemory.StorageException});
 * the engine logs them and carries on without the snapshot. Calls after the store was closed
 * throw {@link IllegalStateException}.
 */
public interface IndexSnapshots {

  /** Writes the content of one snapshot. */
  @FunctionalInterface
  interface Content {
    /** Writes the snapshot to {@code out}; must not close it. */
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * Opens the snapshot of {@code partition} for reading; empty when there is none. The caller
   * closes the stream.
   */
  Optional<InputStream> read(PartitionKey partition) throws IOException;

  /**
   * Replaces the snapshot of {@code partition} atomically with what {@code content} writes. When
   * {@code content} throws, the previous snapshot (if any) is kept and the exception propagates.
   */
  void write(PartitionKey partition, Content content) throws IOException;

  /** Deletes the snapshot of {@code partition}, if there is one. */
  void delete(PartitionKey partition) throws IOException;
}
