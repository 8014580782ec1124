package io.inmemory.engine.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.inmemory.AddRequest;
import io.inmemory.ConfigurationException;
import io.inmemory.InMemoryConfig;
import io.inmemory.MemoryRecord;
import io.inmemory.SearchHit;
import io.inmemory.SearchRequest;
import io.inmemory.SearchResult;
import io.inmemory.SearchResult.Ranking;
import io.inmemory.UpdateRequest;
import io.inmemory.engine.Memory;
import io.inmemory.engine.tck.HashingEmbedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Retrieval modes through the engine's public API, with a deterministic bag-of-words embedder. */
class RetrievalModesTest {

  private static final String USER = "alice";
  static final List<String> CORPUS = List.of(
      "Went kayaking on the river with Sam",
      "Bought a new guitar at the music store",
      "The river trail was closed after the storm",
      "Cooked pasta with garlic and basil",
      "Sam recommended a book about rivers and mountains",
      "Booked a flight to Lisbon for the conference",
      "Painted the garden fence green",
      "Guitar lesson moved to Thursday");

  private final HashingEmbedder embedder = new HashingEmbedder();

  private Memory open(String... settings) {
    InMemoryConfig.Builder config = InMemoryConfig.builder().isolated()
        .set(InMemoryConfig.STORE, "memory");
    for (int i = 0; i < settings.length; i += 2) {
      config.set(settings[i], settings[i + 1]);
    }
    return Memory.builder().config(config.build()).embedder(embedder).build();
  }

  private static void addCorpus(Memory memory) {
    memory.addAll(CORPUS.stream().map(content -> AddRequest.of(content, USER)).toList());
  }

  private static Map<String, Double> scoresByContent(SearchResult result) {
    return result.hits().stream()
        .collect(Collectors.toMap(hit -> hit.memory().content(), SearchHit::score));
  }

  @Test
  void theDefaultIsHybridWithBoostOnTheCosineScale() {
    try (Memory hybrid = open(); Memory dense = open("inmemory.retrieval.mode", "dense")) {
      addCorpus(hybrid);
      addCorpus(dense);

      SearchResult boosted = hybrid.search("river guitar", USER, 8);
      Map<String, Double> cosines = scoresByContent(dense.search("river guitar", USER, 8));

      assertThat(boosted.ranking()).isEqualTo(Ranking.RELEVANCE);
      assertThat(boosted.hits()).hasSize(8);
      for (SearchHit hit : boosted.hits()) {
        double cosine = cosines.get(hit.memory().content());
        boolean sharesAWord = hit.memory().content().toLowerCase().matches(".*(river|guitar).*");
        if (sharesAWord) {
          assertThat(hit.score()).isGreaterThan(cosine).isLessThanOrEqualTo(1);
        } else {
          assertThat(hit.score()).isCloseTo(cosine, within(1e-6));
        }
      }
      assertThat(boosted.hits()).extracting(SearchHit::score)
          .isSortedAccordingTo((a, b) -> Double.compare(b, a));
    }
  }

  @Test
  void denseScoresAreCosineSimilarities() {
    try (Memory dense = open("inmemory.retrieval.mode", "dense")) {
      addCorpus(dense);
      float[] query = embedder.embedQuery("garden fence");

      SearchResult result = dense.search("garden fence", USER, 3);

      assertThat(result.ranking()).isEqualTo(Ranking.RELEVANCE);
      for (SearchHit hit : result.hits()) {
        float[] vector = embedder.embedDocuments(List.of(hit.memory().content())).get(0);
        double dot = 0;
        for (int i = 0; i < vector.length; i++) {
          dot += vector[i] * query[i];
        }
        assertThat(hit.score()).isCloseTo(dot, within(1e-5));
      }
    }
  }

