package io.inmemory.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.ConfigurationException;
import io.inmemory.InMemoryConfig;
import io.inmemory.engine.spi.Embedder;
import io.inmemory.engine.spi.EmbedderProvider;
import io.inmemory.engine.spi.Extractor;
import io.inmemory.engine.spi.ExtractorProvider;
import io.inmemory.engine.tck.HashingEmbedder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProvidersTest {
  private static final EmbedderProvider LOCAL = embedderProvider("local", false);
  private static final EmbedderProvider REMOTE = embedderProvider("remote", true);
  private static final ExtractorProvider OPENAI = extractorProvider("openai");

  private static InMemoryConfig config(String... keyValues) {
    InMemoryConfig.Builder builder = InMemoryConfig.builder().isolated();
    for (int i = 0; i < keyValues.length; i += 2) {
      builder.set(keyValues[i], keyValues[i + 1]);
    }
    return builder.build();
  }

  @Test
  void explicitOnlyEmbeddersAreUsedOnlyWhenNamed() {
    assertThat(Providers.embedder(List.of(REMOTE, LOCAL), config())).isSameAs(LOCAL);
    assertThat(Providers.embedder(List.of(REMOTE, LOCAL), config("inmemory.embedder", "remote")))
        .isSameAs(REMOTE);
    assertThatThrownBy(() -> Providers.embedder(List.of(REMOTE), config()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("No embedder on the classpath");
  }

  @Test
  void noExtractorUnlessNamedAndTheHintIsLoggedOnce() {
    PrintStream original = System.err;
    ByteArrayOutputStream logs = new ByteArrayOutputStream();
    System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
    try {
      assertThat(Providers.extractor(List.of(), config())).isNull();
      assertThat(Providers.extractor(List.of(OPENAI), config())).isNull();
      assertThat(Providers.extractor(List.of(OPENAI), config())).isNull();
    } finally {
      System.setErr(original);
    }
    assertThat(logs.toString(StandardCharsets.UTF_8).lines()
        .filter(line -> line.contains("An extractor is on the classpath"))).singleElement()
        .satisfies(line -> assertThat(line).contains("set inmemory.extractor=openai to use it"));
  }

  @Test
  void aNamedExtractorIsSelectedStrictly() {
    assertThat(Providers.extractor(List.of(OPENAI), config("inmemory.extractor", "openai")))
        .isSameAs(OPENAI);
    assertThatThrownBy(() -> Providers.extractor(List.of(OPENAI),
        config("inmemory.extractor", "other")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("'openai'");
    assertThatThrownBy(() -> Providers.extractor(List.of(), config("inmemory.extractor", "openai")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("io.inmemory:inmemory-llm-openai");
  }

  @Test
  void theEngineSelectsTheNamedExtractorWhenItOpens() {
    assertThatThrownBy(() -> Memory.builder().config(config("inmemory.extractor", "openai"))
        .embedder(new HashingEmbedder()).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("No extractor named 'openai'");
  }

  private static EmbedderProvider embedderProvider(String name, boolean explicitOnly) {
    return new EmbedderProvider() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public boolean explicitOnly() {
        return explicitOnly;
      }

      @Override
      public Embedder create(InMemoryConfig config) {
        throw new UnsupportedOperationException("selection only");
      }
    };
  }

  private static ExtractorProvider extractorProvider(String name) {
    return new ExtractorProvider() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Extractor create(InMemoryConfig config) {
        throw new UnsupportedOperationException("selection only");
      }
    };
  }
}
