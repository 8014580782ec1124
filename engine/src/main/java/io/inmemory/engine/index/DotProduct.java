package io.inmemory.engine.index;

/**
 * Dot product of {@code d} components of {@code a} from {@code aOffset} with the first {@code d}
 * of {@code b}. Implementations are stateless and thread-safe; {@link Vectors} picks one per JVM.
 */
interface DotProduct {

  float dot(float[] a, int aOffset, float[] b, int d);

  /** What computes the products, for logs and benchmark reports. */
  String description();
}
