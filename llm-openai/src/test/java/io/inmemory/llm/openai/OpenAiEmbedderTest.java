package io.inmemory.llm.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.inmemory.ConfigurationException;
import io.inmemory.InMemoryConfig;
import io.inmemory.TransportException;
import io.inmemory.engine.spi.Embedder;
import io.inmemory.engine.spi.EmbedderProvider;
import io.inmemory.llm.openai.testing.ScriptedOpenAi;
import io.inmemory.llm.openai.testing.ScriptedOpenAi.Answer;
import io.inmemory.llm.openai.testing.ScriptedOpenAi.Request;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpenAiEmbedderTest {
  private final ScriptedOpenAi server = ScriptedOpenAi.start();

  @AfterEach
  void stop() {
    server.close();
  }

  /** A vector that differs from text to text and is not of unit length. */
  private static float[] raw(String text) {
    return new float[] {text.length(), Math.floorMod(text.hashCode(), 97) + 1, 3};
  }

  private static float[] unit(float[] vector) {
    double norm = Math.sqrt(vector[0] * vector[0] + vector[1] * vector[1] + vector[2] * vector[2]);
    return new float[] {(float) (vector[0] / norm), (float) (vector[1] / norm),
        (float) (vector[2] / norm)};
  }

  private static EmbedderProvider provider() {
    return ServiceLoader.load(EmbedderProvider.class).stream().map(ServiceLoader.Provider::get)
        .filter(provider -> provider.name().equals("openai")).findFirst().orElseThrow();
  }

  private InMemoryConfig config(Map<String, String> overrides) {
    InMemoryConfig.Builder builder = InMemoryConfig.builder().isolated()
        .set(EmbeddingSettings.BASE_URL.name(), server.baseUrl())
        .set(EmbeddingSettings.MODEL.name(), "scripted-embed")
        .set(EmbeddingSettings.DIMENSIONS.name(), "3")
        .set(EmbeddingSettings.REQUEST_TIMEOUT_MS.name(), "5000")
        .set(EmbeddingSettings.MAX_RETRIES.name(), "2");
    overrides.forEach(builder::set);
    return builder.build();
  }

  private Embedder embedder(Map<String, String> overrides) {
    return provider().create(config(overrides));
  }

  @Test
  void batchesOf64InInputOrderAndUnitLength() {
    server.otherwiseEmbeddings(Answer.vectors(OpenAiEmbedderTest::raw));
    List<String> texts = IntStream.range(0, 130).mapToObj(i -> "text number " + i).toList();

    List<float[]> vectors = embedder(Map.of()).embedDocuments(texts);

    assertThat(server.embeddingRequests()).extracting(request -> request.json().path("input").size())
        .containsExactlyInAnyOrder(64, 64, 2);
    assertThat(vectors).hasSize(130);
    for (int i = 0; i < texts.size(); i++) {
      assertThat(vectors.get(i)).containsExactly(unit(raw(texts.get(i))), within(1e-6f));
    }
    assertThat(server.embeddingRequests()).allSatisfy(request -> {
      assertThat(request.json().path("model").asText()).isEqualTo("scripted-embed");
      assertThat(request.json().path("encoding_format").asText()).isEqualTo("float");
      assertThat(request.json().path("dimensions").asInt()).isEqualTo(3);
    });
    assertThat(server.embeddingRequests().stream()
        .flatMap(request -> StreamSupport.stream(request.json().path("input").spliterator(), false))
        .map(JsonNode::asText)).containsExactlyInAnyOrderElementsOf(texts);
  }

  @Test
  void batchesAreSentConcurrentlyUpToTheLimit() {
    CyclicBarrier pairs = new CyclicBarrier(2);
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    Function<Request, Answer> vectors = Answer.vectors(OpenAiEmbedderTest::raw);
    server.otherwiseEmbeddings(request -> {
      most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      try {
        // passes only when two requests are in flight at once; then stays a while, during
        // which a third request would arrive if more than two were allowed
        pairs.await(3, TimeUnit.SECONDS);
        Thread.sleep(300);
      } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
        return Answer.status(500, "{\"error\":\"no second request in flight\"}");
      } finally {
        inFlight.decrementAndGet();
      }
      return vectors.apply(request);
    });
    List<String> texts = List.of("one", "two", "three", "four");

    List<float[]> embedded = embedder(Map.of(EmbeddingSettings.BATCH_SIZE.name(), "1",
        EmbeddingSettings.MAX_CONCURRENCY.name(), "2")).embedDocuments(texts);

    for (int i = 0; i < texts.size(); i++) {
      assertThat(embedded.get(i)).containsExactly(unit(raw(texts.get(i))), within(1e-6f));
    }
    assertThat(server.embeddingRequests()).hasSize(4);
    assertThat(most.get()).isEqualTo(2);
  }

  @Test
  void batchesAreSplitAt300000Characters() {
    server.otherwiseEmbeddings(Answer.vectors(OpenAiEmbedderTest::raw));
    String large = "x".repeat(120_000);

    List<float[]> vectors = embedder(Map.of()).embedDocuments(List.of(large, large + "y", large));

    assertThat(server.embeddingRequests()).extracting(request -> request.json().path("input").size())
        .containsExactlyInAnyOrder(2, 1);
    assertThat(vectors.get(1)).containsExactly(unit(raw(large + "y")), within(1e-6f));
  }

  @Test
  void prefixesAreSentAndNamedInTheId() {
    server.otherwiseEmbeddings(Answer.vectors(OpenAiEmbedderTest::raw));
    Embedder plain = embedder(Map.of());
    Embedder prefixed = embedder(Map.of(EmbeddingSettings.QUERY_PREFIX.name(), "query: ",
        EmbeddingSettings.DOCUMENT_PREFIX.name(), "passage: "));

    prefixed.embedQuery("where does John live");
    prefixed.embedDocuments(List.of("John lives in Berlin"));

    assertThat(plain.id()).isEqualTo("openai:scripted-embed:3");
    assertThat(prefixed.id()).startsWith("openai:scripted-embed:3:").isNotEqualTo(plain.id());
    assertThat(server.embeddingRequests()).extracting(r -> r.json().path("input").get(0).asText())
        .containsExactly("query: where does John live", "passage: John lives in Berlin");
  }

  @Test
  void theDimensionIsProbedWhenNotConfigured() {
    server.onEmbeddings(Answer.vectors(text -> new float[] {1, 2, 3, 4, 5}));

    Embedder embedder = embedder(Map.of(EmbeddingSettings.DIMENSIONS.name(), " "));

    assertThat(embedder.dimension()).isEqualTo(5);
    assertThat(embedder.id()).isEqualTo("openai:scripted-embed:5");
    assertThat(server.embeddingRequests()).hasSize(1);
    assertThat(server.embeddingRequests().get(0).json().has("dimensions")).isFalse();
  }

  @Test
  void aFailedProbeIsAConfigurationError() {
    server.onEmbeddings(Answer.status(404, "{\"error\":\"model 'scripted-embed' not found\"}"));

    assertThatThrownBy(() -> embedder(Map.of(EmbeddingSettings.DIMENSIONS.name(), " ")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("model 'scripted-embed' not found")
        .hasMessageContaining(EmbeddingSettings.DIMENSIONS.name());
  }

  @Test
  void answersOutOfFormAreTransportErrors() {
    Embedder embedder = embedder(Map.of());
    server.onEmbeddings(Answer.vectors(text -> new float[] {1, 2}));
    server.onEmbeddings(Answer.status(200, "{\"data\":[{\"index\":0,\"embedding\":[1,2,3]}]}"));
    // 1e39 is a JSON number but overflows a float
    server.onEmbeddings(Answer.status(200, "{\"data\":[{\"index\":0,\"embedding\":[1,1e39,1]}]}"));
    server.onEmbeddings(Answer.status(200, "{\"data\":[{\"index\":0,\"embedding\":[1,2,3]},"
        + "{\"index\":0,\"embedding\":[1,2,3]}]}"));
    server.onEmbeddings(Answer.vectors(text -> new float[] {0, 0, 0}));

    assertThatThrownBy(() -> embedder.embedQuery("a")).isInstanceOf(TransportException.class)
        .hasMessageContaining("has 2 components, not 3");
    assertThatThrownBy(() -> embedder.embedDocuments(List.of("a", "b")))
        .isInstanceOf(TransportException.class).hasMessageContaining("1 vectors for 2 texts");
    assertThatThrownBy(() -> embedder.embedQuery("a")).isInstanceOf(TransportException.class)
        .hasMessageContaining("not a finite number");
    assertThatThrownBy(() -> embedder.embedDocuments(List.of("a", "b")))
        .isInstanceOf(TransportException.class).hasMessageContaining("the index 0");
    assertThatThrownBy(() -> embedder.embedQuery("a")).isInstanceOf(TransportException.class)
        .hasMessageContaining("is zero");
  }

  @Test
  void failuresAreRetriedThenTransportErrorsWithTheStatus() {
    Embedder embedder = embedder(Map.of());
    server.onEmbeddings(Answer.status(503));
    server.onEmbeddings(Answer.vectors(OpenAiEmbedderTest::raw));
    server.onEmbeddings(Answer.status(401, "{\"error\":{\"message\":\"Invalid token\"}}"));

    assertThat(embedder.embedQuery("John")).containsExactly(unit(raw("John")), within(1e-6f));
    assertThatThrownBy(() -> embedder.embedQuery("John"))
        .isInstanceOfSatisfying(TransportException.class, e -> {
          assertThat(e.status()).hasValue(401);
          assertThat(e.getMessage()).contains("Invalid token");
        });
    assertThat(server.embeddingRequests()).hasSize(3);
  }

  @Test
  void endpointAndKeyDefaultToTheChatModels() {
    server.otherwiseEmbeddings(Answer.vectors(OpenAiEmbedderTest::raw));
    Embedder embedder = provider().create(InMemoryConfig.builder().isolated()
        .set(LlmSettings.BASE_URL.name(), server.baseUrl())
        .set(LlmSettings.API_KEY.name(), "llm-key")
        .set(EmbeddingSettings.MODEL.name(), "scripted-embed").build());

    embedder.embedQuery("John");

    assertThat(server.embeddingRequests()).hasSize(2).allSatisfy(request ->
        assertThat(request.header("Authorization")).contains("Bearer llm-key"));
  }

  @Test
  void theProviderIsUsedOnlyWhenNamed() {
    assertThat(provider().explicitOnly()).isTrue();
    assertThat(provider().configKeys()).contains(EmbeddingSettings.MODEL, EmbeddingSettings.BASE_URL);
    assertThatThrownBy(() -> provider().create(InMemoryConfig.builder().isolated()
        .set(EmbeddingSettings.BASE_URL.name(), server.baseUrl()).build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(EmbeddingSettings.MODEL.name());
    assertThat(server.requests()).isEmpty();
  }
}
