package io.inmemory.bench;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import java.util.ArrayList;
import java.util.List;

/**
 * LangChain4j's {@link InMemoryEmbeddingStore}, the common in-process choice in Java, as a
 * {@link Peer}: an exact scan that ranks by cosine similarity, which orders unit vectors as the
 * dot product does. Vectors are stored without text, as ours are in the index. Thread-safe, as
 * the store is.
 */
final class LangChain4jPeer implements Peer {
  static final String NAME = "LangChain4j";

  private final InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void addAll(List<String> ids, List<float[]> vectors) {
    List<Embedding> embeddings = new ArrayList<>(vectors.size());
    List<TextSegment> embedded = new ArrayList<>(vectors.size());
    for (float[] vector : vectors) {
      embeddings.add(Embedding.from(vector.clone()));
      embedded.add(null);
    }
    store.addAll(ids, embeddings, embedded);
  }

  @Override
  public void add(String id, float[] vector) {
    store.add(id, Embedding.from(vector.clone()));
  }

  @Override
  public List<String> search(float[] query, int k) {
    EmbeddingSearchRequest request = EmbeddingSearchRequest.builder()
        .queryEmbedding(Embedding.from(query)).maxResults(k).build();
    return store.search(request).matches().stream().map(EmbeddingMatch::embeddingId).toList();
  }
}
