package io.inmemory.engine.index;

/**
 * The plain-Java dot product, used when the Vector API is not available. Four independent
 * accumulators let the CPU overlap the additions: about twice as fast as a plain loop on 384
 * dimensions (the JIT does not vectorize a float sum, whose rounding depends on the order);
 * eight measured no faster.
 */
enum ScalarDotProduct implements DotProduct {
  INSTANCE;

  @Override
  public float dot(float[] a, int aOffset, float[] b, int d) {
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    int i = 0;
    for (; i < d - 3; i += 4) {
      s0 += a[aOffset + i] * b[i];
      s1 += a[aOffset + i + 1] * b[i + 1];
      s2 += a[aOffset + i + 2] * b[i + 2];
      s3 += a[aOffset + i + 3] * b[i + 3];
    }
    for (; i < d; i++) {
      s0 += a[aOffset + i] * b[i];
    }
    return (s0 + s1) + (s2 + s3);
  }

  @Override
  public String description() {
    return "scalar Java";
  }
}
