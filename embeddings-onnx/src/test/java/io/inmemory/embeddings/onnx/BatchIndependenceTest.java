package io.inmemory.embeddings.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * With the default settings a text's vector does not depend on the texts embedded with it, on
 * their order, nor on how many threads made the model runs: every component within
 * {@link #TOLERANCE} of the vector of the text embedded alone (measured: identical).
 */
class BatchIndependenceTest {
  /** Per component, on unit vectors: float rounding, far below anything retrieval can see. */
  private static final float TOLERANCE = 1e-6f;
  private static final String[] WHO = {"Caroline", "Melanie", "The user", "Bob", "My sister"};
  private static final String[] WHAT = {
    "went hiking in the mountains last weekend", "is painting a sunrise over the lake",
    "adopted a dog named Oscar", "has a job interview at the museum on Friday",
    "thinks the new LGBTQ support group was really welcoming",
    "is reading a book about transgender history", "ran a charity race for mental health",
  };

  private static OnnxEmbedder alone;
  private static OnnxEmbedder parallel;
  private static List<String> texts;
  private static List<float[]> expected;

  @BeforeAll
  static void embedEachTextAlone() {
    alone = OnnxEmbedder.builder().threads(1).build();
    // More threads than this machine may have cores, so that helper threads always run.
    parallel = OnnxEmbedder.builder().threads(4).build();
    texts = memoryLikeTexts(new Random(42), 48);
    texts.add("");
    texts.add("pizza ".repeat(400)); // two windows, possibly run by two threads
    expected = new ArrayList<>();
    for (String text : texts) {
      expected.add(alone.embedDocuments(List.of(text)).get(0));
    }
  }

  @AfterAll
  static void close() {
    alone.close();
    parallel.close();
  }

  @Test
  void theDefaultsEmbedEveryTextOfABatchAsIfAlone() {
    try (OnnxEmbedder defaults = OnnxEmbedder.builder().build()) {
      assertSameVectors(defaults.embedDocuments(texts), expected);
    }
  }

  static Stream<String> floatModels() {
    return OnnxEmbedder.models().stream().filter(model -> !model.endsWith("-q"));
  }

  /**
   * The float32 models batch by default, yet their padding is masked: a batched vector is the
   * lone one (measured: identical), where batching moves a -q model's components by up to 0.04.
   */
  @ParameterizedTest
  @MethodSource("floatModels")
  void aFloatModelBatchesByDefaultAndStillEmbedsEveryTextAsIfAlone(String model) {
    try (OnnxEmbedder one = OnnxEmbedder.builder().model(model).threads(1).batchSize(1).build();
        OnnxEmbedder defaults = OnnxEmbedder.builder().model(model).threads(4).build()) {
      assertThat(defaults.batchSize()).isGreaterThan(1);
      List<float[]> wanted = new ArrayList<>();
      for (String text : texts) {
        wanted.add(one.embedDocuments(List.of(text)).get(0));
      }
      assertSameVectors(defaults.embedDocuments(texts), wanted);
    }
  }

  @Test
  void neitherCompanionsNorTheirOrderNorTheThreadCountChangeAVector() {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      order.add(i);
    }
    Random random = new Random(7);
    for (int round = 0; round < 3; round++) {
      Collections.shuffle(order, random);
      List<String> batch = order.subList(0, 10 + random.nextInt(texts.size() - 10)).stream()
          .map(texts::get).toList();
      List<float[]> wanted = order.subList(0, batch.size()).stream().map(expected::get).toList();
      assertSameVectors(parallel.embedDocuments(batch), wanted);
      assertSameVectors(alone.embedDocuments(batch), wanted);
    }
  }

  @Test
  void concurrentCallsShareTheHelperThreadsAndStillGetEveryVector() throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(3);
    try {
      List<Future<List<float[]>>> calls = new ArrayList<>();
      for (int call = 0; call < 6; call++) {
        calls.add(callers.submit(() -> parallel.embedDocuments(texts)));
      }
      for (Future<List<float[]>> call : calls) {
        assertSameVectors(call.get(), expected);
      }
    } finally {
      callers.shutdownNow();
    }
  }

  private static void assertSameVectors(List<float[]> actual, List<float[]> wanted) {
    assertThat(actual).hasSameSizeAs(wanted);
    for (int i = 0; i < wanted.size(); i++) {
      float[] a = actual.get(i);
      float[] b = wanted.get(i);
      assertThat(a).hasSameSizeAs(b);
      float worst = 0;
      for (int d = 0; d < a.length; d++) {
        worst = Math.max(worst, Math.abs(a[d] - b[d]));
      }
      assertThat(worst).as("largest difference of vector %d", i).isLessThanOrEqualTo(TOLERANCE);
    }
  }

  private static List<String> memoryLikeTexts(Random random, int count) {
    List<String> result = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      StringBuilder text = new StringBuilder();
      for (int s = 0, sentences = 1 + random.nextInt(3); s < sentences; s++) {
        text.append(WHO[random.nextInt(WHO.length)]).append(' ')
            .append(WHAT[random.nextInt(WHAT.length)]).append(". ");
      }
      result.add(text.toString().trim());
    }
    return result;
  }
}
