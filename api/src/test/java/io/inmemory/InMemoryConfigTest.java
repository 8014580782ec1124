package io.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InMemoryConfigTest {

  private static final String KEY = "inmemory.store";

  @TempDir
  Path classpathRoot;

  /** Builds with {@code inmemory.properties} holding {@code properties} on the classpath. */
  private InMemoryConfig withPropertiesFile(String properties, Supplier<InMemoryConfig> build)
      throws IOException {
    Files.writeString(classpathRoot.resolve("inmemory.properties"), properties);
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    try (URLClassLoader loader = new URLClassLoader(
        new URL[] {classpathRoot.toUri().toURL()}, null)) {
      thread.setContextClassLoader(loader);
      return build.get();
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  private InMemoryConfig.Builder sources(Map<String, String> system, Map<String, String> env) {
    return InMemoryConfig.builder().systemProperties(system).environment(env);
  }

  @Test
  void theBuilderWinsOverEverySource() throws IOException {
    InMemoryConfig config = withPropertiesFile(KEY + "=file", () -> sources(
        Map.of(KEY, "sysprop"), Map.of("INMEMORY_STORE", "env")).set(KEY, "builder").build());

    assertThat(config.get(InMemoryConfig.STORE)).isEqualTo("builder");
    assertThat(config.sourceOf(InMemoryConfig.STORE)).isEqualTo("the builder");
  }

  @Test
  void fallbacksApplyOnlyWhereNoSourceSetsAKeyAndBeatDefaults() throws IOException {
    InMemoryConfig base = withPropertiesFile(KEY + "=file", () -> sources(
        Map.of(), Map.of("INMEMORY_MAX_MEMORY_SIZE", "2KB")).build());

    InMemoryConfig config = base.withFallbacks(Map.of(KEY, "fallback",
        "inmemory.max-memory-size", "1KB", "inmemory.embedder", "fallback-embedder"));

    assertThat(config.get(InMemoryConfig.STORE)).isEqualTo("file");
    assertThat(config.get(InMemoryConfig.MAX_MEMORY_SIZE)).isEqualTo(2048L);
    assertThat(config.get(InMemoryConfig.EMBEDDER)).isEqualTo("fallback-embedder");
    assertThat(config.sourceOf(InMemoryConfig.EMBEDDER)).isEqualTo("the program's fallback");
    assertThat(base.find(InMemoryConfig.EMBEDDER)).isEmpty();
    assertThat(InMemoryConfig.builder().isolated().build().withFallbacks(Map.of(
        "inmemory.time-zone", "Europe/Paris")).get(InMemoryConfig.TIME_ZONE))
        .hasToString("Europe/Paris");
  }

  @Test
  void systemPropertiesWinOverEnvironmentAndFile() throws IOException {
    InMemoryConfig config = withPropertiesFile(KEY + "=file", () -> sources(
        Map.of(KEY, "sysprop"), Map.of("INMEMORY_STORE", "env")).build());

    assertThat(config.get(InMemoryConfig.STORE)).isEqualTo("sysprop");
    assertThat(config.sourceOf(InMemoryConfig.STORE)).isEqualTo("system property " + KEY);
  }

  @Test
  void theEnvironmentWinsOverTheFileAndItsOwnNameOverAliases() throws IOException {
    InMemoryConfig config = withPropertiesFile(KEY + "=file", () -> sources(Map.of(),
        Map.of("INMEMORY_STORE", "env", "INMEMORY_STORAGE_TYPE", "alias")).build());

    assertThat(config.get(InMemoryConfig.STORE)).isEqualTo("env");
    assertThat(config.sourceOf(InMemoryConfig.STORE))
        .isEqualTo("environment variable INMEMORY_STORE");
  }

  @Test
  void aliasesAreReadWhenTheMainVariableIsUnsetOrEmpty() {
    InMemoryConfig alias = sources(Map.of(), Map.of("INMEMORY_STORAGE_TYPE", "mongo"))
        .classpathProperties(false).build();
    InMemoryConfig emptyMain = sources(Map.of(),
        Map.of("INMEMORY_STORE", "", "INMEMORY_STORAGE_TYPE", "h2")).classpathProperties(false)
        .build();
    InMemoryConfig apiKey = sources(Map.of(), Map.of("INMEM_API_KEY", "im_secret"))
        .classpathProperties(false).build();

    assertThat(alias.get(InMemoryConfig.STORE)).isEqualTo("mongo");
    assertThat(alias.sourceOf(InMemoryConfig.STORE))
        .isEqualTo("environment variable INMEMORY_STORAGE_TYPE");
    assertThat(emptyMain.get(InMemoryConfig.STORE)).isEqualTo("h2");
    assertThat(apiKey.find(InMemoryConfig.API_KEY)).contains("im_secret");
  }

  @Test
  void thePropertiesFileWinsOverTheDefault() throws IOException {
    InMemoryConfig config = withPropertiesFile(
        "inmemory.max-memory-size=2MB\n# a comment\ninmemory.time-zone=Asia/Tokyo\n",
        () -> sources(Map.of(), Map.of()).build());

    assertThat(config.get(InMemoryConfig.MAX_MEMORY_SIZE)).isEqualTo(2L * 1024 * 1024);
    assertThat(config.get(InMemoryConfig.TIME_ZONE)).isEqualTo(ZoneId.of("Asia/Tokyo"));
    assertThat(config.sourceOf(InMemoryConfig.MAX_MEMORY_SIZE))
        .isEqualTo("inmemory.properties on the classpath");
  }

  @Test
  void thePropertiesFileCanBeIgnored() throws IOException {
    InMemoryConfig config = withPropertiesFile("inmemory.max-memory-size=2MB",
        () -> sources(Map.of(), Map.of()).classpathProperties(false).build());

    assertThat(config.get(InMemoryConfig.MAX_MEMORY_SIZE)).isEqualTo(1024L * 1024);
  }

  @Test
  void defaultsApplyWhenNothingIsSet() {
    InMemoryConfig config = InMemoryConfig.builder().isolated().build();

    assertThat(config.get(InMemoryConfig.MAX_MEMORY_SIZE)).isEqualTo(1024L * 1024);
    assertThat(config.get(InMemoryConfig.TIME_ZONE)).isEqualTo(ZoneId.systemDefault());
    assertThat(config.find(InMemoryConfig.MAX_MEMORY_SIZE)).isEmpty();
    assertThat(config.sourceOf(InMemoryConfig.MAX_MEMORY_SIZE)).isEqualTo("the default");
  }

  @Test
  void isolatedIgnoresTheRealEnvironmentAndSystemProperties() {
    String previous = System.setProperty(KEY, "from-jvm");
    try {
      assertThat(InMemoryConfig.builder().isolated().build().find(InMemoryConfig.STORE)).isEmpty();
      assertThat(InMemoryConfig.builder().environment(Map.of()).classpathProperties(false).build()
          .find(InMemoryConfig.STORE)).contains("from-jvm");
    } finally {
      if (previous == null) {
        System.clearProperty(KEY);
      } else {
        System.setProperty(KEY, previous);
      }
    }
  }

  @Test
  void sourcesAreReadOnceWhenBuilt() {
    String previous = System.setProperty(KEY, "before");
    try {
      InMemoryConfig config = InMemoryConfig.builder().environment(Map.of())
          .classpathProperties(false).build();
      System.setProperty(KEY, "after");

      assertThat(config.get(InMemoryConfig.STORE)).isEqualTo("before");
    } finally {
      if (previous == null) {
        System.clearProperty(KEY);
      } else {
        System.setProperty(KEY, previous);
      }
    }
  }

  @Test
  void typedValuesCanBeSetOnTheBuilder() {
    InMemoryConfig config = InMemoryConfig.builder().isolated()
        .set(InMemoryConfig.MAX_MEMORY_SIZE, 4096L)
        .set(InMemoryConfig.TIME_ZONE, ZoneId.of("Europe/Paris")).build();

    assertThat(config.get(InMemoryConfig.MAX_MEMORY_SIZE)).isEqualTo(4096L);
    assertThat(config.get(InMemoryConfig.TIME_ZONE)).isEqualTo(ZoneId.of("Europe/Paris"));
    assertThatThrownBy(() -> InMemoryConfig.builder().set(KEY, null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void aMissingValueWithoutDefaultSaysWhereToSetIt() {
    InMemoryConfig config = InMemoryConfig.builder().isolated().build();

    assertThatThrownBy(() -> config.get(InMemoryConfig.MODE))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("inmemory.mode")
        .hasMessageContaining("INMEMORY_MODE")
        .hasMessageContaining("inmemory.properties");
  }

  @Test
  void anUnparsableValueNamesTheKeyAndItsSource() {
    InMemoryConfig config = sources(Map.of(), Map.of("INMEMORY_MAX_MEMORY_SIZE", "huge"))
        .classpathProperties(false).build();

    assertThatThrownBy(() -> config.get(InMemoryConfig.MAX_MEMORY_SIZE))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("inmemory.max-memory-size")
        .hasMessageContaining("environment variable INMEMORY_MAX_MEMORY_SIZE")
        .hasMessageContaining("huge");
  }

  @Test
  void validateListsEveryProblemAtOnce() {
    InMemoryConfig config = sources(Map.of("inmemory.time-zone", "Mars/Olympus"),
        Map.of("INMEMORY_MAX_MEMORY_SIZE", "0"))
        .classpathProperties(false).build();

    ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
        config::validate);

    assertThat(e.problems()).hasSize(2);
    assertThat(e.problems().get(0)).startsWith("inmemory.max-memory-size (from environment"
        + " variable INMEMORY_MAX_MEMORY_SIZE)");
    assertThat(e.problems().get(1)).startsWith("inmemory.time-zone (from system property"
        + " inmemory.time-zone)");
    assertThat(e.getMessage()).contains("inmemory.max-memory-size", "inmemory.time-zone");
  }

  @Test
  void validateAcceptsAValidOrEmptyConfiguration() {
    assertThatCode(() -> InMemoryConfig.builder().isolated().build().validate())
        .doesNotThrowAnyException();
    assertThatCode(() -> InMemoryConfig.builder().isolated().set("inmemory.max-memory-size", "1KB")
        .set("unknown.key", "ignored").build().validate()).doesNotThrowAnyException();
  }

  @Test
  void validateChecksTheGivenKeys() {
    ConfigKey<Integer> port = ConfigKey.integer("test.port", 1, 1, 10, "a port");
    InMemoryConfig config = InMemoryConfig.builder().isolated().set("test.port", "11").build();

    assertThatCode(config::validate).doesNotThrowAnyException();
    assertThatThrownBy(() -> config.validate(List.of(port)))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("test.port");
  }

  @Test
  void aKeyListedByTwoProvidersIsReportedOnce() {
    ConfigKey<Integer> port = ConfigKey.integer("test.port", 1, 1, 10, "a port");
    ConfigKey<Integer> samePort = ConfigKey.integer("test.port", 1, 1, 10, "a port");
    InMemoryConfig config = InMemoryConfig.builder().isolated().set("test.port", "11").build();

    ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
        () -> config.validate(List.of(port, samePort, port)));

    assertThat(e.problems()).hasSize(1);
  }

  @Test
  void everyBuiltInKeyIsListed() {
    assertThat(InMemoryConfig.keys()).containsExactly(InMemoryConfig.MODE, InMemoryConfig.STORE,
        InMemoryConfig.EMBEDDER, InMemoryConfig.EXTRACTOR, InMemoryConfig.MAX_MEMORY_SIZE,
        InMemoryConfig.TIME_ZONE, InMemoryConfig.API_KEY);
  }

  @Test
  void credentialsInAUrlNeverReachTheMessageOfAConfigurationProblem() {
    ConfigKey<Integer> port = ConfigKey.integer("inmemory.test.port", 1, 1, 65535, "A port.");
    InMemoryConfig config = InMemoryConfig.builder().isolated()
        .set("inmemory.test.port", "mongodb://admin:s3cr@t@db.example.com:27017/x").build();

    ConfigurationException one = catchThrowableOfType(() -> config.get(port),
        ConfigurationException.class);
    ConfigurationException several = new ConfigurationException(List.of(
        "inmemory.base-url: 'https://bob:pw@h' is wrong", "inmemory.llm.base-url: 'http://k@h/v1'"));
    ConfigurationException withCause = new ConfigurationException(
        "cannot reach jdbc:h2:tcp://sa:pw@localhost/db", new IllegalStateException());

    assertThat(one.getMessage()).contains("mongodb://***@db.example.com:27017/x")
        .doesNotContain("s3cr").doesNotContain("admin");
    assertThat(several.getMessage()).contains("https://***@h", "http://***@h/v1")
        .doesNotContain("bob:pw").doesNotContain("k@h");
    assertThat(several.problems()).allSatisfy(p -> assertThat(p).contains("***@"));
    assertThat(withCause.getMessage()).contains("tcp://***@localhost").doesNotContain("pw");
    assertThat(withCause.problems()).containsExactly(withCause.getMessage());
  }

  @Test
  void aPasswordWrittenWithoutPercentEncodingIsHiddenWhole() {
    ConfigurationException slash = new ConfigurationException("inmemory.base-url: 'https://bob:"
        + "Zm9v/YmFy+@example.com/v1' is not an http or https URL with a host");
    ConfigurationException query = new ConfigurationException(
        "cannot open mongodb://admin:pa?ss#word@db.example.com:27017/x as a MongoDB store");

    assertThat(slash.getMessage()).contains("https://***@example.com/v1'")
        .doesNotContain("bob").doesNotContain("Zm9v").doesNotContain("YmFy");
    assertThat(query.getMessage()).contains("mongodb://***@db.example.com:27017/x as")
        .doesNotContain("admin").doesNotContain("pa?ss").doesNotContain("word");
  }
}
