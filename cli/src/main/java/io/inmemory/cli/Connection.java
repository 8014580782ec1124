package io.inmemory.cli;

import io.inmemory.ConfigKey;
import io.inmemory.ConfigurationException;
import io.inmemory.InMemoryConfig;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryClients;
import io.inmemory.embeddings.onnx.OnnxEmbedderProvider;
import io.inmemory.store.file.FileStoreProvider;
import io.inmemory.store.file.FileStoreSettings;
import io.inmemory.store.h2.H2StoreProvider;
import io.inmemory.store.h2.H2StoreSettings;
import io.inmemory.store.mongo.MongoStoreProvider;
import io.inmemory.store.mongo.MongoStoreSettings;
import io.inmemory.transport.http.Inmry;
import io.inmemory.transport.http.ManagedMemoryClientProvider;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Where a command's memories are: the options a user types, mapped onto the configuration keys
 * every runtime reads ({@code inmemory.mode}, {@code inmemory.store}, the stores' and the HTTP
 * client's keys), above system properties, environment and {@code inmemory.properties}. Without
 * any, the local engine keeps its memories in {@code ~/.inmemory/data}, wherever the command runs
 * from. A picocli mixin of the top command whose options every command inherits, so they may come
 * before or after the command's name: one instance per run, not thread-safe.
 */
final class Connection {
  /** The local engine's {@code inmemory.mode} (the engine is a run-time dependency only). */
  static final String LOCAL = "local";
  static final String H2_SCHEME = "jdbc:h2:";
  static final String MONGO_SCHEME = "mongodb:";
  static final String MONGO_SRV_SCHEME = "mongodb+srv:";

  /** What the options are set over: the process's sources, or isolated ones in tests. */
  private final Supplier<InMemoryConfig.Builder> sources;

  @Option(names = "--dir", scope = ScopeType.INHERIT, paramLabel = "PATH",
      description = "Local engine on a file store in PATH (${sys:user.home}/.inmemory/data when no"
          + " store is configured).")
  @Nullable Path dir;

  @Option(names = "--store-url", scope = ScopeType.INHERIT, paramLabel = "URL",
      description = "Local engine on the store at URL: jdbc:h2:… (H2) or mongodb://… (MongoDB).")
  @Nullable String storeUrl;

  @Option(names = "--server", scope = ScopeType.INHERIT, paramLabel = "URL",
      description = "An InMemory server at URL instead of the local engine (inmemory.base-url).")
  @Nullable String server;

  @Option(names = "--api-key", scope = ScopeType.INHERIT, paramLabel = "KEY",
      description = "The server's API key (default: inmemory.api-key, environment INMEM_API_KEY).")
  @Nullable String apiKey;

  @Option(names = "-D", scope = ScopeType.INHERIT, paramLabel = "KEY=VALUE",
      description = "Any configuration key, such as -Dinmemory.embedder=onnx.")
  Map<String, String> settings = new LinkedHashMap<>();

  Connection(Supplier<InMemoryConfig.Builder> sources) {
    this.sources = sources;
  }

  /**
   * The configuration: these options over {@code sources} (a fresh builder reading the process's
   * properties and environment, or an isolated one in tests), the local file store beneath.
   *
   * @throws io.inmemory.ConfigurationException when the options contradict each other
   */
  InMemoryConfig config() {
    InMemoryConfig config = builder().build();
    // both runtimes are on the class path: a user who configures nothing gets the local engine
    Map<String, String> fallbacks = new HashMap<>(storeFallbacks(config));
    fallbacks.put(InMemoryConfig.MODE.name(), LOCAL);
    // get, list, stats, … never embed: the model loads only when a command embeds (not for
    // serve, which should fail at start when the model cannot run)
    fallbacks.put(OnnxEmbedderProvider.LAZY.name(), "true");
    return config.withFallbacks(fallbacks);
  }

  /**
   * The sources of {@code inmemory serve}: these options over {@code sources}, and the local file
   * store in {@code ~/.inmemory/data} when no store is configured (as for every other command,
   * rather than the server jar's {@code ./inmemory-data}).
   *
   * @throws io.inmemory.ConfigurationException when the options contradict each other
   */
  InMemoryConfig.Builder serverSources() {
    InMemoryConfig.Builder builder = builder();
    storeFallbacks(builder.build()).forEach(builder::set);
    return builder;
  }

  /** {@code sources} with these options set over them. */
  private InMemoryConfig.Builder builder() {
    InMemoryConfig.Builder builder = sources.get();
    settings.forEach(builder::set);
    int locations = (dir == null ? 0 : 1) + (storeUrl == null ? 0 : 1) + (server == null ? 0 : 1);
    if (locations > 1) {
      throw new ConfigurationException(
          "--dir, --store-url and --server each name where the memories are: give one of them");
    }
    if (dir != null) {
      builder.set(InMemoryConfig.MODE.name(), LOCAL).set(InMemoryConfig.STORE.name(), FileStoreProvider.NAME)
          .set(FileStoreSettings.DIR.name(), dir.toString());
    }
    if (storeUrl != null) {
      builder.set(InMemoryConfig.MODE.name(), LOCAL);
      storeSettings(storeUrl).forEach(builder::set);
    }
    if (server != null) {
      builder.set(InMemoryConfig.MODE.name(), ManagedMemoryClientProvider.NAME).set(Inmry.BASE_URL.name(), server);
    }
    if (apiKey != null) {
      builder.set(InMemoryConfig.API_KEY.name(), apiKey);
    }
    return builder;
  }

  /** The file store in {@code ~/.inmemory/data} when {@code config} names no store, else none. */
  private static Map<String, String> storeFallbacks(InMemoryConfig config) {
    if (config.find(InMemoryConfig.STORE).isPresent()) {
      return Map.of();
    }
    Map<String, String> fallbacks = new HashMap<>(Map.of(InMemoryConfig.STORE.name(), FileStoreProvider.NAME));
    if (config.find(FileStoreSettings.DIR).isEmpty()) {
      fallbacks.put(FileStoreSettings.DIR.name(),
          Path.of(System.getProperty("user.home"), ".inmemory", "data").toString());
    }
    return fallbacks;
  }

  /**
   * The settings of {@code config} that say where its memories are (mode, store, directory, URL,
   * server), for telling one target from another; may hold credentials of a store URL.
   */
  static String describe(InMemoryConfig config) {
    List<ConfigKey<?>> where = List.of(InMemoryConfig.MODE, InMemoryConfig.STORE,
        FileStoreSettings.DIR, H2StoreSettings.URL, MongoStoreSettings.URI, Inmry.BASE_URL);
    return String.join(" ", where.stream().flatMap(key -> config.find(key)
        .map(value -> key.name() + "=" + value).stream()).toList());
  }

  /** The store and its key a store URL names, by its scheme. */
  private static Map<String, String> storeSettings(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    if (lower.startsWith(H2_SCHEME)) {
      return Map.of(InMemoryConfig.STORE.name(), H2StoreProvider.NAME, H2StoreSettings.URL.name(), url);
    }
    if (lower.startsWith(MONGO_SCHEME) || lower.startsWith(MONGO_SRV_SCHEME)) {
      return Map.of(InMemoryConfig.STORE.name(), MongoStoreProvider.NAME, MongoStoreSettings.URI.name(), url);
    }
    throw new ConfigurationException("--store-url " + url
        + ": not a store URL; expected " + H2_SCHEME + "… (H2) or mongodb://… (MongoDB)");
  }
}