  @Test
  void lexicalModeMatchesWordsWithoutEmbeddingTheQuery() {
    try (Memory lexical = open("inmemory.retrieval.mode", "lexical")) {
      addCorpus(lexical);
      int queryCalls = embedder.queryCalls();

      SearchResult result = lexical.search("Which rivers did Sam mention?", USER, 10);

      assertThat(embedder.queryCalls()).isEqualTo(queryCalls);
      assertThat(result.ranking()).isEqualTo(Ranking.LEXICAL);
      // Both of the first two hold "river" and "Sam"; the first is shorter (4 terms against 5).
      assertThat(result.memories()).extracting(MemoryRecord::content).containsExactly(
          "Went kayaking on the river with Sam",
          "Sam recommended a book about rivers and mountains",
          "The river trail was closed after the storm");
      assertThat(result.hits()).allSatisfy(hit -> assertThat(hit.score()).isBetween(0.0, 1.0));
      assertThat(lexical.search("volcano eruption", USER, 10).hits()).isEmpty();
    }
  }

  @Test
  void addsUpdatesAndDeletesReachTheLexicalIndex() {
    try (Memory lexical = open("inmemory.retrieval.mode", "lexical")) {
      addCorpus(lexical);
      String id = lexical.add("Adopted a kitten named Miso", USER).id();
      assertThat(contents(lexical.search("kitten", USER, 5))).containsExactly(
          "Adopted a kitten named Miso");

      lexical.update(id, USER, UpdateRequest.builder().content("Adopted a puppy named Miso")
          .build());
      assertThat(lexical.search("kitten", USER, 5).hits()).isEmpty();
      assertThat(contents(lexical.search("puppy", USER, 5))).containsExactly(
          "Adopted a puppy named Miso");

      lexical.update(id, USER, UpdateRequest.builder().tags("pets").build());
      assertThat(contents(lexical.search("puppy", USER, 5))).containsExactly(
          "Adopted a puppy named Miso");

      lexical.delete(id, USER);
      assertThat(lexical.search("puppy miso", USER, 5).hits()).isEmpty();
      lexical.deleteAll(USER);
      assertThat(lexical.search("river guitar", USER, 5).hits()).isEmpty();
    }
  }

