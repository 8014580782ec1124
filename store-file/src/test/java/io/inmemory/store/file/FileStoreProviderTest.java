package io.inmemory.store.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.ConfigurationException;
import io.inmemory.InMemoryConfig;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.StoreProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStoreProviderTest {
  @TempDir
  Path temp;

  @Test
  void isFoundByServiceLoaderUnderItsName() {
    List<String> names = ServiceLoader.load(StoreProvider.class).stream()
        .map(provider -> provider.get().name()).toList();

    assertThat(names).contains(FileStoreProvider.NAME);
    assertThat(FileStoreProvider.NAME).isEqualTo("file");
  }

  @Test
  void declaresItsKeysWithTheHomeDirectoryAsDefault() {
    assertThat(new FileStoreProvider().configKeys()).extracting(key -> key.name())
        .containsExactly("inmemory.store.file.dir", "inmemory.store.file.sync",
            "inmemory.store.file.sync-interval-ms", "inmemory.store.file.compaction-log-size",
            "inmemory.events.record");
    assertThat(FileStoreSettings.DIR.defaultValue())
        .contains(Path.of(System.getProperty("user.home"), ".inmemory"));
    assertThat(FileStoreSettings.DIR.parse("~/memories"))
        .isEqualTo(Path.of(System.getProperty("user.home"), "memories"));
    assertThat(FileStoreSettings.SYNC.defaultValue()).contains(SyncMode.ALWAYS);
  }

  @Test
  void opensTheConfiguredDirectoryWithTheConfiguredSyncMode() {
    Path dir = temp.resolve("configured");
    InMemoryConfig config = InMemoryConfig.builder().isolated()
        .set(FileStoreSettings.DIR.name(), dir.toString())
        .set(FileStoreSettings.SYNC.name(), "Periodic")
        .set(FileStoreSettings.SYNC_INTERVAL_MS.name(), "50")
        .build();

    try (MemoryStore store = new FileStoreProvider().open(config)) {
      store.insert(List.of(StoreFiles.memory("configured")), List.of());
      assertThat(store.describe()).contains(dir.toAbsolutePath().toString(), "sync periodic");
    }
    assertThat(dir.resolve("memories-0.log")).exists();
  }

  @Test
  void anUnknownSyncModeIsAConfigurationErrorListingTheModes() {
    InMemoryConfig config = InMemoryConfig.builder().isolated()
        .set(FileStoreSettings.DIR.name(), temp.toString())
        .set(FileStoreSettings.SYNC.name(), "sometimes")
        .build();

    assertThatThrownBy(() -> new FileStoreProvider().open(config))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("inmemory.store.file.sync")
        .hasMessageContaining("always, periodic, never");
  }
}
