package io.inmemory.engine.index;

import java.util.Map;

/**
 * Measures the heap a {@link VectorIndex} adds per vector: builds an index of clustered 384-d
 * vectors and reports the used heap after GC before and after. The index adopts the caller's
 * arrays (in the engine, the records' embeddings), so the vectors themselves are not part of the
 * difference. Not a test; run
 * with {@code java -Xmx4g -cp <engine test classpath> io.inmemory.engine.index.IndexHeapMain
 * [count]}.
 */
public final class IndexHeapMain {

  private IndexHeapMain() {}

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int dimension = 384;
    Map<String, float[]> vectors = new TestVectors(dimension, 100, 42).vectors(count);
    long before = usedAfterGc();
    VectorIndex index = new VectorIndex(dimension, IndexSettings.defaults());
    long start = System.nanoTime();
    index.putAll(vectors);
    long buildMillis = (System.nanoTime() - start) / 1_000_000;
    long after = usedAfterGc();
    long vectorBytes = 16L + 4L * dimension;
    double perVector = (double) (after - before) / count;
    System.out.printf("%,d vectors (%d-d), graph %s, build %,d ms%n", index.size(), dimension,
        index.usesGraph(), buildMillis);
    System.out.printf("index heap per vector: %.0f bytes beyond the vector (a float[%d] is %d"
        + " bytes more)%n", perVector, dimension, vectorBytes);
    // Keeps the caller's vectors reachable until here, so they are not counted as freed.
    System.out.printf("(caller holds %,d vectors)%n", vectors.size());
  }

  private static long usedAfterGc() throws InterruptedException {
    Runtime runtime = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(100);
      used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
    }
    return used;
  }
}
