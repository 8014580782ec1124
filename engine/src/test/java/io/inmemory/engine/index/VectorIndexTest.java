package io.inmemory.engine.index;

import static io.inmemory.engine.index.TestVectors.bruteForce;
import static io.inmemory.engine.index.TestVectors.ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VectorIndexTest {

  private static final int DIM = 32;

  private final TestVectors data = new TestVectors(DIM, 20, 7);

  private static VectorIndex index(int hnswThreshold) {
    return new VectorIndex(DIM, IndexSettings.defaults().withHnswThreshold(hnswThreshold));
  }

  @Test
  void exactScanMatchesBruteForce() {
    VectorIndex index = index(Integer.MAX_VALUE);
    Map<String, float[]> vectors = data.vectors(1_500);
    vectors.forEach(index::put);

    assertThat(index.usesGraph()).isFalse();
    assertThat(index.size()).isEqualTo(1_500);
    for (float[] query : data.queries(50)) {
      List<Neighbor> found = index.search(query, 10);
      assertThat(ids(found)).isEqualTo(bruteForce(vectors, query, 10, id -> true));
      for (Neighbor n : found) {
        assertThat((double) n.score()).isCloseTo(TestVectors.dot(vectors.get(n.id()), query),
            within(1e-5));
      }
    }
  }

  @Test
  void returnsEveryVectorWhenKExceedsSize() {
    VectorIndex index = index(Integer.MAX_VALUE);
    Map<String, float[]> vectors = data.vectors(5);
    index.putAll(vectors);
    float[] query = data.next();

    assertThat(ids(index.search(query, 50))).isEqualTo(bruteForce(vectors, query, 50, id -> true));
    assertThat(new VectorIndex(DIM, IndexSettings.defaults()).search(query, 3)).isEmpty();
  }

  @ParameterizedTest(name = "hnswThreshold {0}")
  @ValueSource(ints = {Integer.MAX_VALUE, 100})
  void scoreOfOneIdEqualsItsSearchScore(int threshold) {
    VectorIndex index = index(threshold);
    index.putAll(data.vectors(300));
    float[] query = data.next();

    for (Neighbor n : index.search(query, 5)) {
      assertThat(index.score(query, n.id())).hasValue(n.score());
    }
    assertThat(index.score(query, "absent")).isEmpty();
    assertThatThrownBy(() -> index.score(new float[DIM - 1], "absent"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "hnswThreshold {0}")
  @ValueSource(ints = {Integer.MAX_VALUE, 100})
  void removedIdsAreNeverReturnedAndUpdatesMove(int threshold) {
    VectorIndex index = index(threshold);
    Map<String, float[]> vectors = new HashMap<>(data.vectors(1_000));
    index.putAll(vectors);
    assertThat(index.usesGraph()).isEqualTo(threshold == 100);

    List<String> ids = new ArrayList<>(vectors.keySet());
    Map<String, float[]> removed = new HashMap<>();
    for (String id : ids.subList(0, 300)) {
      assertThat(index.remove(id)).isTrue();
      removed.put(id, vectors.remove(id));
    }
    assertThat(index.remove(ids.get(0))).isFalse();
    for (String id : ids.subList(300, 400)) {
      float[] moved = data.next();
      index.put(id, moved);
      vectors.put(id, moved);
    }

    assertThat(index.size()).isEqualTo(700);
    assertThat(index.contains(ids.get(0))).isFalse();
    assertThat(index.contains(ids.get(350))).isTrue();
    removed.forEach(
        (id, vector) -> assertThat(ids(index.search(vector, 10))).doesNotContain(id));
    for (String id : ids.subList(300, 400)) {
      List<Neighbor> top = index.search(vectors.get(id), 1);
      assertThat(top).extracting(Neighbor::id).containsExactly(id);
      assertThat(top.get(0).score()).isCloseTo(1f, within(1e-5f));
    }
  }

  @Test
  void repeatedUpdatesOutgrowTheGraphCapacityAndCompactIt() {
    VectorIndex index = index(100);
    Map<String, float[]> vectors = new HashMap<>(data.vectors(600));
    index.putAll(vectors);
    // Each replacement leaves a tombstone: the graph fills its 1,024 nodes (and grows) before
    // tombstones outnumber the 600 live vectors (and it is rebuilt), then fills again.
    for (int round = 0; round < 4; round++) {
      for (String id : List.copyOf(vectors.keySet())) {
        float[] moved = data.next();
        index.put(id, moved);
        vectors.put(id, moved);
      }
    }

    assertThat(index.usesGraph()).isTrue();
    assertThat(index.size()).isEqualTo(600);
    vectors.forEach(
        (id, vector) -> {
          List<Neighbor> top = index.search(vector, 1);
          assertThat(top).extracting(Neighbor::id).containsExactly(id);
          assertThat(top.get(0).score()).isCloseTo(1f, within(1e-5f));
        });
  }

  @Test
  void crossingTheThresholdKeepsResults() {
    VectorIndex index = index(1_000);
    Map<String, float[]> vectors = data.vectors(1_000);
    List<float[]> queries = data.queries(50);
    List<Map.Entry<String, float[]>> entries = new ArrayList<>(vectors.entrySet());
    entries.subList(0, 999).forEach(e -> index.put(e.getKey(), e.getValue()));
    List<List<Neighbor>> before = queries.stream().map(q -> index.search(q, 10)).toList();
    assertThat(index.usesGraph()).isFalse();

    index.put(entries.get(999).getKey(), entries.get(999).getValue());
    index.remove(entries.get(999).getKey());

    assertThat(index.usesGraph()).isTrue();
    assertThat(index.size()).isEqualTo(999);
    double recall = 0;
    for (int i = 0; i < queries.size(); i++) {
      recall += TestVectors.recall(ids(before.get(i)), index.search(queries.get(i), 10));
    }
    assertThat(recall / queries.size()).isGreaterThanOrEqualTo(0.98);
  }

  @ParameterizedTest(name = "hnswThreshold {0}")
  @ValueSource(ints = {Integer.MAX_VALUE, 100})
  void filteredSearchIsTheTopKOfTheMatchingIds(int threshold) {
    VectorIndex index = index(threshold);
    Map<String, float[]> vectors = data.vectors(2_000);
    index.putAll(vectors);
    List<String> ids = new ArrayList<>(vectors.keySet());
    List<String> allowed = ids.subList(0, 7);
    for (float[] query : data.queries(20)) {
      List<String> expected = bruteForce(vectors, query, 5, allowed::contains);
      assertThat(ids(index.search(query, 5, allowed::contains, allowed.size())))
          .isEqualTo(expected);
      assertThat(ids(index.search(query, 5, allowed::contains, -1))).isEqualTo(expected);
      // A wrong matching count changes the strategy, never the result.
      assertThat(ids(index.search(query, 5, allowed::contains, 1_000))).isEqualTo(expected);
      assertThat(ids(index.search(query, 5, allowed::contains, 0))).isEqualTo(expected);
      assertThat(index.search(query, 5, id -> false, -1)).isEmpty();
    }
  }

  @Test
  void graphOverFetchFindsTheMatchingIdsOrFallsBackToAScan() {
    IndexSettings d = IndexSettings.defaults();
    // A candidate cost of 0 makes every filtered search with more than k matches use the graph.
    VectorIndex index = new VectorIndex(DIM, new IndexSettings(100, d.m(), d.efConstruction(),
        d.efFloor(), d.efScaleFrom(), d.filterTestCost(), 0));
    Map<String, float[]> vectors = data.vectors(2_000);
    index.putAll(vectors);
    List<String> ids = new ArrayList<>(vectors.keySet());
    List<String> tenth = ids.subList(0, 200);
    List<String> hundredth = ids.subList(200, 220);
    double recall = 0;
    for (float[] query : data.queries(20)) {
      List<Neighbor> found = index.search(query, 10, tenth::contains, tenth.size());
      assertThat(found).hasSize(10).allMatch(n -> tenth.contains(n.id()));
      recall += TestVectors.recall(bruteForce(vectors, query, 10, tenth::contains), found);
      List<String> expected = bruteForce(vectors, query, 10, hundredth::contains);
      assertThat(ids(index.search(query, 10, hundredth::contains, hundredth.size())))
          .isEqualTo(expected);
      // Unknown count: the graph's first beam holds too few matches, the exact scan takes over.
      assertThat(ids(index.search(query, 10, hundredth::contains, -1))).isEqualTo(expected);
    }
    assertThat(recall / 20).isGreaterThanOrEqualTo(0.95);
  }

  @Test
  void anInterruptedThreadStillWritesAndSearchesTheGraph() {
    VectorIndex index = index(100);
    Map<String, float[]> vectors = new HashMap<>(data.vectors(300));
    index.putAll(vectors);
    float[] moved = data.next();
    Thread.currentThread().interrupt();
    try {
      index.put("moved", moved);
      List<Neighbor> found = index.search(moved, 1);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
      assertThat(found).extracting(Neighbor::id).containsExactly("moved");
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void rejectsBadVectorsAndArguments() {
    VectorIndex index = index(Integer.MAX_VALUE);
    float[] unit = data.next();
    float[] tooLong = new float[DIM + 1];
    tooLong[0] = 1;
    float[] notUnit = unit.clone();
    notUnit[0] += 0.5f;
    float[] nan = unit.clone();
    nan[3] = Float.NaN;

    assertThatThrownBy(() -> index.put("a", tooLong))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("33 dimensions, the index has 32");
    assertThatThrownBy(() -> index.put("a", notUnit))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unit length");
    assertThatThrownBy(() -> index.put("a", nan)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> index.put("a", null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> index.putAll(Map.of("b", unit, "a", tooLong)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> index.search(tooLong, 3)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> index.search(unit, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> index.search(unit, 3, id -> true, -2))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new VectorIndex(0, IndexSettings.defaults()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(index.size()).isZero();
    assertThat(index.contains("b")).isFalse();
  }

  @Test
  void settingsAreValidated() {
    IndexSettings defaults = IndexSettings.defaults();
    assertThatThrownBy(() -> defaults.withHnswThreshold(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new IndexSettings(10, 1, 100, 10, 100, 0, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new IndexSettings(10, 16, 100, 10, 100, -1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new IndexSettings(10, 16, 100, 10, 100, 0, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new IndexSettings(10, 16, 100, 10, 0, 0, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("efScaleFrom must be at least 1, was 0");
    IndexSettings beam = new IndexSettings(10, 16, 100, 64, 100_000, 0, 1);
    assertThat(beam.ef(10, 5_000)).isEqualTo(64);
    assertThat(beam.ef(10, 100_000)).isEqualTo(64);
    assertThat(beam.ef(10, 150_000)).isEqualTo(96);
    assertThat(beam.ef(10, 1_000_000)).isEqualTo(640);
    assertThat(beam.ef(1_000, 50_000)).isEqualTo(2_000);
    assertThat(beam.ef(Integer.MAX_VALUE, 10)).isEqualTo(Integer.MAX_VALUE);
  }
}
