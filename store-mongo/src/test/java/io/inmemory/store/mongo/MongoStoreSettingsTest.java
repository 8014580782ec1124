package io.inmemory.store.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.ConnectionString;
import io.inmemory.InMemoryConfig;
import org.junit.jupiter.api.Test;

class MongoStoreSettingsTest {
  private static InMemoryConfig.Builder uri(String uri) {
    return InMemoryConfig.builder().isolated().set(MongoStoreSettings.URI.name(), uri);
  }

  @Test
  void theDatabaseIsTheKeysElseTheUrisElseTheDefault() {
    assertThat(MongoStoreSettings.from(uri("mongodb://db/named").build()).database())
        .isEqualTo("named");
    assertThat(MongoStoreSettings.from(uri("mongodb://db/").build()).database())
        .isEqualTo(MongoStoreSettings.DEFAULT_DATABASE);
    assertThat(MongoStoreSettings.from(uri("mongodb://db/named")
        .set(MongoStoreSettings.DATABASE.name(), "chosen").build()).database())
        .isEqualTo("chosen");
    assertThat(MongoStoreSettings.from(uri("mongodb://db").build()).writeConcern())
        .isEqualTo(MongoStoreSettings.DEFAULT_WRITE_CONCERN);
  }

  @Test
  void neverShowsTheCredentials() {
    MongoStoreSettings settings = new MongoStoreSettings(
        new ConnectionString("mongodb://alice:s3cret-pw@db.example:27017/x"), "x",
        MongoStoreSettings.DEFAULT_WRITE_CONCERN);

    assertThat(settings.toString()).contains("db.example:27017")
        .doesNotContain("s3cret-pw").doesNotContain("alice");
  }

  @Test
  void neverShowsAPasswordWrittenWithoutPercentEncoding() {
    String uri = "mongodb://alice:Zm9v/YmFy?x#y@db.example:27017/x";
    String shown;
    try {
      shown = new MongoStoreSettings(ConnectionStrings.parse(uri), "x",
          MongoStoreSettings.DEFAULT_WRITE_CONCERN).toString();
    } catch (IllegalArgumentException e) {
      shown = e.getMessage();
    }

    assertThat(shown).contains("db.example:27017").doesNotContain("alice")
        .doesNotContain("Zm9v").doesNotContain("YmFy");
    assertThat(ConnectionStrings.mask(uri, "cannot reach " + uri)).isEqualTo(
        "cannot reach mongodb://***@db.example:27017/x");
  }
}
