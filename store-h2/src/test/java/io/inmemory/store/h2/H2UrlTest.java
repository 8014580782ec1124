package io.inmemory.store.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.ConfigurationException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class H2UrlTest {
  @Test
  void addsTheDurableSettingsToFileAndServerUrls() {
    assertThat(H2Url.of("jdbc:h2:file:/data/inmemory").url())
        .isEqualTo("jdbc:h2:file:/data/inmemory;WRITE_DELAY=0;LOCK_TIMEOUT=10000");
    assertThat(H2Url.of("jdbc:h2:tcp://db:9092/inmemory;IFEXISTS=TRUE").url())
        .isEqualTo("jdbc:h2:tcp://db:9092/inmemory;IFEXISTS=TRUE;WRITE_DELAY=0;LOCK_TIMEOUT=10000");
  }

  @Test
  void keepsSettingsTheUrlAlreadyHas() {
    assertThat(H2Url.of("jdbc:h2:file:/data/inmemory;write_delay=200;LOCK_TIMEOUT=50").url())
        .isEqualTo("jdbc:h2:file:/data/inmemory;write_delay=200;LOCK_TIMEOUT=50");
  }

  @Test
  void isSharedThroughAServerOrAutoServerOnly() {
    assertThat(H2Url.of("jdbc:h2:tcp://db:9092/inmemory").shared()).isTrue();
    assertThat(H2Url.of("jdbc:h2:ssl://db/inmemory").shared()).isTrue();
    assertThat(H2Url.of("jdbc:h2:file:/data/inmemory;auto_server = true").shared()).isTrue();
    assertThat(H2Url.of("jdbc:h2:file:/data/inmemory;AUTO_SERVER=FALSE").shared()).isFalse();
    assertThat(H2Url.of("jdbc:h2:file:/data/inmemory;AUTO_SERVER_PORT=9090").shared()).isFalse();
    assertThat(H2Url.of("jdbc:h2:file:/data/inmemory").shared()).isFalse();
    assertThat(H2Url.of("jdbc:h2:mem:scratch").shared()).isFalse();
  }

  @Test
  void leavesInMemoryDatabasesAloneAndSaysTheyAreNotDurable() {
    H2Url url = H2Url.of("jdbc:h2:mem:scratch");

    assertThat(url.url()).isEqualTo("jdbc:h2:mem:scratch");
    assertThat(url.inMemory()).isTrue();
    try (H2MemoryStore store = H2MemoryStore.builder().url("jdbc:h2:mem:scratch").open()) {
      assertThat(store.describe()).contains("not durable");
    }
  }

  @Test
  void refusesFileEncryptionForEmbeddedDatabasesOnly() {
    assertThatThrownBy(() -> H2Url.of("jdbc:h2:file:/data/inmemory;CIPHER=AES;PASSWORD=s3cret x"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(H2StoreSettings.URL.name())
        .hasMessageContaining("CIPHER")
        .hasMessageContaining("PASSWORD=***")
        .hasMessageNotContaining("s3cret");
    assertThat(H2Url.of("jdbc:h2:tcp://db/inmemory;CIPHER=AES").server()).isTrue();
  }

  @Test
  void masksPasswordsInWhatItShows() {
    H2Url url = H2Url.of("jdbc:h2:tcp://db/inmemory;USER=app;PASSWORD=hunter2;IFEXISTS=TRUE");

    assertThat(url.shown()).isEqualTo("jdbc:h2:tcp://db/inmemory;USER=app;PASSWORD=***"
        + ";IFEXISTS=TRUE;WRITE_DELAY=0;LOCK_TIMEOUT=10000");
    assertThat(url.server()).isTrue();
  }

  @Test
  void aDirectoryNamesTheEmbeddedDatabaseInIt() {
    Path dir = Path.of("/var/lib/app");

    assertThat(H2Url.inDirectory(dir).url()).startsWith("jdbc:h2:file:"
        + dir.toAbsolutePath().resolve("inmemory") + ";WRITE_DELAY=0");
    assertThatThrownBy(() -> H2Url.inDirectory(Path.of("/var/lib/a;b")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("';'");
  }

  @Test
  void theDirectoryOfAnEmbeddedFileDatabaseIsKnownOthersAreLeftToH2() {
    Path home = Path.of(System.getProperty("user.home"));
    Path here = Path.of("").toAbsolutePath();

    assertThat(H2Url.of("jdbc:h2:file:/var/lib/app/db;AUTO_SERVER=TRUE").embeddedDirectory())
        .contains(Path.of("/var/lib/app"));
    assertThat(H2Url.of("jdbc:h2:/var/lib/app/db").embeddedDirectory())
        .contains(Path.of("/var/lib/app"));
    assertThat(H2Url.of("jdbc:h2:file:~/.inmemory/h2/inmemory").embeddedDirectory())
        .contains(home.resolve(".inmemory/h2"));
    assertThat(H2Url.of("jdbc:h2:./data/db").embeddedDirectory())
        .contains(here.resolve("data"));
    for (String other : new String[] {"jdbc:h2:mem:x", "jdbc:h2:tcp://db:9092/x",
        "jdbc:h2:ssl://db/x", "jdbc:h2:nio:/var/x", "jdbc:h2:split:/var/x", "jdbc:h2:db"}) {
      assertThat(H2Url.of(other).embeddedDirectory()).as(other).isEmpty();
    }
  }
}
