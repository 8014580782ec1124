package io.inmemory.engine.index;

import static io.inmemory.engine.index.TestVectors.bruteForce;
import static io.inmemory.engine.index.TestVectors.ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Quality of the HNSW layout with the default settings on 20,000 clustered 384-d vectors. */
class HnswRecallTest {

  private static final int DIM = 384;
  private static final int SIZE = 20_000;
  private static final int K = 10;

  private static TestVectors data;
  private static Map<String, float[]> vectors;
  private static VectorIndex index;
  private static List<float[]> queries;

  @BeforeAll
  static void build() {
    data = new TestVectors(DIM, 100, 42);
    vectors = data.vectors(SIZE);
    index = new VectorIndex(DIM, IndexSettings.defaults());
    index.putAll(vectors);
    queries = data.queries(100);
  }

  @Test
  void recallAt10IsAtLeast98Percent() {
    assertThat(index.usesGraph()).isTrue();
    double recall = 0;
    for (float[] query : queries) {
      List<Neighbor> found = index.search(query, K);
      assertThat(found).hasSize(K);
      recall += TestVectors.recall(bruteForce(vectors, query, K, id -> true), found);
    }
    assertThat(recall / queries.size()).isGreaterThanOrEqualTo(0.98);
  }

  @Test
  void aWiderBeamFindsMoreOfTheTrueNearestAndATooNarrowOneIsRefused() {
    double narrow = 0;
    double wide = 0;
    for (float[] query : queries) {
      List<String> expected = bruteForce(vectors, query, K, id -> true);
      List<Neighbor> fromNarrow = index.search(query, K, K);
      assertThat(fromNarrow).hasSize(K);
      narrow += TestVectors.recall(expected, fromNarrow);
      wide += TestVectors.recall(expected, index.search(query, K, 400));
    }
    // On this data a beam of 10 misses about a third; a beam of 400 nearly nothing.
    assertThat(narrow / queries.size()).isLessThan(0.9);
    assertThat(wide / queries.size()).isGreaterThan(narrow / queries.size())
        .isGreaterThanOrEqualTo(0.99);
    assertThatThrownBy(() -> index.search(queries.get(0), K, K - 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("ef must be at least k (10), was 9");
  }

  @ParameterizedTest(name = "matching fraction {0}")
  @ValueSource(doubles = {0.1, 0.01, 0.001})
  void selectiveFiltersGetTheTrueTopK(double fraction) {
    Set<String> allowed = sample(fraction);
    for (float[] query : queries.subList(0, 30)) {
      List<String> expected = bruteForce(vectors, query, K, allowed::contains);
      assertThat(ids(index.search(query, K, allowed::contains, allowed.size())))
          .isEqualTo(expected);
      assertThat(ids(index.search(query, K, allowed::contains, -1))).isEqualTo(expected);
    }
  }

  @Test
  void broadFiltersKeepTheRecall() {
    Set<String> allowed = sample(0.5);
    double recall = 0;
    for (float[] query : queries.subList(0, 30)) {
      List<Neighbor> found = index.search(query, K, allowed::contains, allowed.size());
      assertThat(found).hasSize(K).allMatch(n -> allowed.contains(n.id()));
      recall += TestVectors.recall(bruteForce(vectors, query, K, allowed::contains), found);
    }
    assertThat(recall / 30).isGreaterThanOrEqualTo(0.98);
  }

  private static Set<String> sample(double fraction) {
    List<String> ids = new ArrayList<>(vectors.keySet());
    Collections.shuffle(ids, data.random());
    return new HashSet<>(ids.subList(0, (int) Math.round(SIZE * fraction)));
  }
}
