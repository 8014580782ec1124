package io.inmemory.engine;

import io.inmemory.InMemoryConfig;
import io.inmemory.ProviderSelection;
import io.inmemory.engine.spi.EmbedderProvider;
import io.inmemory.engine.spi.StoreProvider;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Selects the store and embedder providers by configuration. Stores: the configured name wins;
 * unset, the only durable store on the classpath, or the built-in volatile store when there is
 * none; several durable stores is an error naming them. Embedders: strict selection.
 */
final class Providers {
  private static final Logger LOG = LoggerFactory.getLogger(Providers.class);

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

  static EmbedderProvider embedder(List<EmbedderProvider> all, InMemoryConfig config) {
    return ProviderSelection.select(all, "embedder", EmbedderProvider::name, config,
        InMemoryConfig.EMBEDDER,
        "add io.inmemory:inmemory-embeddings-onnx for offline embeddings, or pass one with"
            + " Memory.builder().embedder(...)");
  }
}
