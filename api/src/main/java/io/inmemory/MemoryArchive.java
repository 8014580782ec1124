package io.inmemory;

import java.util.List;
import java.util.function.Consumer;

/**
 * Export and restore of memories with everything a restore needs: content, labels, scope,
 * metadata, times, validity, supersede links, histories (deleted memories' too) and, optionally,
 * embeddings. An operator's interface, apart from {@link MemoryClient}: the embedded engine and
 * the managed client implement both; get it with {@link MemoryClients#archive(MemoryClient)}.
 * Thread-safe.
 *
 * <p>Ids and times are kept as archived, so supersede links survive in any order and a re-run of
 * a restore stores nothing twice.
 */
public interface MemoryArchive {

  /**
   * Hands every memory the request covers to {@code sink}, owner by owner (sorted by owner, then
   * creation time and id), on the calling thread. Each owner's memories are read consistently;
   * the whole export is not one point in time while writes continue.
   *
   * @throws StorageException or {@link TransportException} when reading fails part way (the sink
   *     has then seen a part)
   * @throws UnsupportedOperationException when {@code scope} is null and the store cannot list
   *     its owners (export one user at a time)
   */
  void export(ExportRequest request, Consumer<ArchivedMemory> sink);

  /**
   * Stores archived memories whose ids the store does not hold, idempotently: one result per
   * memory, in order. A memory already held identically is {@link RestoreResult.Outcome#UNCHANGED};
   * held otherwise, {@link RestoreResult.Outcome#CONFLICT} and never overwritten. A memory whose
   * embedding came from the configured embedder (same id and dimensions) keeps it; others are
   * embedded again. Each memory is stored whole or not at all.
   *
   * @throws InvalidRequestException when the list is longer than the configured
   *     {@code inmemory.max-batch-size}; nothing is stored
   */
  List<RestoreResult> restore(List<ArchivedMemory> memories);
}
