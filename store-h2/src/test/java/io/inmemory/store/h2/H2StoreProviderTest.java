package io.inmemory.store.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.ConfigurationException;
import io.inmemory.InMemoryConfig;
import io.inmemory.StorageException;
import io.inmemory.engine.Memory;
import io.inmemory.engine.spi.ChangeFeedSettings;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.StoreProvider;
import io.inmemory.engine.tck.HashingEmbedder;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2StoreProviderTest {
  @TempDir
  Path temp;

  private InMemoryConfig.Builder config(Path dir) {
    return InMemoryConfig.builder().isolated()
        .set(InMemoryConfig.STORE.name(), H2StoreProvider.NAME)
        .set(H2StoreSettings.URL.name(), "jdbc:h2:file:" + dir.resolve("inmemory"));
  }

  @Test
  void isFoundByServiceLoaderUnderItsName() {
    List<String> names = ServiceLoader.load(StoreProvider.class).stream()
        .map(provider -> provider.get().name()).toList();

    assertThat(names).contains("h2");
  }

  @Test
  void declaresItsKeysWithAnEmbeddedDatabaseInTheHomeDirectoryAsDefault() {
    assertThat(new H2StoreProvider().configKeys()).extracting(key -> key.name())
        .containsExactly("inmemory.store.h2.url", "inmemory.store.h2.user",
            "inmemory.store.h2.password", "inmemory.events.record",
            "inmemory.cluster.feed-retention",
            "inmemory.cluster.pending-timeout");
    assertThat(H2StoreSettings.URL.defaultValue())
        .contains("jdbc:h2:file:~/.inmemory/h2/inmemory");
    assertThat(H2StoreSettings.USER.defaultValue()).contains("sa");
    assertThat(H2StoreSettings.PASSWORD.defaultValue()).contains("");
  }

  @Test
  void theEngineSelectsItByNameAndUsesTheConfiguredDatabase() {
    Path dir = temp.resolve("selected");
    try (Memory memory = new Memory(config(dir).build())) {
      memory.add("stored in H2", "alice");
      assertThat(memory.healthCheck().components().get("store").detail())
          .contains("H2 store jdbc:h2:file:" + dir.resolve("inmemory"));
    }
    assertThat(dir.resolve("inmemory.mv.db")).isNotEmptyFile();
  }

  @Test
  void opensWithTheConfiguredUserAndPasswordWithoutShowingThePassword() {
    Path dir = temp.resolve("secured");
    InMemoryConfig owner = config(dir).set(H2StoreSettings.USER.name(), "owner")
        .set(H2StoreSettings.PASSWORD.name(), "s3cret-pw").build();
    try (MemoryStore store = new H2StoreProvider().open(owner)) {
      store.insert(List.of(), List.of());
      assertThat(store.describe()).doesNotContain("s3cret-pw");
    }

    InMemoryConfig wrong = config(dir).set(H2StoreSettings.USER.name(), "owner")
        .set(H2StoreSettings.PASSWORD.name(), "not-it").build();
    assertThatThrownBy(() -> new H2StoreProvider().open(wrong))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining(dir.resolve("inmemory").toString())
        .hasMessageContaining("password")
        .hasMessageNotContaining("not-it");
  }

  @Test
  void aUrlOfAnotherDatabaseIsAConfigurationErrorNamingTheKey() {
    InMemoryConfig config = InMemoryConfig.builder().isolated()
        .set(InMemoryConfig.STORE.name(), H2StoreProvider.NAME)
        .set(H2StoreSettings.URL.name(), "jdbc:postgresql://db/memories?password=hunter2")
        .build();

    assertThatThrownBy(() -> new H2StoreProvider().open(config))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("inmemory.store.h2.url")
        .hasMessageContaining("jdbc:h2:")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> Memory.builder().config(config).embedder(new HashingEmbedder())
        .build()).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("inmemory.store.h2.url");
  }

  @Test
  void readsTheFeedRetentionAndRefusesOneOutOfRange() {
    InMemoryConfig config = config(temp.resolve("retention"))
        .set(ChangeFeedSettings.RETENTION.name(), "500ms").build();

    assertThatThrownBy(() -> new H2StoreProvider().open(config))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("inmemory.cluster.feed-retention");
  }

  @Test
  void theBuilderRejectsANonH2UrlToo() {
    assertThatThrownBy(() -> H2MemoryStore.builder().url("jdbc:sqlite:memories.db").open())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("inmemory.store.h2.url")
        .hasMessageContaining("jdbc:h2:tcp://");
  }
}
