package io.inmemory.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inmemory.ConfigKey;
import io.inmemory.InMemoryConfig;
import io.inmemory.MemoryClientProvider;
import io.inmemory.engine.spi.EmbedderProvider;
import io.inmemory.engine.spi.ExtractorProvider;
import io.inmemory.engine.spi.StoreProvider;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The IDE metadata the starter ships ({@code META-INF/spring-configuration-metadata.json}) names
 * every key the InMemory modules declare, with its description, type and default: the expected
 * document is derived from the code (every static {@link ConfigKey} field of the api, the
 * runtimes, stores, embedders and extractors on the test class path, every provider's
 * {@code configKeys()}, and the starter's own keys), never from a copy of the list. After a key
 * changes, {@code -Dinmemory.metadata.write=true} rewrites the file from the code.
 */
class ConfigurationMetadataTest {
  private static final String RESOURCE = "META-INF/spring-configuration-metadata.json";
  private static final Path SOURCE = Path.of("src/main/resources", RESOURCE);
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  @Test
  void theShippedMetadataIsValidJsonDescribingEveryDeclaredKey() throws IOException {
    ObjectNode expected = document(declaredKeys());
    if (Boolean.getBoolean("inmemory.metadata.write")) {
      Files.writeString(SOURCE, JSON.writeValueAsString(expected) + "\n");
    }
    JsonNode shipped = shipped();
    assertThat(names(shipped)).as("the keys " + RESOURCE + " names")
        .containsExactlyElementsOf(names(expected));
    assertThat(shipped).as(RESOURCE + " differs from the code; rerun with"
        + " -Dinmemory.metadata.write=true to regenerate it. Expected:%n%s",
        JSON.writeValueAsString(expected)).isEqualTo(expected);
  }

  @Test
  void theDeclaredKeysSpanEveryModuleAndTheStarter() {
    Set<String> names = declaredKeys().keySet();
    // one key of each module, so that a scan that lost a module fails here
    assertThat(names).contains(InMemoryConfig.MODE.name(), "inmemory.max-filter-nodes",
        "inmemory.retrieval.mode", "inmemory.embedder.query-cache-size", "inmemory.base-url",
        "inmemory.store.file.dir", "inmemory.store.h2.url", "inmemory.store.mongo.uri",
        "inmemory.embedder.model", "inmemory.llm.model", "inmemory.embedder.openai.model",
        SpringAiSettings.ADVISOR_LIMIT.name());
    // the server's keys configure the server, not a client
    assertThat(names).doesNotContain("inmemory.port", "inmemory.admin-key");
  }

  @Test
  void everyShippedDefaultIsAValueItsKeyAccepts() throws IOException {
    Map<String, Declared> keys = declaredKeys();
    int defaults = 0;
    for (JsonNode property : shipped().path("properties")) {
      if (property.has("defaultValue")) {
        ConfigKey<?> key = keys.get(property.path("name").asText()).key();
        assertThat((Object) key.parse(property.path("defaultValue").asText())).as(key.name())
            .isEqualTo(key.defaultValue().orElseThrow());
        defaults++;
      }
    }
    assertThat(defaults).as("keys shipped with a default").isGreaterThan(keys.size() / 2);
  }

  private static JsonNode shipped() throws IOException {
    try (InputStream in = ConfigurationMetadataTest.class.getClassLoader()
        .getResourceAsStream(RESOURCE)) {
      assertThat(in).as(RESOURCE + " on the class path").isNotNull();
      return JSON.readTree(in);
    }
  }

  /** A key and the type argument of the field declaring it, when a field does. */
  private record Declared(ConfigKey<?> key, Type type) {}

  /** Every key the modules on the class path declare, by name. */
  static Map<String, Declared> declaredKeys() {
    Map<String, Declared> keys = new TreeMap<>();
    for (Class<?> anchor : moduleAnchors()) {
      for (Class<?> type : classesBeside(anchor)) {
        for (Field field : type.getDeclaredFields()) {
          if (Modifier.isStatic(field.getModifiers()) && field.getType() == ConfigKey.class) {
            field.setAccessible(true);
            ConfigKey<?> key = (ConfigKey<?>) get(field);
            Type argument = ((ParameterizedType) field.getGenericType())
                .getActualTypeArguments()[0];
            keys.merge(key.name(), new Declared(key, argument), (a, b) -> a);
          }
        }
      }
    }
    for (ConfigKey<?> key : providerKeys()) {
      keys.putIfAbsent(key.name(), new Declared(key, Object.class));
    }
    return keys;
  }

  /** The api, each runtime and provider found by ServiceLoader, and the starter. */
  private static Set<Class<?>> moduleAnchors() {
    Set<Class<?>> anchors = new java.util.LinkedHashSet<>();
    anchors.add(InMemoryConfig.class);
    anchors.add(SpringAiSettings.class);
    for (Class<?> service : List.of(MemoryClientProvider.class, StoreProvider.class,
        EmbedderProvider.class, ExtractorProvider.class)) {
      ServiceLoader.load(service).stream().map(ServiceLoader.Provider::type)
          .forEach(anchors::add);
    }
    return anchors;
  }

  private static List<ConfigKey<?>> providerKeys() {
    List<ConfigKey<?>> keys = new ArrayList<>();
    ServiceLoader.load(StoreProvider.class).forEach(p -> keys.addAll(p.configKeys()));
    ServiceLoader.load(EmbedderProvider.class).forEach(p -> keys.addAll(p.configKeys()));
    ServiceLoader.load(ExtractorProvider.class).forEach(p -> keys.addAll(p.configKeys()));
    // MemoryClientProvider has no configKeys() of its own; the managed runtime's declares one
    for (MemoryClientProvider provider : ServiceLoader.load(MemoryClientProvider.class)) {
      try {
        Method method = provider.getClass().getMethod("configKeys");
        for (Object key : (Collection<?>) method.invoke(provider)) {
          keys.add((ConfigKey<?>) key);
        }
      } catch (NoSuchMethodException e) {
        // a runtime whose keys are all static fields
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
    }
    return keys;
  }

  /** Every class compiled into the same jar or directory as {@code anchor}. */
  private static List<Class<?>> classesBeside(Class<?> anchor) {
    Path root;
    try {
      root = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
    List<String> names = new ArrayList<>();
    try {
      if (Files.isDirectory(root)) {
        try (Stream<Path> files = Files.walk(root)) {
          files.map(root::relativize).map(Path::toString).forEach(names::add);
        }
      } else {
        try (JarFile jar = new JarFile(root.toFile())) {
          jar.stream().map(entry -> entry.getName()).forEach(names::add);
        }
      }
    } catch (IOException e) {
      throw new AssertionError("cannot list " + root, e);
    }
    List<Class<?>> classes = new ArrayList<>();
    for (String name : names) {
      if (name.endsWith(".class") && !name.endsWith("module-info.class")) {
        String className = name.substring(0, name.length() - 6).replace('/', '.')
            .replace('\\', '.');
        try {
          classes.add(Class.forName(className, false, anchor.getClassLoader()));
        } catch (ClassNotFoundException e) {
          throw new AssertionError(e);
        }
      }
    }
    return classes;
  }

  private static Object get(Field field) {
    try {
      return field.get(null);
    } catch (IllegalAccessException e) {
      throw new AssertionError(e);
    }
  }

  /** The metadata document: one property per key, hints for the keys taking names. */
  static ObjectNode document(Map<String, Declared> keys) {
    ObjectNode document = JSON.createObjectNode();
    document.putArray("groups").addObject().put("name", "inmemory")
        .put("description", "InMemory: long-term memory for AI agents (every key is also read"
            + " from system properties, environment variables and inmemory.properties).");
    ArrayNode properties = document.putArray("properties");
    ArrayNode hints = document.putArray("hints");
    for (Declared declared : keys.values()) {
      ConfigKey<?> key = declared.key();
      ObjectNode property = properties.addObject().put("name", key.name())
          .put("type", springType(declared))
          .put("description", key.description());
      defaultText(key).ifPresent(text -> property.put("defaultValue", text));
      List<String> values = providerNames().getOrDefault(key.name(), names(declared));
      if (!values.isEmpty()) {
        ArrayNode hintValues = hints.addObject().put("name", key.name()).putArray("values");
        values.forEach(value -> hintValues.addObject().put("value", value));
      }
    }
    return document;
  }

  /** Numbers and booleans keep their type; sizes, durations, names and paths are text. */
  private static String springType(Declared declared) {
    Type type = declared.type() != Object.class ? declared.type()
        : declared.key().defaultValue().<Type>map(Object::getClass).orElse(String.class);
    return type == Integer.class || type == Double.class || type == Boolean.class
        ? ((Class<?>) type).getName() : String.class.getName();
  }

  /**
   * The default as a user writes it; none for a default that depends on the machine (a path under
   * the home directory, the JVM's time zone) or has no text form the key reads back (the
   * description states those).
   */
  private static Optional<String> defaultText(ConfigKey<?> key) {
    return key.defaultValue().flatMap(value -> {
      if (value instanceof Path || value instanceof java.time.ZoneId) {
        return Optional.empty();
      }
      if (value instanceof Enum<?> constant) {
        return spelling(key, constant);
      }
      String text = value instanceof Duration duration
          ? (duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s"
              : duration.toMillis() + "ms")
          : String.valueOf(value);
      return readsBack(key, text, value) ? Optional.of(text) : Optional.empty();
    });
  }

  private static boolean readsBack(ConfigKey<?> key, String text, Object value) {
    try {
      return Objects.equals(key.parse(text), value);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The keys that choose a provider by name, and the names of those on the class path. */
  private static Map<String, List<String>> providerNames() {
    return Map.of(
        InMemoryConfig.MODE.name(), sortedNames(MemoryClientProvider.class,
            MemoryClientProvider::name),
        InMemoryConfig.STORE.name(), sortedNames(StoreProvider.class, StoreProvider::name),
        InMemoryConfig.EMBEDDER.name(), sortedNames(EmbedderProvider.class,
            EmbedderProvider::name),
        InMemoryConfig.EXTRACTOR.name(), sortedNames(ExtractorProvider.class,
            ExtractorProvider::name));
  }

  private static <P> List<String> sortedNames(Class<P> service,
      java.util.function.Function<P, String> name) {
    Set<String> names = new TreeSet<>();
    ServiceLoader.load(service).forEach(provider -> names.add(name.apply(provider)));
    return List.copyOf(names);
  }

  /** The names a key taking an enum's constants accepts, as the key spells them. */
  private static List<String> names(Declared declared) {
    Class<?> type = declared.type() instanceof Class<?> c ? c
        : declared.key().defaultValue().<Class<?>>map(Object::getClass).orElse(Object.class);
    if (!type.isEnum()) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    for (Object constant : type.getEnumConstants()) {
      spelling(declared.key(), (Enum<?>) constant).ifPresent(names::add);
    }
    return names;
  }

  /** The lower-case spelling of {@code constant} that {@code key} parses back to it. */
  private static Optional<String> spelling(ConfigKey<?> key, Enum<?> constant) {
    String lower = constant.name().toLowerCase(Locale.ROOT);
    return Stream.of(lower, lower.replace('_', '-'))
        .filter(candidate -> readsBack(key, candidate, constant)).findFirst();
  }

  private static List<String> names(JsonNode document) {
    Set<String> names = new TreeSet<>();
    document.path("properties").forEach(property -> names.add(property.path("name").asText()));
    return List.copyOf(names);
  }
}
