package io.inmemory.embeddings.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.ConfigKey;
import io.inmemory.ConfigurationException;
import io.inmemory.InMemoryConfig;
import io.inmemory.engine.spi.Embedder;
import io.inmemory.engine.spi.EmbedderProvider;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class OnnxEmbedderProviderTest {
  private final OnnxEmbedderProvider provider = new OnnxEmbedderProvider();

  @Test
  void isFoundByServiceLoaderUnderTheNameOnnx() {
    List<EmbedderProvider> providers = ServiceLoader.load(EmbedderProvider.class).stream()
        .map(ServiceLoader.Provider::get).toList();
    assertThat(providers).anySatisfy(p -> {
      assertThat(p).isInstanceOf(OnnxEmbedderProvider.class);
      assertThat(p.name()).isEqualTo("onnx");
    });
  }

  @Test
  void declaresItsKeys() {
    assertThat(provider.configKeys()).extracting(ConfigKey::name).containsExactly(
        "inmemory.embedder.model", "inmemory.embedder.threads", "inmemory.embedder.batch-size",
        "inmemory.embedder.max-tokens", "inmemory.embedder.lazy");
    assertThat(OnnxEmbedderProvider.MODEL.defaultValue()).contains("all-minilm-l6-v2-q");
    assertThat(OnnxEmbedderProvider.MODEL.envName()).isEqualTo("INMEMORY_EMBEDDER_MODEL");
  }

  @Test
  void createsTheDefaultModelWithNoConfiguration() {
    try (Embedder embedder = provider.create(InMemoryConfig.builder().isolated().build())) {
      assertThat(embedder.id()).isEqualTo("onnx:all-minilm-l6-v2-q:1");
      assertThat(embedder.embedQuery("hello")).hasSize(embedder.dimension());
    }
  }

  @Test
  void aLazyEmbedderAnswersItsIdBeforeLoadingTheModelAndEmbedsAsTheEagerOne() {
    InMemoryConfig lazy = InMemoryConfig.builder().isolated()
        .set(OnnxEmbedderProvider.LAZY, true).set(OnnxEmbedderProvider.MAX_TOKENS, 512).build();
    InMemoryConfig eager = InMemoryConfig.builder().isolated()
        .set(OnnxEmbedderProvider.MAX_TOKENS, 512).build();
    try (Embedder later = provider.create(lazy); Embedder now = provider.create(eager)) {
      assertThat(later).isInstanceOf(LazyEmbedder.class);
      assertThat(later.id()).isEqualTo(now.id()).isEqualTo("onnx:all-minilm-l6-v2-q:1:max512");
      assertThat(later.dimension()).isEqualTo(now.dimension());
      assertThat(((LazyEmbedder) later).isLoaded()).isFalse();
      assertThat(later.embedQuery("peanut allergy")).containsExactly(now.embedQuery("peanut allergy"));
      assertThat(((LazyEmbedder) later).isLoaded()).isTrue();
      later.close();
      assertThatThrownBy(() -> later.embedQuery("x")).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void aLazilyLoadedModelOtherThanTheAnnouncedOneIsRefused() {
    try (Embedder now = provider.create(InMemoryConfig.builder().isolated().build())) {
      LazyEmbedder other = new LazyEmbedder("onnx:another:1", now.dimension(),
          () -> OnnxEmbedder.builder().build());
      assertThatThrownBy(() -> other.embedQuery("x")).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("onnx:another:1");
      assertThat(other.isLoaded()).isFalse();
    }
  }

  @Test
  void readsTheModelAndTheTokenLimitFromAnySource() {
    InMemoryConfig config = InMemoryConfig.builder().isolated()
        .environment(Map.of("INMEMORY_EMBEDDER_MODEL", "e5-small-v2-q"))
        .set(OnnxEmbedderProvider.MAX_TOKENS, 512)
        .set(OnnxEmbedderProvider.THREADS, 1)
        .build();
    try (Embedder embedder = provider.create(config)) {
      assertThat(embedder.id()).isEqualTo("onnx:e5-small-v2-q:1:max512");
    }
  }

  @Test
  void anUnknownModelListsTheValidNamesAndTheKey() {
    InMemoryConfig config = InMemoryConfig.builder().isolated()
        .set("inmemory.embedder.model", "text-embedding-3-small").build();
    assertThatThrownBy(() -> provider.create(config))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("text-embedding-3-small")
        .hasMessageContaining("all-minilm-l6-v2-q, all-minilm-l6-v2, bge-small-en-v1.5-q,"
            + " bge-small-en-v1.5, e5-small-v2-q, e5-small-v2")
        .hasMessageContaining("inmemory.embedder.model")
        .hasMessageContaining("INMEMORY_EMBEDDER_MODEL");
  }

  @Test
  void reportsEveryInvalidTuningValueAtOnce() {
    InMemoryConfig config = InMemoryConfig.builder().isolated()
        .set("inmemory.embedder.threads", "many")
        .set("inmemory.embedder.batch-size", "-1")
        .build();
    assertThatThrownBy(() -> provider.create(config))
        .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
            .hasSize(2)
            .anySatisfy(p -> assertThat(p).contains("inmemory.embedder.threads", "many"))
            .anySatisfy(p -> assertThat(p).contains("inmemory.embedder.batch-size")));
  }
}
