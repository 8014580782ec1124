package io.inmemory.bench;

import java.util.Random;

/** Synthetic unit vectors: clustered (like real embeddings) or uniformly random (a worst case). */
final class Vectors {
  private Vectors() {}

  /** {@code n} unit vectors around {@code clusters} random centres, with Gaussian spread. */
  static float[][] clustered(int n, int dim, int clusters, long seed) {
    Random centresRandom = new Random(1234);
    float[][] centres = new float[clusters][];
    for (int c = 0; c < clusters; c++) {
      centres[c] = randomUnit(dim, centresRandom);
    }
    Random random = new Random(seed);
    float[][] vectors = new float[n][dim];
    for (int i = 0; i < n; i++) {
      float[] centre = centres[random.nextInt(clusters)];
      for (int d = 0; d < dim; d++) {
        vectors[i][d] = centre[d] + (float) (random.nextGaussian() * 0.35 / Math.sqrt(dim));
      }
      normalize(vectors[i]);
    }
    return vectors;
  }

  static float[] randomUnit(int dim, Random random) {
    float[] vector = new float[dim];
    for (int d = 0; d < dim; d++) {
      vector[d] = (float) random.nextGaussian();
    }
    normalize(vector);
    return vector;
  }

  static void normalize(float[] vector) {
    double norm = 0;
    for (float component : vector) {
      norm += component * component;
    }
    float scale = (float) (1 / Math.sqrt(norm));
    for (int d = 0; d < vector.length; d++) {
      vector[d] *= scale;
    }
  }
}
