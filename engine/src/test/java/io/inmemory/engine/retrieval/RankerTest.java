package io.inmemory.engine.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.AddRequest;
import io.inmemory.InMemoryConfig;
import io.inmemory.MemoryRecord;
import io.inmemory.SearchHit;
import io.inmemory.SearchRequest;
import io.inmemory.engine.Memory;
import io.inmemory.engine.index.IndexSettings;
import io.inmemory.engine.index.VectorIndex;
import io.inmemory.engine.lexical.LexicalIndex;
import io.inmemory.engine.lexical.Scored;
import io.inmemory.engine.tck.HashingEmbedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The {@link Ranker} on its own, over indexes built here from a small corpus (the one of
 * {@link RetrievalModesTest}, tagged), ranks exactly as the engine's searches do in every mode and
 * fusion: same ids, same order, same scores, with and without a filter, a threshold and a
 * candidate depth below the limit.
 */
class RankerTest {

  private static final String USER = "alice";
  private static final List<String> QUERIES = List.of("river guitar",
      "Which rivers did Sam mention?", "garden fence", "volcano eruption", "the");
  private static final List<List<String>> SETTINGS = List.of(
      List.of("inmemory.retrieval.mode", "dense"),
      List.of("inmemory.retrieval.mode", "lexical"),
      List.of("inmemory.retrieval.mode", "hybrid", "inmemory.retrieval.fusion", "boost"),
      List.of("inmemory.retrieval.mode", "hybrid", "inmemory.retrieval.fusion", "rrf"),
      List.of("inmemory.retrieval.mode", "hybrid", "inmemory.retrieval.fusion", "linear",
          "inmemory.retrieval.candidates", "2"));

  private final HashingEmbedder embedder = new HashingEmbedder();

  @Test
  void everyModeRanksAsTheEngineSearches() {
    for (List<String> settings : SETTINGS) {
      InMemoryConfig config = config(settings);
      try (Memory memory = Memory.builder().config(config).embedder(embedder).build()) {
        Corpus corpus = corpus(memory, RetrievalSettings.from(config));
        for (String query : QUERIES) {
          for (int limit : new int[] {1, 3, 8}) {
            List<Scored> ranked = corpus.rank(query, limit, null, null);

            assertThat(ranked).as("%s, '%s', limit %d", settings, query, limit)
                .isEqualTo(scored(memory.search(query, USER, limit).hits()));
          }
        }
      }
    }
  }

  @Test
  void theIdsHandedAndTheThresholdNarrowAsTheEngineFiltersDo() {
    for (List<String> settings : SETTINGS) {
      InMemoryConfig config = config(settings);
      try (Memory memory = Memory.builder().config(config).embedder(embedder).build()) {
        Corpus corpus = corpus(memory, RetrievalSettings.from(config));
        Set<String> even = corpus.records.stream().filter(record -> record.tags().contains("even"))
            .map(MemoryRecord::id).collect(Collectors.toSet());
        for (String query : QUERIES) {
          SearchRequest filtered = SearchRequest.builder(USER).query(query).limit(8)
              .tags(List.of("even")).build();
          List<Scored> all = corpus.rank(query, 8, null, null);
          double threshold = all.isEmpty() ? 0.5 : all.get(all.size() / 2).score();
          SearchRequest above = SearchRequest.builder(USER).query(query).limit(8)
              .threshold(threshold).build();

          assertThat(corpus.rank(query, 8, even, null)).as("%s, '%s'", settings, query)
              .isEqualTo(scored(memory.search(filtered).hits()))
              .allSatisfy(scored -> assertThat(even).contains(scored.id()));
          assertThat(corpus.rank(query, 8, null, threshold)).as("%s, '%s'", settings, query)
              .isEqualTo(scored(memory.search(above).hits()))
              .allSatisfy(scored -> assertThat(scored.score()).isGreaterThanOrEqualTo(threshold));
        }
      }
    }
  }

