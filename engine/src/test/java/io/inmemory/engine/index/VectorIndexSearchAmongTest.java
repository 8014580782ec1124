package io.inmemory.engine.index;

import static io.inmemory.engine.index.TestVectors.bruteForce;
import static io.inmemory.engine.index.TestVectors.ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VectorIndexSearchAmongTest {

  private static final int DIM = 32;

  private final TestVectors data = new TestVectors(DIM, 20, 11);

  @ParameterizedTest(name = "hnswThreshold {0}")
  @ValueSource(ints = {Integer.MAX_VALUE, 100})
  void fewCandidatesGiveTheExactTopKAmongThem(int threshold) {
    VectorIndex index = new VectorIndex(DIM, IndexSettings.defaults().withHnswThreshold(threshold));
    Map<String, float[]> vectors = data.vectors(2_000);
    index.putAll(vectors);
    List<String> ids = new ArrayList<>(vectors.keySet());
    Set<String> few = new HashSet<>(ids.subList(0, 40));
    Set<String> withUnknown = new HashSet<>(few);
    withUnknown.add("not-stored");
    for (float[] query : data.queries(20)) {
      List<String> expected = bruteForce(vectors, query, 10, few::contains);
      assertThat(ids(index.searchAmong(query, 10, few))).isEqualTo(expected);
      assertThat(ids(index.searchAmong(query, 10, withUnknown))).isEqualTo(expected);
      assertThat(ids(index.searchAmong(query, 50, few))).containsExactlyInAnyOrderElementsOf(few);
      assertThat(index.searchAmong(query, 10, Set.of())).isEmpty();
    }
  }

  @ParameterizedTest(name = "hnswThreshold {0}")
  @ValueSource(ints = {Integer.MAX_VALUE, 100})
  void manyCandidatesStayAmongThemWithHighRecall(int threshold) {
    VectorIndex index = new VectorIndex(DIM, IndexSettings.defaults().withHnswThreshold(threshold));
    Map<String, float[]> vectors = data.vectors(2_000);
    index.putAll(vectors);
    Set<String> half = new HashSet<>(new ArrayList<>(vectors.keySet()).subList(0, 1_000));
    double recall = 0;
    for (float[] query : data.queries(20)) {
      List<Neighbor> found = index.searchAmong(query, 10, half);
      assertThat(found).hasSize(10).allMatch(n -> half.contains(n.id()));
      recall += TestVectors.recall(bruteForce(vectors, query, 10, half::contains), found);
    }
    assertThat(recall / 20).isGreaterThanOrEqualTo(0.95);
  }

  @ParameterizedTest(name = "hnswThreshold {0}")
  @ValueSource(ints = {Integer.MAX_VALUE, 100})
  void rejectsBadArguments(int threshold) {
    VectorIndex index = new VectorIndex(DIM, IndexSettings.defaults().withHnswThreshold(threshold));
    index.putAll(data.vectors(200));
    float[] query = data.next();
    assertThatThrownBy(() -> index.searchAmong(query, 0, Set.of("a")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> index.searchAmong(new float[DIM + 1], 1, Set.of("a")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> index.searchAmong(query, 1, null))
        .isInstanceOf(NullPointerException.class);
  }
}
