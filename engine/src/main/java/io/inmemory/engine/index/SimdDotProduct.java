package io.inmemory.engine.index;

import static jdk.incubator.vector.FloatVector.fromArray;

import java.util.Optional;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The dot product on the JDK's Vector API ({@code jdk.incubator.vector}), with the widest SIMD
 * registers the CPU has and eight accumulators. Only loaded (by {@link Vectors}) when that module
 * is in the boot layer, i.e. the JVM was started with {@code --add-modules
 * jdk.incubator.vector}; nothing else may refer to this class. Stateless and thread-safe.
 *
 * <p><b>Never inlined, on purpose.</b> The Vector API is fast only where HotSpot's C2 compiles a
 * vector's whole life — load, multiply-add, reduction — in one unit; a vector that crosses a call
 * C2 did not inline becomes an object, allocated on every step (4 to 6 times slower than the
 * intrinsic, 2 to 3 times slower than plain Java). While {@link #dot} was small enough to inline,
 * C2 copied it into hnswlib's search and insert loops, and in some JVMs those callers ran past
 * C2's node budget for inlining ({@code NodeCountInliningCutoff}) in the middle of a copy, which
 * then called its loads instead of inlining them: that JVM searched in the slow mode until it
 * exited. Whether the budget ran out there depended on which other methods happened to be compiled
 * first, so it varied from run to run (issue 11). {@link #dot} is therefore kept larger than
 * {@link #C2_HOT_INLINE_LIMIT} bytes of bytecode, the most C2 inlines at a hot call site: C2
 * always compiles it as a unit of its own, which has room for every intrinsic, and calls it. The
 * call costs about a tenth of a graph search's CPU against the inlined copy at its best (median of
 * ten runs, 2 to 17%, both kernels in one JVM); the slow mode cost 4 to 6 times. It calls nothing
 * but Vector API methods, which the JDK forces inline. The eight accumulators, which make it that
 * large, cost nothing against four (measured, both called).
 *
 * <p>Measured on the build machine (AVX-512, 384 dimensions): 32 ns per product with the vectors
 * in cache vs 120 ns for {@link ScalarDotProduct}, 165 vs 374 ns when they come from memory.
 * Sums are rounded in another order than the scalar loop's, so results differ from it in the
 * last bits.
 */
final class SimdDotProduct implements DotProduct {

  /**
   * The largest method, in bytes of bytecode, that C2 inlines at a frequently executed call site
   * (HotSpot's {@code FreqInlineSize} on x86-64 and AArch64).
   */
  static final int C2_HOT_INLINE_LIMIT = 325;

  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();

  /** The instance, or empty when the CPU has no SIMD registers worth using. */
  static Optional<DotProduct> create() {
    // Below 128 bits the Vector API falls back to Java code far slower than the scalar loop.
    return SPECIES.vectorBitSize() >= 128
        ? Optional.of(new SimdDotProduct()) : Optional.empty();
  }

  private SimdDotProduct() {}

  @Override
  public float dot(float[] a, int aOffset, float[] b, int d) {
    FloatVector acc0 = FloatVector.zero(SPECIES);
    FloatVector acc1 = FloatVector.zero(SPECIES);
    FloatVector acc2 = FloatVector.zero(SPECIES);
    FloatVector acc3 = FloatVector.zero(SPECIES);
    FloatVector acc4 = FloatVector.zero(SPECIES);
    FloatVector acc5 = FloatVector.zero(SPECIES);
    FloatVector acc6 = FloatVector.zero(SPECIES);
    FloatVector acc7 = FloatVector.zero(SPECIES);
    int i = 0;
    for (; i <= d - 8 * LANES; i += 8 * LANES) {
      int j = aOffset + i;
      acc0 = fromArray(SPECIES, a, j).fma(fromArray(SPECIES, b, i), acc0);
      acc1 = fromArray(SPECIES, a, j + LANES).fma(fromArray(SPECIES, b, i + LANES), acc1);
      acc2 = fromArray(SPECIES, a, j + 2 * LANES).fma(fromArray(SPECIES, b, i + 2 * LANES), acc2);
      acc3 = fromArray(SPECIES, a, j + 3 * LANES).fma(fromArray(SPECIES, b, i + 3 * LANES), acc3);
      acc4 = fromArray(SPECIES, a, j + 4 * LANES).fma(fromArray(SPECIES, b, i + 4 * LANES), acc4);
      acc5 = fromArray(SPECIES, a, j + 5 * LANES).fma(fromArray(SPECIES, b, i + 5 * LANES), acc5);
      acc6 = fromArray(SPECIES, a, j + 6 * LANES).fma(fromArray(SPECIES, b, i + 6 * LANES), acc6);
      acc7 = fromArray(SPECIES, a, j + 7 * LANES).fma(fromArray(SPECIES, b, i + 7 * LANES), acc7);
    }
    for (; i <= d - LANES; i += LANES) {
      acc0 = fromArray(SPECIES, a, aOffset + i).fma(fromArray(SPECIES, b, i), acc0);
    }
    float sum = acc0.add(acc1).add(acc2.add(acc3)).add(acc4.add(acc5).add(acc6.add(acc7)))
        .reduceLanes(VectorOperators.ADD);
    for (; i < d; i++) {
      sum += a[aOffset + i] * b[i];
    }
    return sum;
  }

  @Override
  public String description() {
    return "Vector API, " + SPECIES.vectorBitSize() + "-bit";
  }
}
