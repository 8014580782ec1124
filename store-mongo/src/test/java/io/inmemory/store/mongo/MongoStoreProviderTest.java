package io.inmemory.store.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.inmemory.ConfigKey;
import io.inmemory.ConfigurationException;
import io.inmemory.InMemoryConfig;
import io.inmemory.StorageException;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.StoreProvider;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class MongoStoreProviderTest {

  @Test
  void isFoundByServiceLoaderUnderItsName() {
    List<String> names = ServiceLoader.load(StoreProvider.class).stream()
        .map(provider -> provider.get().name()).toList();

    assertThat(names).contains("mongo");
  }

  @Test
  void declaresItsKeysWithTheEnvironmentAliasAndMajorityByDefault() {
    assertThat(new MongoStoreProvider().configKeys()).extracting(ConfigKey::name)
        .containsExactly("inmemory.store.mongo.uri", "inmemory.store.mongo.database",
            "inmemory.store.mongo.write-concern", "inmemory.store.mongo.change-feed",
            "inmemory.cluster.feed-retention", "inmemory.cluster.pending-timeout",
            "inmemory.events.record");
    assertThat(MongoStoreSettings.URI.aliases()).containsExactly("INMEMORY_MONGODB_URI");
    assertThat(MongoStoreSettings.URI.defaultValue()).isEmpty();
    assertThat(MongoMemoryStore.describe(MongoStoreSettings.WRITE_CONCERN.defaultValue()
        .orElseThrow())).isEqualTo("majority, journaled");
  }

  @Test
  void readsTheUriFromTheEnvironmentAliasAndTheDatabaseFromTheUri() {
    String database = MongoFixture.newDatabase();
    InMemoryConfig config = InMemoryConfig.builder().isolated()
        .environment(Map.of("INMEMORY_MONGODB_URI", MongoFixture.uri(database)))
        .set(MongoStoreSettings.WRITE_CONCERN.name(), "W1")
        .build();

    try (MemoryStore store = new MongoStoreProvider().open(config)) {
      store.ping();
      assertThat(store.describe()).contains("'" + database + "'", "w1, journaled");
    }
  }

  @Test
  void theDatabaseKeyOverridesTheUris() {
    String database = MongoFixture.newDatabase();
    InMemoryConfig config = InMemoryConfig.builder().isolated()
        .set(MongoStoreSettings.URI.name(), MongoFixture.uri("ignored"))
        .set(MongoStoreSettings.DATABASE.name(), database)
        .build();

    try (MemoryStore store = new MongoStoreProvider().open(config)) {
      assertThat(store.describe()).contains("'" + database + "'", "majority");
    }
  }

  @Test
  void theChangeFeedKeysReachTheStore() {
    InMemoryConfig config = InMemoryConfig.builder().isolated()
        .set(MongoStoreSettings.URI.name(), MongoFixture.uri())
        .set(MongoStoreSettings.DATABASE.name(), MongoFixture.newDatabase())
        .set("inmemory.store.mongo.change-feed", "log")
        .set("inmemory.cluster.pending-timeout", "2s")
        .build();

    try (MemoryStore store = new MongoStoreProvider().open(config)) {
      assertThat(store.describe()).endsWith("change feed log");
      assertThat(((MongoMemoryStore) store).changeLog().pendingTimeout())
          .isEqualTo(Duration.ofSeconds(2));
    }
    assumeTrue(MongoFixture.standIn(), "the stand-in is standalone");
    InMemoryConfig streams = InMemoryConfig.builder().isolated()
        .set(MongoStoreSettings.URI.name(), MongoFixture.uri())
        .set(MongoStoreSettings.DATABASE.name(), MongoFixture.newDatabase())
        .set("inmemory.store.mongo.change-feed", "change-stream")
        .build();
    assertThatThrownBy(() -> new MongoStoreProvider().open(streams))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("inmemory.store.mongo.change-feed is change-stream");
  }

  @Test
  void aMissingUriNamesTheKeyAndTheEnvironmentVariable() {
    InMemoryConfig config = InMemoryConfig.builder().isolated().build();

    assertThatThrownBy(() -> new MongoStoreProvider().open(config))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("inmemory.store.mongo.uri")
        .hasMessageContaining("INMEMORY_MONGODB_URI");
  }

  @Test
  void aMalformedUriIsAConfigurationErrorThatHidesThePassword() {
    InMemoryConfig config = InMemoryConfig.builder().isolated()
        .set(MongoStoreSettings.URI.name(), "mongodb://alice:s3cret-pw@db.example:notaport/x")
        .build();

    assertThatThrownBy(() -> new MongoStoreProvider().open(config))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("inmemory.store.mongo.uri")
        .hasMessageContaining("not a MongoDB connection string")
        .hasMessageNotContaining("s3cret-pw");
  }

  @Test
  void anUnknownWriteConcernIsAConfigurationErrorListingTheChoices() {
    InMemoryConfig config = InMemoryConfig.builder().isolated()
        .set(MongoStoreSettings.URI.name(), MongoFixture.uri())
        .set(MongoStoreSettings.WRITE_CONCERN.name(), "sometimes")
        .build();

    assertThatThrownBy(() -> new MongoStoreProvider().open(config))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("inmemory.store.mongo.write-concern")
        .hasMessageContaining("majority");
  }
}
