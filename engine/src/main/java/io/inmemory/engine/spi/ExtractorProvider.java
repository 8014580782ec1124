package io.inmemory.engine.spi;

import io.inmemory.ConfigKey;
import io.inmemory.InMemoryConfig;
import java.util.List;

/**
 * Creates an {@link Extractor} from configuration; found by {@link java.util.ServiceLoader} through
 * {@code META-INF/services/io.inmemory.engine.spi.ExtractorProvider} and used only when
 * {@code inmemory.extractor} names it: a model is never called by default. Needs a public
 * no-argument constructor; stateless and thread-safe.
 */
public interface ExtractorProvider {

  /** The name {@code inmemory.extractor} selects this provider by, such as {@code openai}. */
  String name();

  /**
   * Creates an extractor.
   *
   * @throws io.inmemory.ConfigurationException when the configuration is invalid
   */
  Extractor create(InMemoryConfig config);

  /** The configuration keys this provider reads, for validation and documentation. */
  default List<ConfigKey<?>> configKeys() {
    return List.of();
  }
}
