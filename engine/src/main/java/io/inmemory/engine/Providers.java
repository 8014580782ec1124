package io.inmemory.engine;

import io.inmemory.InMemoryConfig;
import io.inmemory.ProviderSelection;
import io.inmemory.engine.spi.EmbedderProvider;
import io.inmemory.engine.spi.ExtractorProvider;
import io.inmemory.engine.spi.StoreProvider;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Selects the store, embedder and extractor providers by configuration. Stores: the configured
 * name wins; unset, the only durable store on the classpath, or the built-in volatile store when
 * there is none; several durable stores is an error naming them. Embedders: strict selection,
 * among the explicit-only ones (which send text over the network) only when named. Extractors:
 * none unless named, then strict selection.
 */
final class Providers {
  private static final Logger LOG = LoggerFactory.getLogger(Providers.class);
  /** The hint that an unused extractor is on the classpath is worth one line per JVM. */
  private static final AtomicBoolean EXTRACTOR_HINTED = new AtomicBoolean();

  private Providers() {}

  static List<StoreProvider> stores() {
    return ProviderSelection.load(StoreProvider.class);
  }

  static List<EmbedderProvider> embedders() {
    return ProviderSelection.load(EmbedderProvider.class);
  }

  static StoreProvider store(List<StoreProvider> all, InMemoryConfig config) {
    if (config.find(InMemoryConfig.STORE).isPresent()) {
      return select(all, config);
    }
    List<StoreProvider> durable = all.stream()
        .filter(provider -> !VolatileStoreProvider.NAME.equals(provider.name())).toList();
    if (durable.isEmpty()) {
      LOG.info("No durable store on the classpath; using the volatile '{}' store",
          VolatileStoreProvider.NAME);
      return all.stream().filter(provider -> provider instanceof VolatileStoreProvider)
          .findFirst().orElseGet(VolatileStoreProvider::new);
    }
    return select(durable, config);
  }

  private static StoreProvider select(List<StoreProvider> candidates, InMemoryConfig config) {
    return ProviderSelection.select(candidates, "memory store", StoreProvider::name, config,
        InMemoryConfig.STORE, "add io.inmemory:inmemory-store-file (or -store-h2, -store-mongo)");
  }

  static List<ExtractorProvider> extractors() {
    return ProviderSelection.load(ExtractorProvider.class);
  }

  /**
   * The embedder named by {@code inmemory.embedder}; unset, the only one on the classpath that
   * is not explicit-only, so that adding a remote embedder's jar never turns it on.
   */
  static EmbedderProvider embedder(List<EmbedderProvider> all, InMemoryConfig config) {
    List<EmbedderProvider> candidates = config.find(InMemoryConfig.EMBEDDER).isPresent() ? all
        : all.stream().filter(provider -> !provider.explicitOnly()).toList();
    return ProviderSelection.select(candidates, "embedder", EmbedderProvider::name, config,
        InMemoryConfig.EMBEDDER,
        "add io.inmemory:inmemory-embeddings-onnx for offline embeddings, or pass one with"
            + " Memory.builder().embedder(...)");
  }

  /**
   * The extractor named by {@code inmemory.extractor}, or {@code null} when the key is unset:
   * a model is never called by default, even with an extractor on the classpath (said once at
   * INFO, with the setting that would use it).
   *
   * @throws io.inmemory.ConfigurationException when the name is unknown or none is on the
   *     classpath
   */
  static @Nullable ExtractorProvider extractor(List<ExtractorProvider> all,
      InMemoryConfig config) {
    if (config.find(InMemoryConfig.EXTRACTOR).isEmpty()) {
      if (!all.isEmpty() && !EXTRACTOR_HINTED.getAndSet(true)) {
        LOG.info("An extractor is on the classpath ({}); set {}={} to use it",
            all.stream().map(provider -> provider.name() + ": " + provider.getClass().getName())
                .collect(Collectors.joining(", ")),
            InMemoryConfig.EXTRACTOR.name(), all.get(0).name());
      }
      return null;
    }
    return ProviderSelection.select(all, "extractor", ExtractorProvider::name, config,
        InMemoryConfig.EXTRACTOR, "add io.inmemory:inmemory-llm-openai");
  }
}
