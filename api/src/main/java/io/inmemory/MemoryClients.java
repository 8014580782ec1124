package io.inmemory;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * Builds the {@link MemoryClient} the configuration asks for, so application code never names a
 * runtime. With {@code inmemory.mode} set, that runtime is used; unset, the only runtime on the
 * classpath is; none or several is a {@link ConfigurationException} naming the candidates and the
 * key to set. Thread-safe.
 */
public final class MemoryClients {
  private static final String WHERE_TO_FIND = "add io.inmemory:inmemory-engine (mode local) or"
      + " io.inmemory:inmemory-transport-http (mode managed) to the classpath";

  private static final String VERSION = readVersion();

  private MemoryClients() {}

  /**
   * The version of InMemory, from the build; every module is released with the same version, so
   * the engine, the server and the managed client report this one. {@code "unknown"} when the
   * build's version file is missing.
   */
  public static String version() {
    return VERSION;
  }

  /** A client configured from system properties, environment and {@code inmemory.properties}. */
  public static MemoryClient create() {
    return create(InMemoryConfig.load());
  }

  /** A client for the given configuration. */
  public static MemoryClient create(InMemoryConfig config) {
    return provider(config).create(config);
  }

  /** An asynchronous client configured like {@link #create()}. */
  public static AsyncMemoryClient createAsync() {
    return createAsync(InMemoryConfig.load());
  }

  /** An asynchronous client for the given configuration. */
  public static AsyncMemoryClient createAsync(InMemoryConfig config) {
    return provider(config).createAsync(config);
  }

  /**
   * The export and restore of {@code client}: the embedded engine and the managed client offer
   * them.
   *
   * @throws ConfigurationException when {@code client} (such as a wrapper) offers none; the
   *     message names its class
   */
  public static MemoryArchive archive(MemoryClient client) {
    if (client instanceof MemoryArchive archive) {
      return archive;
    }
    throw new ConfigurationException(client.getClass().getName() + " cannot export or restore"
        + " memories: use a client that MemoryClients.create made (mode local or managed)");
  }

  private static MemoryClientProvider provider(InMemoryConfig config) {
    config.validate();
    return ProviderSelection.select(MemoryClientProvider.class, "InMemory runtime",
        MemoryClientProvider::name, config, InMemoryConfig.MODE, WHERE_TO_FIND);
  }

  private static String readVersion() {
    try (InputStream in = MemoryClients.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
