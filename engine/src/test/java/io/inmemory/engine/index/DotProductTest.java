package io.inmemory.engine.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  /**
   * The slow mode of issue 11: C2 inlined the kernel into hnswlib's loops, ran out of its node
   * budget inside the copy and left vector loads as calls, whose results are allocated objects.
   * The kernel must stay a unit C2 compiles alone: at every hot call site, in a real JVM running
   * the graph's inserts and searches, C2 declines to inline it.
   */
  @Test
  void c2NeverInlinesTheVectorApiKernelIntoItsCallers() throws Exception {
    List<String> decisions = kernelInliningDecisions();
    assertThat(decisions).as("C2's decisions on the kernel at hot call sites")
        .anyMatch(line -> line.endsWith("hot method too big"))
        .noneMatch(line -> line.matches(".*\\binline\\b.*"));
    Matcher size = Pattern.compile("::dot \\((\\d+) bytes\\)").matcher(decisions.get(0));
    assertThat(size.find()).isTrue();
    assertThat(Integer.parseInt(size.group(1))).as("bytes of bytecode")
        .isGreaterThan(SimdDotProduct.C2_HOT_INLINE_LIMIT);
  }

  /**
   * The lines of {@code -XX:+PrintInlining} about {@link SimdDotProduct#dot} from a child JVM
   * that builds a graph of 500 vectors and searches it 1,000 times, compiling synchronously
   * ({@code -Xbatch}) so that C2 has decided on every hot caller when it exits.
   */
  private static List<String> kernelInliningDecisions() throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-Xmx256m", "--add-modules", "jdk.incubator.vector",
        "-Xbatch", "-XX:+UnlockDiagnosticVMOptions", "-XX:+PrintInlining",
        "-cp", System.getProperty("java.class.path"), KernelInliningProbe.class.getName(),
        "500", "1000")
        .redirectErrorStream(true).start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(child.exitValue()).as(output).isZero();
    assertThat(output).contains("probe done with Vector API");
    Pattern kernel = Pattern.compile(Pattern.quote(SimdDotProduct.class.getName() + "::dot ("));
    return output.lines().filter(line -> kernel.matcher(line).find()).map(String::strip).toList();
  }

  private static float[] randomArray(Random random, int length) {
    float[] array = new float[length];
    for (int i = 0; i < length; i++) {
      array[i] = random.nextFloat() * 2 - 1;
    }
    return array;
  }
}
