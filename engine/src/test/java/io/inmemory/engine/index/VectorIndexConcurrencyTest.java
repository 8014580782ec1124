package io.inmemory.engine.index;

import static io.inmemory.engine.index.TestVectors.bruteForce;
import static io.inmemory.engine.index.TestVectors.ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Many more threads than processors mixing writes and searches on one index while it crosses to
 * HNSW and rebuilds its graph: hnswlib alone deadlocks under such load. The timeout only detects
 * a deadlock; it is far above the normal running time.
 */
class VectorIndexConcurrencyTest {

  private static final int DIM = 32;
  private static final int THREADS = 32;
  private static final int IDS_PER_THREAD = 40;
  private static final int OPS_PER_THREAD = 1_500;

  @Test
  void manyThreadsLeaveAConsistentIndex() {
    assertThat(THREADS).isGreaterThan(4 * Runtime.getRuntime().availableProcessors());
    VectorIndex index = new VectorIndex(DIM, IndexSettings.defaults().withHnswThreshold(300));
    TestVectors data = new TestVectors(DIM, 20, 11);
    // Below the threshold at the start: the threads' writes make the index cross it.
    Map<String, float[]> base = data.vectors(250);
    index.putAll(base);
    List<float[]> queries = data.queries(THREADS);

    List<Map<String, float[]>> finals =
        assertTimeoutPreemptively(Duration.ofMinutes(3), () -> run(index, queries));

    Map<String, float[]> expected = new HashMap<>(base);
    finals.forEach(expected::putAll);
    assertThat(index.usesGraph()).isTrue();
    assertThat(index.size()).isEqualTo(expected.size());
    for (int t = 0; t < THREADS; t++) {
      for (int i = 0; i < IDS_PER_THREAD; i++) {
        String id = t + "-" + i;
        assertThat(index.contains(id)).isEqualTo(expected.containsKey(id));
      }
    }
    int foundFirst = 0;
    for (Map.Entry<String, float[]> e : expected.entrySet()) {
      String id = e.getKey();
      List<Neighbor> own = index.search(e.getValue(), 1, id::equals, 1);
      assertThat(own).extracting(Neighbor::id).containsExactly(id);
      // A unit vector has dot product 1 only with itself: the stored vector is the last put.
      assertThat(own.get(0).score()).isCloseTo(1f, within(1e-5f));
      if (index.search(e.getValue(), 1).get(0).id().equals(id)) {
        foundFirst++;
      }
    }
    assertThat(foundFirst).isGreaterThanOrEqualTo((int) (0.98 * expected.size()));
  }

  private static List<Map<String, float[]>> run(VectorIndex index, List<float[]> queries)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Map<String, float[]>>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          start.await();
          return work(index, thread, queries.get(thread));
        }));
      }
      start.countDown();
      List<Map<String, float[]>> finals = new ArrayList<>();
      for (Future<Map<String, float[]>> future : futures) {
        finals.add(future.get());
      }
      return finals;
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Random writes on this thread's own ids, checked against a private copy of their state;
   * searches filtered to those ids must see exactly that state, whatever the others do.
   */
  private static Map<String, float[]> work(VectorIndex index, int thread, float[] query) {
    TestVectors data = new TestVectors(DIM, 20, 1000 + thread);
    Random random = data.random();
    Map<String, float[]> mine = new HashMap<>();
    for (int op = 0; op < OPS_PER_THREAD; op++) {
      String id = thread + "-" + random.nextInt(IDS_PER_THREAD);
      int choice = random.nextInt(10);
      if (choice < 4) {
        float[] vector = data.next();
        index.put(id, vector);
        mine.put(id, vector);
      } else if (choice < 6) {
        assertThat(index.remove(id)).isEqualTo(mine.remove(id) != null);
      } else if (choice < 8) {
        List<Neighbor> found = index.search(query, 10, mine::containsKey, mine.size());
        assertThat(ids(found)).isEqualTo(bruteForce(mine, query, 10, id2 -> true));
      } else {
        List<Neighbor> found = index.search(data.next(), 10);
        assertThat(found).hasSize(10).doesNotHaveDuplicates();
        assertThat(found).isSortedAccordingTo(TopK.BEST_FIRST);
      }
    }
    return mine;
  }
}
