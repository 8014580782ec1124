package io.inmemory.engine.index;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Dot product and vector checks shared by the exact scan and the HNSW distance. */
final class Vectors {

  /** Largest accepted deviation of a stored vector's squared length from 1. */
  private static final double UNIT_TOLERANCE = 1e-3;

  private static final String VECTOR_MODULE = "jdk.incubator.vector";

  /** See {@link #dot(float[], int, float[], int)}. */
  private static final DotProduct DOT = select(
      ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent(),
      "io.inmemory.engine.index.SimdDotProduct");

  private Vectors() {}

  /**
   * Dot product of {@code d} components of {@code a} from {@code aOffset} with the first {@code d}
   * of {@code b}: on the JDK's Vector API when the JVM runs with {@code --add-modules
   * jdk.incubator.vector} (2 to 3.5 times faster), else in plain Java.
   */
  static float dot(float[] a, int aOffset, float[] b, int d) {
    return DOT.dot(a, aOffset, b, d);
  }

  /** What computes the dot products in this JVM, for logs and benchmark reports. */
  static String dotProduct() {
    return DOT.description();
  }

  /**
   * The SIMD implementation named {@code simdClass} when the Vector API module is present and
   * the CPU has SIMD registers, else the scalar one; says which, once, in the log (at DEBUG, unless
   * the Vector API is there but unusable). The class is loaded by name because naming it in code
   * would fail to link without the module.
   */
  static DotProduct select(boolean vectorModulePresent, String simdClass) {
    Logger log = LoggerFactory.getLogger(Vectors.class);
    if (!vectorModulePresent) {
      // DEBUG, as the choice of the Vector API is: plain Java is a supported way to run, and an
      // INFO line here read as a complaint on every first run
      log.debug("Vector search computes dot products in plain Java (the JVM runs without "
          + "--add-modules {})", VECTOR_MODULE);
      return ScalarDotProduct.INSTANCE;
    }
    try {
      Optional<?> simd = (Optional<?>) Class.forName(simdClass).getDeclaredMethod("create")
          .invoke(null);
      if (simd.isPresent()) {
        DotProduct chosen = (DotProduct) simd.get();
        log.debug("Vector search computes dot products with the {}", chosen.description());
        return chosen;
      }
      log.info("Vector search computes dot products in plain Java: the Vector API reports no "
          + "SIMD registers on this CPU");
    } catch (ReflectiveOperationException | LinkageError e) {
      log.warn("Vector search computes dot products in plain Java: the Vector API could not be "
          + "used ({})", e.toString());
    }
    return ScalarDotProduct.INSTANCE;
  }

  static float dot(float[] a, float[] b) {
    return dot(a, 0, b, b.length);
  }

  /** Checks a query: right dimension, finite components. */
  static void checkQuery(float[] vector, int dimension) {
    if (vector == null) {
      throw new IllegalArgumentException("vector must not be null");
    }
    if (vector.length != dimension) {
      throw new IllegalArgumentException(
          "vector has " + vector.length + " dimensions, the index has " + dimension);
    }
    for (float x : vector) {
      if (!Float.isFinite(x)) {
        throw new IllegalArgumentException("vector has a non-finite component: " + x);
      }
    }
  }

  /** Checks a vector to be stored: a valid query that also has unit length. */
  static void checkStored(float[] vector, int dimension) {
    checkQuery(vector, dimension);
    double squaredLength = 0;
    for (float x : vector) {
      squaredLength += (double) x * x;
    }
    if (Math.abs(squaredLength - 1) > UNIT_TOLERANCE) {
      throw new IllegalArgumentException(
          "vector must have unit length, has " + Math.sqrt(squaredLength));
    }
  }
}
