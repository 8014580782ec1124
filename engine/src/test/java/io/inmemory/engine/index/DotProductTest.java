package io.inmemory.engine.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DotProductTest {

  @Test
  void testsRunOnTheVectorApiAsTheBuildConfiguresThem() {
    assertThat(ModuleLayer.boot().findModule("jdk.incubator.vector")).isPresent();
    assertThat(VectorIndex.dotProduct()).startsWith("Vector API, ").endsWith("-bit");
  }

  @Test
  void simdAndScalarAgreeForEveryLengthAndOffset() {
    DotProduct simd = Vectors.select(true, SimdDotProduct.class.getName());
    assertThat(simd).isInstanceOf(SimdDotProduct.class);
    Random random = new Random(42);
    for (int d = 0; d <= 200; d++) {
      int offset = random.nextInt(40);
      float[] a = randomArray(random, offset + d + random.nextInt(5));
      float[] b = randomArray(random, d);
      double exact = 0;
      for (int i = 0; i < d; i++) {
        exact += (double) a[offset + i] * b[i];
      }
      assertThat((double) ScalarDotProduct.INSTANCE.dot(a, offset, b, d)).as("scalar, d=%d", d)
          .isCloseTo(exact, within(1e-4));
      assertThat((double) simd.dot(a, offset, b, d)).as("simd, d=%d", d)
          .isCloseTo(exact, within(1e-4));
    }
  }

  @Test
  void simdReadsNoComponentOutsideTheGivenRange() {
    DotProduct simd = Vectors.select(true, SimdDotProduct.class.getName());
    float[] a = new float[400];
    float[] b = new float[384];
    Arrays.fill(a, 1);
    Arrays.fill(b, 1);
    a[7] = Float.NaN;
    a[7 + 1 + 384] = Float.NaN;
    assertThat(simd.dot(a, 8, b, 384)).isEqualTo(384f);
    assertThat(simd.dot(a, 8, b, 383)).isEqualTo(383f);
  }

  @Test
  void withoutTheModuleOrWithAnUnusableClassTheScalarLoopIsChosen() {
    assertThat(Vectors.select(false, SimdDotProduct.class.getName()))
        .isSameAs(ScalarDotProduct.INSTANCE);
    assertThat(Vectors.select(true, "io.inmemory.engine.index.NoSuchDotProduct"))
        .isSameAs(ScalarDotProduct.INSTANCE);
    assertThat(ScalarDotProduct.INSTANCE.description()).isEqualTo("scalar Java");
  }

  private static float[] randomArray(Random random, int length) {
    float[] array = new float[length];
    for (int i = 0; i < length; i++) {
      array[i] = random.nextFloat() * 2 - 1;
    }
    return array;
  }
}
