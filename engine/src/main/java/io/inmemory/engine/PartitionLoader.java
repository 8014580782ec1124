package io.inmemory.engine;

import io.inmemory.engine.embedding.Embeddings;
import io.inmemory.engine.index.IndexSettings;
import io.inmemory.engine.index.InvalidSnapshotException;
import io.inmemory.engine.index.VectorIndex;
import io.inmemory.engine.retrieval.RetrievalSettings;
import io.inmemory.engine.spi.IndexSnapshots;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads partitions from the store for the {@link PartitionCache}: a load re-embeds the memories
 * another embedder made and restores the partition's HNSW graph from its index snapshot, or
 * rebuilds it; {@link #saveIndexes} writes the graphs that changed. Thread-safe; holds nothing.
 */
final class PartitionLoader {
  /**
   * The engine's logger: operators filter these lines by its name, as before they moved here.
   * Named by text, not by {@code Memory.class}: Memory uses this class, and this class must not
   * use Memory back.
   */
  private static final Logger LOG = LoggerFactory.getLogger("io.inmemory.engine.Memory");
  private static final int REEMBED_BATCH = 64;

  private final MemoryStore store;
  private final Embeddings embeddings;
  private final IndexSettings indexSettings;
  private final RetrievalSettings retrieval;

  PartitionLoader(MemoryStore store, Embeddings embeddings, IndexSettings indexSettings,
      RetrievalSettings retrieval) {
    this.store = store;
    this.embeddings = embeddings;
    this.indexSettings = indexSettings;
    this.retrieval = retrieval;
  }

  /** Whether the store keeps index snapshots, so graphs are saved rather than rebuilt. */
  boolean keepsSnapshots() {
    return store.indexSnapshots().isPresent();
  }

  /** The partition of {@code key}, as the store holds it now. */
  Partition load(PartitionKey key) {
    return new Partition(key, embeddings.dimension(), indexSettings, retrieval, current(key),
        vectors -> store.indexSnapshots()
            .map(snapshots -> restoreIndex(snapshots, key, vectors)).orElse(null));
  }

  /**
   * The memories of {@code key} as the store holds them now, those another embedder made
   * re-embedded (and written back).
   */
  List<StoredMemory> current(PartitionKey key) {
    List<StoredMemory> stored = store.load(key);
    List<StoredMemory> current = new ArrayList<>(stored.size());
    List<StoredMemory> stale = new ArrayList<>();
    for (StoredMemory memory : stored) {
      boolean fresh = memory.embedderId().equals(embeddings.id())
          && memory.embedding().length == embeddings.dimension();
      (fresh ? current : stale).add(memory);
    }
    if (!stale.isEmpty()) {
      current.addAll(reembed(key, stale));
    }
    return current;
  }

  /**
   * The partition's vector index restored from its snapshot, or null when there is no usable
   * one (then it is built, and the log says why). Never fails: a snapshot only saves time.
   */
  private @Nullable VectorIndex restoreIndex(IndexSnapshots snapshots, PartitionKey key,
      Map<String, float[]> vectors) {
    boolean large = vectors.size() >= indexSettings.hnswThreshold();
    try {
      Optional<InputStream> probe = snapshots.read(key);
      if (probe.isEmpty()) {
        if (large) {
          LOG.info("Building the HNSW graph of {} memories of {} in {}: no index snapshot",
              vectors.size(), key.ownerDescription(), key.namespace());
        }
        return null;
      }
      probe.get().close();
      if (!large) {
        // The partition shrank below the graph's threshold: it scans exactly, the graph is moot.
        snapshots.delete(key);
        return null;
      }
      long start = System.nanoTime();
      VectorIndex index = VectorIndex.restore(() -> snapshots.read(key).orElseThrow(
              () -> new NoSuchFileException("the index snapshot of " + key.ownerDescription())),
          embeddings.id(), embeddings.dimension(), indexSettings, vectors);
      LOG.info("Restored the HNSW graph of {} memories of {} in {} from its snapshot in {} ms",
          vectors.size(), key.ownerDescription(), key.namespace(),
          (System.nanoTime() - start) / 1_000_000);
      return index;
    } catch (InvalidSnapshotException e) {
      LOG.info("Rebuilding the HNSW graph of {} memories of {} in {}: its index snapshot"
          + " cannot be used, {}", vectors.size(), key.ownerDescription(), key.namespace(),
          e.getMessage());
    } catch (IOException | RuntimeException e) {
      LOG.warn("Rebuilding the HNSW graph of {} memories of {} in {}: its index snapshot"
          + " could not be read", vectors.size(), key.ownerDescription(), key.namespace(), e);
    }
    return null;
  }

  /**
   * Saves the graph of each of {@code partitions} that changed since its snapshot, and deletes
   * the snapshots of partitions that scan exactly now, when the store keeps snapshots. Failures
   * are logged, never thrown: the store holds the data, a snapshot only saves time.
   */
  void saveIndexes(Collection<Partition> partitions) {
    store.indexSnapshots().ifPresent(snapshots -> saveIndexes(snapshots, partitions));
  }

  private void saveIndexes(IndexSnapshots snapshots, Collection<Partition> partitions) {
    long start = System.nanoTime();
    int saved = 0;
    for (Partition partition : partitions) {
      // The read lock waits for writes still running and keeps later ones out.
      saved += partition.read(() -> saveIndex(snapshots, partition) ? 1 : 0);
    }
    if (saved > 0) {
      LOG.info("Saved {} index snapshots in {} ms", saved,
          (System.nanoTime() - start) / 1_000_000);
    }
  }

  private boolean saveIndex(IndexSnapshots snapshots, Partition partition) {
    VectorIndex index = partition.index();
    PartitionKey key = partition.key();
    try {
      if (!index.changedSinceSnapshot()) {
        return false;
      }
      if (index.usesGraph()) {
        snapshots.write(key, out -> index.writeSnapshot(out, embeddings.id()));
        return true;
      }
      if (index.hadGraph()) {
        snapshots.delete(key);
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("Could not save the index snapshot of {} in {}; it will be rebuilt on the next"
          + " load", key.ownerDescription(), key.namespace(), e);
    }
    return false;
  }

  /** Recomputes embeddings made by another embedder, so models are never mixed. */
  private List<StoredMemory> reembed(PartitionKey key, List<StoredMemory> stale) {
    LOG.info("Re-embedding {} memories of {} made by another embedder (now {})",
        stale.size(), key.ownerDescription(), embeddings.id());
    List<StoredMemory> refreshed = new ArrayList<>(stale.size());
    for (int from = 0; from < stale.size(); from += REEMBED_BATCH) {
      List<StoredMemory> batch = stale.subList(from, Math.min(stale.size(), from + REEMBED_BATCH));
      List<float[]> vectors =
          embeddings.documents(batch.stream().map(m -> m.memory().content()).toList());
      List<StoredMemory> updated = new ArrayList<>(batch.size());
      for (int i = 0; i < batch.size(); i++) {
        updated.add(new StoredMemory(batch.get(i).namespace(), batch.get(i).memory(),
            vectors.get(i), embeddings.id()));
      }
      store.replaceEmbeddings(updated);
      refreshed.addAll(updated);
      LOG.info("Re-embedded {}/{} memories of {}", refreshed.size(), stale.size(),
          key.ownerDescription());
    }
    return refreshed;
  }
}