  @Test
  void filtersApplyToBothSidesSoSelectiveFiltersStillGetTheirLexicalBoost() {
    List<AddRequest> requests = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      requests.add(AddRequest.builder("Pasta pasta pasta night number " + i, USER)
          .tags("filler").build());
    }
    List<String> needles = List.of("Pasta at the harbour restaurant", "Fresh bread and pasta",
        "Lunch by the sea");
    for (String needle : needles) {
      requests.add(AddRequest.builder(needle, USER).tags("needle").build());
    }
    try (Memory hybrid = open("inmemory.retrieval.candidates", "10");
        Memory lexical = open("inmemory.retrieval.mode", "lexical");
        Memory dense = open("inmemory.retrieval.mode", "dense")) {
      for (Memory memory : List.of(hybrid, lexical, dense)) {
        memory.addAll(requests);
      }
      SearchRequest filtered = SearchRequest.builder(USER).query("pasta").tags(List.of("needle"))
          .limit(10).build();

      assertThat(contents(lexical.search(filtered))).containsExactlyInAnyOrder(
          "Pasta at the harbour restaurant", "Fresh bread and pasta");
      SearchResult boosted = hybrid.search(filtered);
      Map<String, Double> cosines = scoresByContent(dense.search(filtered));
      assertThat(contents(boosted)).containsExactlyInAnyOrderElementsOf(needles);
      for (SearchHit hit : boosted.hits()) {
        double cosine = cosines.get(hit.memory().content());
        if (hit.memory().content().contains("asta")) {
          assertThat(hit.score()).isGreaterThan(cosine + 0.01);
        } else {
          assertThat(hit.score()).isCloseTo(cosine, within(1e-6));
        }
      }
      SearchRequest top1 = SearchRequest.builder(USER).query("pasta").tags(List.of("needle"))
          .limit(1).build();
      assertThat(hybrid.search(top1).memories()).containsExactly(boosted.memories().get(0));
    }
  }

  @Test
  void smallerLimitsReturnThePrefixOfLargerOnesInEveryMode() {
    for (String[] settings : modes()) {
      try (Memory memory = open(settings)) {
        addCorpus(memory);
        List<String> all = contents(memory.search("river music guitar", USER, 8));
        for (int limit = 1; limit <= all.size(); limit++) {
          assertThat(contents(memory.search("river music guitar", USER, limit)))
              .as("%s limit %d", List.of(settings), limit)
              .containsExactlyElementsOf(all.subList(0, limit));
        }
      }
    }
  }

  @Test
  void aThresholdKeepsExactlyTheHitsScoringAtLeastItInEveryMode() {
    for (String[] settings : modes()) {
      try (Memory memory = open(settings)) {
        addCorpus(memory);
        List<SearchHit> all = memory.search("river guitar trail", USER, 8).hits();
        int kept = 2;
        while (kept < all.size() && all.get(kept).score() == all.get(kept - 1).score()) {
          kept++;
        }
        assertThat(kept).as("%s", List.of(settings)).isLessThan(all.size());
        double threshold = (all.get(kept - 1).score() + all.get(kept).score()) / 2;

        SearchResult above = memory.search(SearchRequest.builder(USER).query("river guitar trail")
            .limit(8).threshold(threshold).build());

        assertThat(above.hits()).as("%s", List.of(settings))
            .containsExactlyElementsOf(all.subList(0, kept));
      }
    }
  }

  @Test
  void rankAndBlendFusionsAreReportedAsFused() {
    for (String fusion : List.of("rrf", "linear")) {
      try (Memory memory = open("inmemory.retrieval.fusion", fusion)) {
        addCorpus(memory);
        SearchResult result = memory.search("river guitar", USER, 8);
        assertThat(result.ranking()).isEqualTo(Ranking.FUSED);
        assertThat(result.hits()).allSatisfy(hit -> assertThat(hit.score()).isBetween(0.0, 1.0));
        assertThat(memory.search(SearchRequest.builder(USER).build()).ranking())
            .isEqualTo(Ranking.RECENCY);
      }
    }
  }

  @Test
  void invalidRetrievalSettingsAreReportedAllAtOnce() {
    InMemoryConfig config = InMemoryConfig.builder().isolated()
        .set(InMemoryConfig.STORE, "memory")
        .set("inmemory.retrieval.mode", "semantic")
        .set("inmemory.retrieval.fusion", "max")
        .set("inmemory.retrieval.lexical-weight", "1.5")
        .set("inmemory.retrieval.rrf-k", "-1")
        .set("inmemory.retrieval.candidates", "0")
        .set("inmemory.retrieval.bm25-k1", "high")
        .set("inmemory.retrieval.bm25-b", "NaN")
        .build();

    assertThatThrownBy(() -> Memory.builder().config(config).embedder(embedder).build())
        .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
            .hasSize(7)
            .anySatisfy(p -> assertThat(p).contains("inmemory.retrieval.mode")
                .contains("dense, lexical or hybrid"))
            .anySatisfy(p -> assertThat(p).contains("inmemory.retrieval.fusion")
                .contains("boost, rrf or linear"))
            .anySatisfy(p -> assertThat(p).contains("inmemory.retrieval.lexical-weight"))
            .anySatisfy(p -> assertThat(p).contains("inmemory.retrieval.rrf-k"))
            .anySatisfy(p -> assertThat(p).contains("inmemory.retrieval.candidates"))
            .anySatisfy(p -> assertThat(p).contains("inmemory.retrieval.bm25-k1"))
            .anySatisfy(p -> assertThat(p).contains("inmemory.retrieval.bm25-b")));
  }

  private static List<String[]> modes() {
    return List.of(new String[] {"inmemory.retrieval.mode", "dense"},
        new String[] {"inmemory.retrieval.mode", "lexical"},
        new String[] {"inmemory.retrieval.mode", "hybrid"},
        new String[] {"inmemory.retrieval.fusion", "rrf"},
        new String[] {"inmemory.retrieval.fusion", "linear"});
  }

  private static List<String> contents(SearchResult result) {
    return result.memories().stream().map(MemoryRecord::content).toList();
  }
}