  @Test
  void aTestOfIdsWithItsCountRanksAsTheSetOfIdsPassingIt() {
    for (List<String> settings : SETTINGS) {
      InMemoryConfig config = config(settings);
      try (Memory memory = Memory.builder().config(config).embedder(embedder).build()) {
        Corpus corpus = corpus(memory, RetrievalSettings.from(config));
        Set<String> odd = corpus.records.stream().filter(record -> record.tags().isEmpty())
            .map(MemoryRecord::id).collect(Collectors.toSet());
        for (String query : QUERIES) {
          for (int limit : new int[] {1, 3, 8}) {
            float[] vector = corpus.queries == null ? null : corpus.queries.embedQuery(query);
            List<Scored> byTest = corpus.ranker.rank(corpus.vectors, corpus.words, vector, query,
                limit, odd::contains, odd.size(), null, Threads.NONE);

            assertThat(byTest).as("%s, '%s', limit %d", settings, query, limit)
                .isEqualTo(corpus.rank(query, limit, odd, null))
                .allSatisfy(scored -> assertThat(odd).contains(scored.id()));
          }
        }
      }
    }
  }

  @Test
  void denseRankingIsTheExactCosineOrderAndNeedsNoLexicalIndex() {
    InMemoryConfig config = config(List.of("inmemory.retrieval.mode", "dense"));
    try (Memory memory = Memory.builder().config(config).embedder(embedder).build()) {
      Ranker ranker = new Ranker(RetrievalSettings.from(config));
      Corpus corpus = corpus(memory, RetrievalSettings.from(config));
      float[] query = embedder.embedQuery("river guitar");
      List<Scored> expected = new ArrayList<>();
      for (MemoryRecord record : corpus.records) {
        float[] vector = embedder.embedDocuments(List.of(record.content())).get(0);
        double dot = 0;
        for (int i = 0; i < vector.length; i++) {
          dot += vector[i] * query[i];
        }
        expected.add(new Scored(record.id(), dot));
      }
      expected.sort(Scored.BEST_FIRST);

      assertThat(ranker.newLexicalIndex()).isNull();
      assertThat(corpus.rank("river guitar", RetrievalModesTest.CORPUS.size(), null, null))
          .extracting(Scored::id)
          .containsExactlyElementsOf(expected.stream().map(Scored::id).toList());
    }
  }

  private static InMemoryConfig config(List<String> settings) {
    InMemoryConfig.Builder config = InMemoryConfig.builder().isolated()
        .set(InMemoryConfig.STORE, "memory");
    for (int i = 0; i < settings.size(); i += 2) {
      config.set(settings.get(i), settings.get(i + 1));
    }
    return config.build();
  }

  /** Adds the corpus (every other memory tagged "even") and indexes it the way a partition does. */
  private Corpus corpus(Memory memory, RetrievalSettings settings) {
    List<AddRequest> requests = new ArrayList<>();
    for (int i = 0; i < RetrievalModesTest.CORPUS.size(); i++) {
      requests.add(AddRequest.builder(RetrievalModesTest.CORPUS.get(i), USER)
          .tags(i % 2 == 0 ? List.of("even") : List.of()).build());
    }
    memory.addAll(requests);
    List<MemoryRecord> records = memory.getAll(USER, 100, 0).items();
    Ranker ranker = new Ranker(settings);
    VectorIndex vectors = new VectorIndex(embedder.dimension(), IndexSettings.defaults());
    LexicalIndex words = ranker.newLexicalIndex();
    for (MemoryRecord record : records) {
      vectors.put(record.id(), embedder.embedDocuments(List.of(record.content())).get(0));
      if (words != null) {
        words.put(record.id(), record.content());
      }
    }
    return new Corpus(ranker, records, vectors, words, settings.dense() ? embedder : null);
  }

  private List<Scored> scored(List<SearchHit> hits) {
    return hits.stream().map(hit -> new Scored(hit.memory().id(), hit.score())).toList();
  }

  private record Corpus(Ranker ranker, List<MemoryRecord> records, VectorIndex vectors,
      LexicalIndex words, HashingEmbedder queries) {

    /** Ranks as the engine does: the query is embedded only when the ranking is not lexical. */
    List<Scored> rank(String query, int limit, Set<String> matching, Double threshold) {
      float[] vector = queries == null ? null : queries.embedQuery(query);
      return ranker.rank(vectors, words, vector, query, limit, matching, threshold, Threads.NONE);
    }
  }
}
