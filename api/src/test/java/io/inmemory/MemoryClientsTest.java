package io.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

/** The api alone has no runtime: selection must fail clearly, never pick silently. */
class MemoryClientsTest {

  @Test
  void theVersionIsTheBuildsNotAPlaceholder() {
    assertThat(MemoryClients.version()).matches("\\d+\\.\\d+\\.\\d+.*")
        .doesNotContain("${");
  }

  @Test
  void withoutARuntimeOnTheClasspathCreationSaysWhatToAdd() {
    InMemoryConfig config = InMemoryConfig.builder().isolated().build();

    assertThatThrownBy(() -> MemoryClients.create(config))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("No InMemory runtime on the classpath")
        .hasMessageContaining("inmemory-engine")
        .hasMessageContaining("inmemory-transport-http");
    assertThatThrownBy(() -> MemoryClients.createAsync(config))
        .isInstanceOf(ConfigurationException.class);
  }

  @Test
  void aConfiguredModeThatIsMissingIsNamed() {
    InMemoryConfig config = InMemoryConfig.builder().isolated().set(InMemoryConfig.MODE, "managed")
        .build();

    assertThatThrownBy(() -> MemoryClients.create(config))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'managed'")
        .hasMessageContaining("the builder");
  }

  @Test
  void anInvalidConfigurationIsReportedBeforeSelection() {
    InMemoryConfig config = InMemoryConfig.builder().isolated()
        .set("inmemory.max-memory-size", "lots").set("inmemory.time-zone", "Nowhere/Land").build();

    ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
        () -> MemoryClients.create(config));

    assertThat(e.problems()).hasSize(2);
  }
}
