package io.inmemory.engine.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Snapshots of a graph index: restored exactly, refused (never misused) when they do not fit. */
class GraphSnapshotTest {
  private static final int DIM = 32;
  private static final String EMBEDDER = "test:1";
  private static final IndexSettings SETTINGS = IndexSettings.defaults().withHnswThreshold(300);

  private final TestVectors data = new TestVectors(DIM, 8, 7);
  private Map<String, float[]> vectors;
  private VectorIndex index;

  @BeforeEach
  void buildGraph() {
    vectors = data.vectors(800);
    index = new VectorIndex(DIM, SETTINGS);
    index.putAll(vectors);
    assertThat(index.usesGraph()).isTrue();
  }

  @Test
  void restoresTheSameGraphWithoutBuilding() throws IOException {
    byte[] snapshot = write(index);

    VectorIndex restored = restore(snapshot, vectors);

    assertThat(restored.graphBuilds()).isZero();
    assertThat(restored.usesGraph()).isTrue();
    assertThat(restored.size()).isEqualTo(vectors.size());
    assertThat(restored.changedSinceSnapshot()).isFalse();
    for (float[] query : data.queries(20)) {
      assertThat(restored.search(query, 10)).isEqualTo(index.search(query, 10));
    }
    restored.put("new", data.next());
    assertThat(restored.changedSinceSnapshot()).isTrue();
    assertThat(TestVectors.ids(restored.search(vectors.values().iterator().next(), 1)))
        .isNotEmpty();
  }

  @Test
  void keepsDeletedNodesThatStillRouteSearches() throws IOException {
    List<String> ids = new ArrayList<>(vectors.keySet());
    for (int i = 0; i < 100; i++) {
      index.remove(ids.get(i));
      vectors.remove(ids.get(i));
    }
    for (int i = 100; i < 150; i++) {
      float[] replacement = data.next();
      index.put(ids.get(i), replacement);
      vectors.put(ids.get(i), replacement);
    }

    VectorIndex restored = restore(write(index), vectors);

    assertThat(restored.size()).isEqualTo(vectors.size());
    for (float[] query : data.queries(20)) {
      assertThat(restored.search(query, 10)).isEqualTo(index.search(query, 10));
    }
    restored.remove(ids.get(200));
    assertThat(restored.contains(ids.get(200))).isFalse();
  }

  @Test
  void refusesAStaleSnapshot() throws IOException {
    byte[] snapshot = write(index);
    String some = vectors.keySet().iterator().next();

    Map<String, float[]> added = new LinkedHashMap<>(vectors);
    added.put("another", data.next());
    Map<String, float[]> removed = new LinkedHashMap<>(vectors);
    removed.remove(some);
    Map<String, float[]> changed = new LinkedHashMap<>(vectors);
    float[] nudged = vectors.get(some).clone();
    nudged[3] = Math.nextUp(nudged[3]);
    changed.put(some, nudged);
    Map<String, float[]> renamed = new LinkedHashMap<>(vectors);
    renamed.put(some + "x", renamed.remove(some));

    for (Map<String, float[]> stale : List.of(added, removed, changed, renamed)) {
      assertThatThrownBy(() -> restore(snapshot, stale))
          .isInstanceOf(InvalidSnapshotException.class).hasMessageContaining("stale");
    }
  }

  @Test
  void refusesASnapshotOfAnotherEmbedderOrSettings() throws IOException {
    byte[] snapshot = write(index);

    assertThatThrownBy(() -> VectorIndex.restore(() -> new ByteArrayInputStream(snapshot),
        "other:1", DIM, SETTINGS, vectors))
        .isInstanceOf(InvalidSnapshotException.class).hasMessageContaining("other:1");
    IndexSettings otherM = new IndexSettings(300, 8, SETTINGS.efConstruction(),
        SETTINGS.efFloor(), SETTINGS.efScaleFrom(), SETTINGS.filterTestCost(), SETTINGS.graphCandidateCost());
    assertThatThrownBy(() -> VectorIndex.restore(() -> new ByteArrayInputStream(snapshot),
        EMBEDDER, DIM, otherM, vectors))
        .isInstanceOf(InvalidSnapshotException.class).hasMessageContaining("m, efConstruction");
  }

  @Test
  void refusesEveryDamagedOrTruncatedSnapshot() throws IOException {
    byte[] snapshot = write(index);
    // Flip one bit at positions spread over the header, the graph and the checksum.
    for (int i = 0; i < 60; i++) {
      int position = (int) ((long) i * (snapshot.length - 1) / 59);
      byte[] damaged = snapshot.clone();
      damaged[position] ^= (byte) (1 << (i % 8));
      assertThatThrownBy(() -> restore(damaged, vectors))
          .as("bit flipped at %d of %d", position, snapshot.length)
          .isInstanceOf(InvalidSnapshotException.class);
    }
    for (int length : new int[] {0, 5, 40, snapshot.length / 2, snapshot.length - 1}) {
      byte[] truncated = Arrays.copyOf(snapshot, length);
      assertThatThrownBy(() -> restore(truncated, vectors))
          .as("truncated to %d of %d", length, snapshot.length)
          .isInstanceOf(InvalidSnapshotException.class);
    }
    byte[] extended = Arrays.copyOf(snapshot, snapshot.length + 3);
    assertThatThrownBy(() -> restore(extended, vectors))
        .isInstanceOf(InvalidSnapshotException.class);
  }

  @Test
  void anExactIndexWritesNoSnapshot() throws IOException {
    VectorIndex small = new VectorIndex(DIM, SETTINGS);
    small.putAll(data.vectors(10));
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    assertThat(small.writeSnapshot(out, EMBEDDER)).isFalse();
    assertThat(out.size()).isZero();
    assertThat(small.changedSinceSnapshot()).isTrue();
    assertThat(small.hadGraph()).isFalse();
  }

  private static byte[] write(VectorIndex index) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(index.writeSnapshot(out, EMBEDDER)).isTrue();
    assertThat(index.changedSinceSnapshot()).isFalse();
    return out.toByteArray();
  }

  private static VectorIndex restore(byte[] snapshot, Map<String, float[]> vectors)
      throws IOException {
    return VectorIndex.restore(() -> new ByteArrayInputStream(snapshot), EMBEDDER, DIM, SETTINGS,
        vectors);
  }
}
