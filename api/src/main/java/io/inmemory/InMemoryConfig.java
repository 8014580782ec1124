package io.inmemory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The configuration of an InMemory client: one key→value lookup with typed defaults.
 *
 * <p>A key's value is taken from the first source that sets it, in this order: the
 * {@linkplain Builder#set(String, String) builder}, a Java system property of the key's name, an
 * environment variable ({@link ConfigKey#envName()}, then its {@linkplain ConfigKey#aliases()
 * aliases}), {@code inmemory.properties} at the root of the classpath, and finally the key's
 * default. A blank value counts as unset. The sources are read once, when the configuration is
 * built; later changes are not seen.
 *
 * <p>The keys every runtime understands are the constants below; modules declare their own as
 * public constants of the settings they configure (for example {@code FileStoreSettings.DIR},
 * {@code ServerSettings.PORT}, {@code RetrievalSettings.MODE}).
 *
 * <p>Immutable and thread-safe.
 */
public final class InMemoryConfig {

  /** {@code local} (the embedded engine) or {@code managed} (an InMemory server over HTTP). */
  public static final ConfigKey<String> MODE = ConfigKey.string("inmemory.mode", null,
      "Which runtime MemoryClients.create() builds: local (embedded engine) or managed (HTTP"
          + " client of an InMemory server). Unset: the only runtime on the classpath.");

  /** The local store's name ({@code memory}, {@code file}, {@code h2}, {@code mongo}). */
  public static final ConfigKey<String> STORE = ConfigKey.string("inmemory.store", null,
      "The local engine's store: memory (volatile), file, h2 or mongo. Unset: the only store on"
          + " the classpath besides the volatile one, else the volatile one.",
      "INMEMORY_STORAGE_TYPE");

  /** The local embedder's name (for example {@code onnx}). */
  public static final ConfigKey<String> EMBEDDER = ConfigKey.string("inmemory.embedder", null,
      "The local engine's embedder provider, for example onnx. Unset: the only one on the"
          + " classpath.");

  /**
   * The local extractor's name (for example {@code openai}). Explicit only: unset means no
   * extraction, even with an extractor on the classpath, so that the defaults never call a model.
   */
  public static final ConfigKey<String> EXTRACTOR = ConfigKey.string("inmemory.extractor", null,
      "The local engine's extractor provider, for example openai, which turns conversations into"
          + " facts with a language model. Unset: none, even with one on the classpath.");

  /** The largest memory content accepted, in UTF-8 bytes. */
  public static final ConfigKey<Long> MAX_MEMORY_SIZE = ConfigKey.bytes("inmemory.max-memory-size",
      1024L * 1024, 1, "The largest memory content accepted, in UTF-8 bytes (suffixes KB, MB).");

  /** The zone temporal phrases are resolved in when a request names none. */
  public static final ConfigKey<ZoneId> TIME_ZONE = ConfigKey.zone("inmemory.time-zone",
      ZoneId.systemDefault(),
      "The time zone in which phrases such as 'yesterday' are resolved. Default: the JVM's zone.");

  /** The API key a managed client sends. */
  public static final ConfigKey<String> API_KEY = ConfigKey.string("inmemory.api-key", null,
      "The API key (im_…) a managed client sends to the server.", "INMEM_API_KEY");

  private static final String PROPERTIES_RESOURCE = "inmemory.properties";

  private final Map<String, String> explicit;
  private final Map<String, String> systemProperties;
  private final Map<String, String> environment;
  private final Map<String, String> fileProperties;
  private final Map<String, String> fallbacks;

  private InMemoryConfig(Builder builder) {
    this.explicit = Map.copyOf(builder.values);
    this.systemProperties = builder.systemProperties == null
        ? stringProperties(System.getProperties()) : Map.copyOf(builder.systemProperties);
    this.environment = builder.environment == null
        ? Map.copyOf(System.getenv()) : Map.copyOf(builder.environment);
    this.fileProperties = builder.classpathProperties
        ? classpathProperties() : Map.of();
    this.fallbacks = Map.of();
  }

  private InMemoryConfig(InMemoryConfig base, Map<String, String> fallbacks) {
    this.explicit = base.explicit;
    this.systemProperties = base.systemProperties;
    this.environment = base.environment;
    this.fileProperties = base.fileProperties;
    this.fallbacks = fallbacks;
  }

  /** The configuration from system properties, environment and {@code inmemory.properties}. */
  public static InMemoryConfig load() {
    return builder().build();
  }

  /** A builder whose values override every other source. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * This configuration with {@code fallbacks} beneath every source: a fallback applies only to a
   * key no source sets, and wins over the key's own default. For a program that embeds the engine
   * and has defaults of its own (the server stores in {@code ./inmemory-data}); this
   * configuration is unchanged.
   *
   * @param fallbacks values by key name; replaces earlier fallbacks
   */
  public InMemoryConfig withFallbacks(Map<String, String> fallbacks) {
    return new InMemoryConfig(this, Map.copyOf(fallbacks));
  }

  /** The keys every runtime understands. */
  public static List<ConfigKey<?>> keys() {
    return List.of(MODE, STORE, EMBEDDER, EXTRACTOR, MAX_MEMORY_SIZE, TIME_ZONE, API_KEY);
  }

  /**
   * The key's value, or its default.
   *
   * @throws ConfigurationException when the value does not parse, or the key is unset and has no
   *     default
   */
  public <T> T get(ConfigKey<T> key) {
    return find(key).or(key::defaultValue).orElseThrow(() -> new ConfigurationException(
        "No value for " + key.name() + ": " + key.description() + " Set the system property "
            + key.name() + ", the environment variable " + key.envName() + " or the key in "
            + PROPERTIES_RESOURCE + "."));
  }

  /**
   * The key's value when a source sets it (defaults are not consulted).
   *
   * @throws ConfigurationException when the value does not parse
   */
  public <T> Optional<T> find(ConfigKey<T> key) {
    Optional<Source> source = lookup(key);
    if (source.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(key.parse(source.get().value()));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(problem(key, source.get(), e));
    }
  }

  /** Where the key's value comes from, for messages: for example "system property inmemory.store". */
  public String sourceOf(ConfigKey<?> key) {
    return lookup(key).map(Source::where).orElse("the default");
  }

  /**
   * Checks that every given key that is set parses, and reports every problem at once; a key
   * given twice (by name) is checked and reported once.
   *
   * @throws ConfigurationException listing every key whose value is invalid
   */
  public void validate(Collection<? extends ConfigKey<?>> keysToCheck) {
    List<String> problems = new ArrayList<>();
    // several providers may list one key (the stores sharing the change feed's): checked once
    Set<String> checked = new HashSet<>();
    for (ConfigKey<?> key : keysToCheck) {
      if (!checked.add(key.name())) {
        continue;
      }
      Optional<Source> source = lookup(key);
      if (source.isPresent()) {
        try {
          key.parse(source.get().value());
        } catch (IllegalArgumentException e) {
          problems.add(problem(key, source.get(), e));
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
  }

  /** Checks every key of {@link #keys()}; see {@link #validate(Collection)}. */
  public void validate() {
    validate(keys());
  }

  private static String problem(ConfigKey<?> key, Source source, IllegalArgumentException e) {
    return key.name() + " (from " + source.where() + "): " + e.getMessage();
  }

  private Optional<Source> lookup(ConfigKey<?> key) {
    String name = key.name();
    if (isSet(explicit.get(name))) {
      return Optional.of(new Source(explicit.get(name), "the builder"));
    }
    if (isSet(systemProperties.get(name))) {
      return Optional.of(new Source(systemProperties.get(name), "system property " + name));
    }
    List<String> envNames = new ArrayList<>();
    envNames.add(key.envName());
    envNames.addAll(key.aliases());
    for (String envName : envNames) {
      String value = environment.get(envName);
      if (isSet(value)) {
        return Optional.of(new Source(value, "environment variable " + envName));
      }
    }
    if (isSet(fileProperties.get(name))) {
      return Optional.of(new Source(fileProperties.get(name), PROPERTIES_RESOURCE + " on the"
          + " classpath"));
    }
    if (isSet(fallbacks.get(name))) {
      return Optional.of(new Source(fallbacks.get(name), "the program's fallback"));
    }
    return Optional.empty();
  }

  /** A blank value counts as unset in every source, so {@code -Dkey=} means "not configured". */
  private static boolean isSet(@Nullable String value) {
    return value != null && !value.isBlank();
  }

  private static Map<String, String> classpathProperties() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = InMemoryConfig.class.getClassLoader();
    }
    try (InputStream in = loader.getResourceAsStream(PROPERTIES_RESOURCE)) {
      if (in == null) {
        return Map.of();
      }
      Properties properties = new Properties();
      properties.load(in);
      return stringProperties(properties);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + PROPERTIES_RESOURCE, e);
    }
  }

  private static Map<String, String> stringProperties(Properties properties) {
    Map<String, String> copy = new HashMap<>();
    for (String name : properties.stringPropertyNames()) {
      copy.put(name, properties.getProperty(name));
    }
    return copy;
  }

  private record Source(String value, String where) {}

  /** Builds an {@link InMemoryConfig}; not thread-safe. */
  public static final class Builder {
    private final Map<String, String> values = new LinkedHashMap<>();
    private @Nullable Map<String, String> systemProperties;
    private @Nullable Map<String, String> environment;
    private boolean classpathProperties = true;

    private Builder() {}

    /** Sets a key by name, overriding every other source. */
    public Builder set(String name, String value) {
      values.put(name, Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Sets a typed key, overriding every other source. */
    public <T> Builder set(ConfigKey<T> key, T value) {
      return set(key.name(), String.valueOf(Objects.requireNonNull(value, "value")));
    }

    /** Reads these instead of the JVM's system properties. */
    public Builder systemProperties(Map<String, String> properties) {
      this.systemProperties = Map.copyOf(properties);
      return this;
    }

    /** Reads these instead of the process environment. */
    public Builder environment(Map<String, String> environment) {
      this.environment = Map.copyOf(environment);
      return this;
    }

    /** Whether to read {@code inmemory.properties} from the classpath (default true). */
    public Builder classpathProperties(boolean read) {
      this.classpathProperties = read;
      return this;
    }

    /**
     * Ignores system properties, environment and {@code inmemory.properties}: only the builder's
     * values and the defaults count. For tests and fully explicit wiring.
     */
    public Builder isolated() {
      return systemProperties(Map.of()).environment(Map.of()).classpathProperties(false);
    }

    public InMemoryConfig build() {
      return new InMemoryConfig(this);
    }
  }
}
