package io.inmemory.engine.spi;

import io.inmemory.ConfigKey;
import io.inmemory.InMemoryConfig;
import java.util.List;

/**
 * Creates an {@link Embedder} from configuration; found by {@link java.util.ServiceLoader} through
 * {@code META-INF/services/io.inmemory.engine.spi.EmbedderProvider} and selected by
 * {@code inmemory.embedder}. Needs a public no-argument constructor; stateless and thread-safe.
 */
public interface EmbedderProvider {

  /** The name {@code inmemory.embedder} selects this provider by, such as {@code onnx}. */
  String name();

  /**
   * Creates an embedder.
   *
   * @throws io.inmemory.ConfigurationException when the configuration is invalid
   */
  Embedder create(InMemoryConfig config);

  /**
   * Whether this provider is used only when {@code inmemory.embedder} names it: a provider that
   * sends text over the network returns {@code true}, so that adding its jar never turns it on and
   * never makes the default choice ambiguous. The default is {@code false}.
   */
  default boolean explicitOnly() {
    return false;
  }

  /** The configuration keys this provider reads, for validation and documentation. */
  default List<ConfigKey<?>> configKeys() {
    return List.of();
  }
}
