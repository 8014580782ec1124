package io.inmemory.llm.openai;

import io.inmemory.ConfigKey;
import io.inmemory.InMemoryConfig;
import io.inmemory.engine.spi.Embedder;
import io.inmemory.engine.spi.EmbedderProvider;
import java.util.List;

/**
 * The embedder {@code openai}, used only when {@code inmemory.embedder=openai} names it (it sends
 * text over the network, so adding this jar never turns it on): embeddings from any
 * OpenAI-compatible endpoint, configured by {@link EmbeddingSettings}. Stateless and thread-safe.
 */
public final class OpenAiEmbedderProvider implements EmbedderProvider {
  /** The name {@code inmemory.embedder} selects this provider by. */
  public static final String NAME = "openai";

  /** For {@link java.util.ServiceLoader}; the provider holds no state. */
  public OpenAiEmbedderProvider() {
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean explicitOnly() {
    return true;
  }

  /**
   * An embedder for the configured endpoint and model; learns the dimension with one request
   * unless {@code inmemory.embedder.openai.dimensions} is set.
   *
   * @throws io.inmemory.ConfigurationException when a key is invalid, the model is not set,
   *     {@code api.openai.com} has no key, or the dimension probe fails
   */
  @Override
  public Embedder create(InMemoryConfig config) {
    EmbeddingSettings settings = EmbeddingSettings.from(config);
    return new OpenAiEmbedder(settings, new OpenAiHttp(settings.http()));
  }

  @Override
  public List<ConfigKey<?>> configKeys() {
    return EmbeddingSettings.keys();
  }
}
