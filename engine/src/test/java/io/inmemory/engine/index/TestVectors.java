package io.inmemory.engine.index;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/** Seeded clustered unit vectors and a brute-force reference for the index tests. */
final class TestVectors {

  private final int dimension;
  private final Random random;
  private final float[][] centres;

  TestVectors(int dimension, int clusters, long seed) {
    this.dimension = dimension;
    this.random = new Random(seed);
    this.centres = new float[clusters][];
    for (int c = 0; c < clusters; c++) {
      centres[c] = around(new float[dimension], 1);
    }
  }

  /** A unit vector near a random cluster centre. */
  float[] next() {
    return around(centres[random.nextInt(centres.length)], 0.75);
  }

  /** {@code count} vectors under fresh UUID ids, in insertion order. */
  Map<String, float[]> vectors(int count) {
    Map<String, float[]> vectors = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      vectors.put(new UUID(random.nextLong(), random.nextLong()).toString(), next());
    }
    return vectors;
  }

  List<float[]> queries(int count) {
    List<float[]> queries = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      queries.add(next());
    }
    return queries;
  }

  Random random() {
    return random;
  }

  private float[] around(float[] centre, double spread) {
    float[] v = new float[dimension];
    double scale = spread / Math.sqrt(dimension);
    double norm = 0;
    for (int i = 0; i < dimension; i++) {
      v[i] = (float) (centre[i] + random.nextGaussian() * scale);
      norm += (double) v[i] * v[i];
    }
    for (int i = 0; i < dimension; i++) {
      v[i] = (float) (v[i] / Math.sqrt(norm));
    }
    return v;
  }

  /** The true top k of {@code vectors} passing {@code filter}, by a plain double-precision loop. */
  static List<String> bruteForce(
      Map<String, float[]> vectors, float[] query, int k, Predicate<String> filter) {
    record Scored(String id, double score) {}
    return vectors.entrySet().stream()
        .filter(e -> filter.test(e.getKey()))
        .map(e -> new Scored(e.getKey(), dot(e.getValue(), query)))
        .sorted(Comparator.comparingDouble(Scored::score).reversed())
        .limit(k)
        .map(Scored::id)
        .toList();
  }

  static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (double) a[i] * b[i];
    }
    return sum;
  }

  static List<String> ids(List<Neighbor> neighbors) {
    return neighbors.stream().map(Neighbor::id).toList();
  }

  /** Fraction of {@code truth} found in {@code found}. */
  static double recall(List<String> truth, List<Neighbor> found) {
    Set<String> expected = new HashSet<>(truth);
    return (double) found.stream().filter(n -> expected.contains(n.id())).count() / truth.size();
  }
}
