package io.inmemory.llm.openai;

import io.inmemory.ConfigKey;
import io.inmemory.InMemoryConfig;
import io.inmemory.engine.spi.Extractor;
import io.inmemory.engine.spi.ExtractorProvider;
import java.util.List;

/**
 * The extractor {@code openai}, selected by {@code inmemory.extractor=openai}: facts and
 * reconciliation from any OpenAI-compatible chat endpoint, configured by {@link LlmSettings}.
 * Creating it opens no connection. Stateless and thread-safe.
 */
public final class OpenAiExtractorProvider implements ExtractorProvider {
  /** The name {@code inmemory.extractor} selects this provider by. */
  public static final String NAME = "openai";

  /** For {@link java.util.ServiceLoader}; the provider holds no state. */
  public OpenAiExtractorProvider() {
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * An extractor for the configured endpoint and model.
   *
   * @throws io.inmemory.ConfigurationException when a key is invalid, the model is not set, the
   *     prompt version does not exist, or {@code api.openai.com} has no key
   */
  @Override
  public Extractor create(InMemoryConfig config) {
    LlmSettings settings = LlmSettings.from(config);
    return new OpenAiExtractor(settings, new OpenAiHttp(settings.http()));
  }

  @Override
  public List<ConfigKey<?>> configKeys() {
    return LlmSettings.keys();
  }
}
