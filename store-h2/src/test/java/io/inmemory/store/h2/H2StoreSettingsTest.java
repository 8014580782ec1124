package io.inmemory.store.h2;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.InMemoryConfig;
import io.inmemory.engine.spi.EventSettings;
import org.junit.jupiter.api.Test;

class H2StoreSettingsTest {
  @Test
  void readsTheConfiguredValuesAndTheDefaults() {
    InMemoryConfig config = InMemoryConfig.builder().isolated()
        .set(H2StoreSettings.URL.name(), " jdbc:h2:tcp://db/inmemory ")
        .set(H2StoreSettings.PASSWORD.name(), "pw").build();

    assertThat(H2StoreSettings.from(config))
        .isEqualTo(new H2StoreSettings("jdbc:h2:tcp://db/inmemory", "sa", "pw"));
    assertThat(H2StoreSettings.from(InMemoryConfig.builder().isolated().build()).url())
        .isEqualTo(H2StoreSettings.DEFAULT_URL);
    assertThat(H2StoreSettings.keys()).containsExactly(H2StoreSettings.URL, H2StoreSettings.USER,
        H2StoreSettings.PASSWORD, EventSettings.RECORD);
  }

  @Test
  void neverShowsThePasswordNorOneInTheUrl() {
    H2StoreSettings settings = new H2StoreSettings(
        "jdbc:h2:tcp://db/inmemory;PASSWORD=in-url-secret", "app", "user-secret");

    assertThat(settings.toString()).contains("jdbc:h2:tcp://db/inmemory", "app")
        .doesNotContain("in-url-secret").doesNotContain("user-secret");
  }
}
