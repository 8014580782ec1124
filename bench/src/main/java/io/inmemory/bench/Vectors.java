package io.inmemory.bench;

import java.util.Random;

/**
 * Synthetic unit vectors around random cluster centres, like real embeddings of varied text (and
 * unlike uniformly random vectors, a known worst case for graph indexes). Not thread-safe.
 */
final class Vectors {
  private final int dim;
  private final double spread;
  private final Random random;
  private final float[][] centres;

  /**
   * @param clusters how many centres
   * @param spread the length of the Gaussian noise added to a centre, before normalizing
   */
  Vectors(int dim, int clusters, double spread, Random random) {
    this.dim = dim;
    this.spread = spread;
    this.random = random;
    this.centres = new float[clusters][];
    for (int c = 0; c < clusters; c++) {
      centres[c] = around(new float[dim], 1);
    }
  }

  /** A vector near a random centre. */
  float[] next() {
    return around(centres[random.nextInt(centres.length)], spread);
  }

  /** {@code count} vectors near random centres. */
  float[][] next(int count) {
    float[][] vectors = new float[count][];
    for (int i = 0; i < count; i++) {
      vectors[i] = next();
    }
    return vectors;
  }

  /** A uniformly random unit vector: centre zero, unit spread. */
  float[] uniform() {
    return around(new float[dim], 1);
  }

  private float[] around(float[] centre, double length) {
    float[] vector = new float[dim];
    double scale = length / Math.sqrt(dim);
    double norm = 0;
    for (int d = 0; d < dim; d++) {
      vector[d] = (float) (centre[d] + random.nextGaussian() * scale);
      norm += vector[d] * vector[d];
    }
    float inverse = (float) (1 / Math.sqrt(norm));
    for (int d = 0; d < dim; d++) {
      vector[d] *= inverse;
    }
    return vector;
  }
}
