package io.inmemory.transport.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.AsyncMemoryClient;
import io.inmemory.ConfigurationException;
import io.inmemory.InMemoryConfig;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryClientProvider;
import io.inmemory.MemoryClients;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;

/**
 * With the engine's provider and this one on the classpath (the engine is stood in for by
 * {@link FakeLocalProvider}, registered in test resources), {@code inmemory.mode} decides.
 */
class ProviderSelectionTest {

  private static InMemoryConfig config(String mode) {
    InMemoryConfig.Builder builder = InMemoryConfig.builder().isolated()
        .set("inmemory.api-key", "im_k");
    return mode == null ? builder.build() : builder.set("inmemory.mode", mode).build();
  }

  @Test
  void managedModeBuildsTheHttpClients() {
    try (MemoryClient client = MemoryClients.create(config("managed"));
        AsyncMemoryClient async = MemoryClients.createAsync(config("managed"))) {
      assertThat(client).isInstanceOf(Inmry.class);
      assertThat(async).isInstanceOf(AsyncInmry.class);
    }
  }

  @Test
  void localModeBuildsTheOtherRuntime() {
    try (MemoryClient client = MemoryClients.create(config("local"))) {
      assertThat(Proxy.isProxyClass(client.getClass())).isTrue();
    }
  }

  @Test
  void withoutAModeBothCandidatesAndTheKeyAreNamed() {
    assertThatThrownBy(() -> MemoryClients.create(config(null)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'managed' (" + ManagedMemoryClientProvider.class.getName() + ")")
        .hasMessageContaining("'local'")
        .hasMessageContaining("inmemory.mode");
  }

  @Test
  void theManagedProviderCarriesTheMissingKeyError() {
    InMemoryConfig noKey = InMemoryConfig.builder().isolated().set("inmemory.mode", "managed")
        .build();
    assertThatThrownBy(() -> MemoryClients.create(noKey))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("INMEM_API_KEY");
  }

  /** Stands in for the engine's {@code local} provider. */
  public static final class FakeLocalProvider implements MemoryClientProvider {
    @Override
    public String name() {
      return "local";
    }

    @Override
    public MemoryClient create(InMemoryConfig config) {
      return (MemoryClient) Proxy.newProxyInstance(getClass().getClassLoader(),
          new Class<?>[] {MemoryClient.class}, (proxy, method, args) -> null);
    }

    @Override
    public AsyncMemoryClient createAsync(InMemoryConfig config) {
      throw new UnsupportedOperationException("not needed");
    }
  }
}
