package io.inmemory.store.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.InMemoryConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FileStoreSettingsTest {
  @Test
  void readsTheConfiguredValuesAndTheDefaults() {
    Path dir = Path.of("/var/lib/memories");
    InMemoryConfig config = InMemoryConfig.builder().isolated()
        .set(FileStoreSettings.DIR.name(), dir.toString())
        .set(FileStoreSettings.SYNC.name(), "periodic").build();

    assertThat(FileStoreSettings.from(config)).isEqualTo(new FileStoreSettings(dir,
        SyncMode.PERIODIC, FileStoreSettings.DEFAULT_SYNC_INTERVAL,
        FileStoreSettings.DEFAULT_COMPACTION_LOG_SIZE));
  }

  @Test
  void refusesWhatTheBuilderRefusesWithTheSameMessages() {
    Path dir = Path.of("/var/lib/memories");

    assertThatThrownBy(() -> new FileStoreSettings(dir, SyncMode.ALWAYS, Duration.ZERO, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the sync interval must be at least 1 ms, was PT0S");
    assertThatThrownBy(() -> FileMemoryStore.builder(dir).syncInterval(Duration.ZERO))
        .hasMessage("the sync interval must be at least 1 ms, was PT0S");
    assertThatThrownBy(() -> new FileStoreSettings(dir, SyncMode.ALWAYS, Duration.ofSeconds(1), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the compaction log size must be positive, was 0");
  }
}
