package io.inmemory.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.AddRequest;
import io.inmemory.InMemoryConfig;
import io.inmemory.Limits;
import io.inmemory.SearchRequest;
import io.inmemory.engine.Memory;
import io.inmemory.engine.spi.Embedder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineBenchTest {
  @TempDir
  Path folder;

  @Test
  void eachFilterMatchesExactlyItsShareOfThePreloadedMemories() {
    CountingEmbedder embedder = new CountingEmbedder();
    try (Memory memory = Memory.builder().config(InMemoryConfig.builder().isolated()
        .set(InMemoryConfig.STORE, "memory").set(Limits.MAX_BATCH_SIZE, 3_000).build())
        .embedder(embedder).build()) {
      List<String> texts = EngineBench.memoryTexts(List.of("a", "b", "c"), 3_000);
      List<AddRequest> requests = new ArrayList<>();
      for (int i = 0; i < texts.size(); i++) {
        requests.add(EngineBench.memory(i, texts.get(i)));
      }
      memory.addAll(requests);
      for (int size : new int[] {1_000, 3_000}) {
        for (EngineBench.Filter filter : EngineBench.Filter.values()) {
          int expected = size / filter.every;
          SearchRequest request = filter.apply(SearchRequest.builder(EngineBench.USER)
              .limit(1_000), size).build();
          // Tags and people hold across all memories; the time window within the first size.
          int found = memory.search(request).hits().size();
          if (filter.name().startsWith("TIME")) {
            assertThat(found).as(filter.label + " at " + size).isEqualTo(expected);
          } else {
            assertThat(found).as(filter.label).isEqualTo(3_000 / filter.every);
          }
        }
      }
    }
  }

  @Test
  void memoryTextsAndQueryTextsNeverRepeat() {
    List<String> texts = EngineBench.memoryTexts(List.of("x", "y", "x"), 10);
    assertThat(texts).hasSize(10).doesNotHaveDuplicates().startsWith("x", "y", "x (2)");
    EngineBench.QueryTexts queries = new EngineBench.QueryTexts(List.of("q1", "q2"));
    List<String> all = new ArrayList<>(queries.next(3));
    all.addAll(queries.next(4));
    assertThat(all).doesNotHaveDuplicates().startsWith("q1", "q2", "q1 (2)");
  }

  @Test
  void embeddingsAreComputedOnceThenReadFromTheCache() throws Exception {
    CountingEmbedder embedder = new CountingEmbedder();
    List<String> texts = List.of("one", "two", "three", "four", "five");
    EmbeddedTexts first = EmbeddedTexts.load(folder, texts, embedder);
    assertThat(embedder.calls.get()).isEqualTo(5);
    EmbeddedTexts second = EmbeddedTexts.load(folder, texts, embedder);
    assertThat(embedder.calls.get()).isEqualTo(5);
    for (int i = 0; i < texts.size(); i++) {
      assertThat(second.vectors().get(i)).containsExactly(embedder.vector(texts.get(i)));
      assertThat(first.vectors().get(i)).containsExactly(second.vectors().get(i));
    }
    // Other texts are another cache file, never the old vectors.
    EmbeddedTexts other = EmbeddedTexts.load(folder, List.of("one", "six"), embedder);
    assertThat(embedder.calls.get()).isEqualTo(7);
    assertThat(other.vectors().get(1)).containsExactly(embedder.vector("six"));
    try (var files = Files.list(folder)) {
      assertThat(files.filter(file -> file.toString().endsWith(".f32")).count()).isEqualTo(2);
    }
  }

  @Test
  void knownVectorsServeKnownTextsAndEmbedTheRestInOrder() {
    CountingEmbedder embedder = new CountingEmbedder();
    EmbeddedTexts table = new EmbeddedTexts(embedder.id(), List.of("known"),
        List.of(embedder.vector("known")));
    KnownVectors known = new KnownVectors(embedder, table);
    List<float[]> vectors = known.embedDocuments(List.of("new", "known", "other"));
    assertThat(embedder.calls.get()).isEqualTo(2);
    assertThat(known.embedded()).isEqualTo(2);
    assertThat(vectors.get(0)).containsExactly(embedder.vector("new"));
    assertThat(vectors.get(1)).containsExactly(embedder.vector("known"));
    assertThat(vectors.get(2)).containsExactly(embedder.vector("other"));
    assertThat(known.id()).isEqualTo(embedder.id());
    assertThatThrownBy(() -> new KnownVectors(embedder,
        new EmbeddedTexts("another-model", List.of(), List.of())))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void restartParsesTheChildResultLine() {
    assertThat(RestartBench.parse("open=1.5 search=0.25 heap=812.0"))
        .containsEntry("open", 1.5).containsEntry("search", 0.25).containsEntry("heap", 812.0);
    assertThatThrownBy(() -> RestartBench.parse("open"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void medianOfOddAndEvenRuns() {
    assertThat(EngineBench.median(new double[][] {{3}, {1}, {2}}, 0)).isEqualTo(2);
    assertThat(EngineBench.median(new double[][] {{4}, {1}, {2}, {3}}, 0)).isEqualTo(2.5);
  }

  @Test
  void engineTargetIsMetOnlyWhenEveryFreshJvmIsWithinIt() {
    List<List<EngineBench.SizeRun>> fast = List.of(
        List.of(run(10_000, 9), run(10_000, 2)),
        List.of(run(100_000, 3.1), run(100_000, 3.9), run(100_000, 3.5)));
    assertThat(EngineBench.checks(fast)).singleElement().satisfies(check -> {
      assertThat(check.measured()).isEqualTo(3.9);
      assertThat(check.pass()).isTrue();
      assertThat(check.target()).contains("3 fresh JVMs");
    });
    List<List<EngineBench.SizeRun>> oneSlow = List.of(
        List.of(run(100_000, 3.1), run(100_000, 9.8), run(100_000, 3.5)));
    assertThat(EngineBench.checks(oneSlow)).singleElement()
        .satisfies(check -> assertThat(check.pass()).isFalse());
    assertThat(EngineBench.checks(List.of(List.of(run(10_000, 1))))).isEmpty();
  }

  @Test
  void aSizeRunHasOneP99PerP50() {
    assertThatThrownBy(() -> new EngineBench.SizeRun(10, 1, List.of(1.0, 2.0), List.of(1.0)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** A fresh JVM's searches at {@code size} whose new-query-text p50 is {@code newText}. */
  private static EngineBench.SizeRun run(int size, double newText) {
    return new EngineBench.SizeRun(size, 1_000, List.of(newText, 1.0, 2.0),
        List.of(newText * 2, 2.0, 3.0));
  }

  /** Deterministic unit vectors from the text's hash; counts the texts it embeds. */
  private static final class CountingEmbedder implements Embedder {
    final AtomicInteger calls = new AtomicInteger();

    float[] vector(String text) {
      Random random = new Random(text.hashCode());
      float[] vector = new float[8];
      double norm = 0;
      for (int i = 0; i < vector.length; i++) {
        vector[i] = (float) random.nextGaussian();
        norm += vector[i] * vector[i];
      }
      for (int i = 0; i < vector.length; i++) {
        vector[i] /= (float) Math.sqrt(norm);
      }
      return vector;
    }

    @Override
    public String id() {
      return "counting:8";
    }

    @Override
    public int dimension() {
      return 8;
    }

    @Override
    public float[] embedQuery(String text) {
      calls.incrementAndGet();
      return vector(text);
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
      return texts.stream().map(this::embedQuery).toList();
    }
  }

  @Test
  void restartContentsAreDistinctPastTheSentencesTheyRepeat() {
    List<String> sentences = List.of("a cat sat", "a dog ran", "a bird sang");
    List<String> contents = java.util.stream.IntStream.range(0, 7)
        .mapToObj(i -> RestartBench.content(sentences, i)).toList();
    assertThat(contents).doesNotHaveDuplicates()
        .startsWith("a cat sat", "a dog ran", "a bird sang", "a cat sat (1)")
        .endsWith("a cat sat (2)");
  }
}
