package io.inmemory.bench;

import io.inmemory.engine.index.IndexSettings;
import io.inmemory.engine.index.Neighbor;
import io.inmemory.engine.index.VectorIndex;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Our {@link VectorIndex} as a {@link Peer}: {@link #addAll} is {@link VectorIndex#putAll}, which
 * builds the HNSW graph on all cores once the size reaches the settings' threshold. The index
 * keeps the arrays it is given (the engine hands it the records' own), so the peer copies them
 * as every peer does: the heap measured is then the index's vectors plus its structure.
 * Thread-safe, as the index is.
 */
final class OursPeer implements Peer {
  private final String name;
  private final VectorIndex index;

  OursPeer(String name, int dimension, IndexSettings settings) {
    this.name = name;
    this.index = new VectorIndex(dimension, settings);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void addAll(List<String> ids, List<float[]> vectors) {
    Map<String, float[]> byId = new HashMap<>(ids.size() * 2);
    for (int i = 0; i < ids.size(); i++) {
      byId.put(ids.get(i), vectors.get(i).clone());
    }
    index.putAll(byId);
  }

  @Override
  public void add(String id, float[] vector) {
    index.put(id, vector.clone());
  }

  @Override
  public List<String> search(float[] query, int k) {
    return index.search(query, k).stream().map(Neighbor::id).toList();
  }
}
