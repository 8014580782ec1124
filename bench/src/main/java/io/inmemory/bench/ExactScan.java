package io.inmemory.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Exact nearest neighbours by a plain scan of every vector in a {@code float[][]}: the floor any
 * index must beat, and the ground truth of recall. The dot product runs four independent sums so
 * that the scan is as fast as straightforward Java gets, not a strawman. Not thread-safe for
 * writes; {@link #search} may run concurrently when nothing is added.
 */
final class ExactScan implements Peer {
  static final String NAME = "exact scan";

  private String[] ids = new String[16];
  private float[][] vectors = new float[16][];
  private int size;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void addAll(List<String> ids, List<float[]> vectors) {
    for (int i = 0; i < ids.size(); i++) {
      add(ids.get(i), vectors.get(i));
    }
  }

  @Override
  public void add(String id, float[] vector) {
    if (size == ids.length) {
      ids = Arrays.copyOf(ids, size * 2);
      vectors = Arrays.copyOf(vectors, size * 2);
    }
    ids[size] = id;
    vectors[size++] = vector.clone();
  }

  @Override
  public List<String> search(float[] query, int k) {
    int[] best = topK(vectors, size, query, k);
    List<String> found = new ArrayList<>(best.length);
    for (int index : best) {
      found.add(ids[index]);
    }
    return found;
  }

  /**
   * The positions of the {@code k} vectors among the first {@code count} of {@code vectors} with
   * the highest dot product with {@code query}, best first (ties: lower position first).
   */
  static int[] topK(float[][] vectors, int count, float[] query, int k) {
    int kept = Math.min(k, count);
    int[] positions = new int[kept];
    float[] scores = new float[kept];
    if (kept == 0) {
      return positions;
    }
    int filled = 0;
    for (int i = 0; i < count; i++) {
      float score = dot(vectors[i], query);
      if (filled < kept || score > scores[filled - 1]) {
        // Insertion into the sorted arrays; k is small, so this beats a heap.
        int at = filled < kept ? filled++ : filled - 1;
        while (at > 0 && scores[at - 1] < score) {
          scores[at] = scores[at - 1];
          positions[at] = positions[at - 1];
          at--;
        }
        scores[at] = score;
        positions[at] = i;
      }
    }
    return positions;
  }

  static float dot(float[] a, float[] b) {
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    int i = 0;
    for (int end = a.length - 3; i < end; i += 4) {
      s0 += a[i] * b[i];
      s1 += a[i + 1] * b[i + 1];
      s2 += a[i + 2] * b[i + 2];
      s3 += a[i + 3] * b[i + 3];
    }
    for (; i < a.length; i++) {
      s0 += a[i] * b[i];
    }
    return (s0 + s1) + (s2 + s3);
  }
}
