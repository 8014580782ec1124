package io.inmemory.engine.index;

/**
 * The child JVM of {@link DotProductTest#c2NeverInlinesTheVectorApiKernelIntoItsCallers}: builds
 * an HNSW graph and searches it until C2 has compiled hnswlib's search and insert loops, whose
 * inlining decisions the parent reads from {@code -XX:+PrintInlining}.
 */
public final class KernelInliningProbe {

  private KernelInliningProbe() {}

  public static void main(String[] args) {
    int dimension = 384;
    TestVectors vectors = new TestVectors(dimension, 20, 7);
    // A threshold of 1 puts every vector into the graph from the first insert.
    VectorIndex index = new VectorIndex(dimension, IndexSettings.defaults().withHnswThreshold(1));
    index.putAll(vectors.vectors(Integer.parseInt(args[0])));
    for (int i = 0; i < Integer.parseInt(args[1]); i++) {
      index.search(vectors.next(), 10);
    }
    System.out.println("probe done with " + VectorIndex.dotProduct());
  }
}
