package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.ConfigurationException;
import io.inmemory.InMemoryConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookSettingsTest {
  private static WebhookSettings of(Map<String, String> values) {
    InMemoryConfig.Builder config = InMemoryConfig.builder().isolated();
    values.forEach(config::set);
    return WebhookSettings.from(config.build());
  }

  @Test
  void defaultsAreThePlans() {
    WebhookSettings settings = of(Map.of());
    assertThat(settings.enabled()).isTrue();
    assertThat(settings.allowedNetworks()).isEmpty();
    assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(15));
    assertThat(settings.backoff().base()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.backoff().max()).isEqualTo(Duration.ofHours(4));
    assertThat(settings.backoff().maxAttempts()).isEqualTo(15);
    assertThat(settings.poll()).isEqualTo(Duration.ofMillis(500));
    assertThat(settings.lease()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.concurrency()).isEqualTo(8);
    assertThat(settings.retention()).isEqualTo(Duration.ofDays(7));
    assertThat(settings.perProject()).isEqualTo(20);
    assertThat(WebhookSettings.ALLOWED_NETWORKS.envName())
        .isEqualTo("INMEMORY_WEBHOOK_ALLOWED_NETWORKS");
    assertThat(WebhookSettings.ENABLED.envName()).isEqualTo("INMEMORY_WEBHOOKS_ENABLED");
  }

  @Test
  void readsEveryKey() {
    WebhookSettings settings = of(Map.of("inmemory.webhooks.enabled", "false",
        "inmemory.webhook.allowed-networks", "127.0.0.0/8, fd00::/8",
        "inmemory.webhook.backoff-base-ms", "20", "inmemory.webhook.backoff-max-seconds", "1",
        "inmemory.webhook.max-attempts", "3", "inmemory.webhook.poll-ms", "50"));
    assertThat(settings.enabled()).isFalse();
    assertThat(settings.allowedNetworks()).map(Cidr::toString)
        .containsExactly("127.0.0.0/8", "fd00:0:0:0:0:0:0:0/8");
    assertThat(settings.backoff().base()).isEqualTo(Duration.ofMillis(20));
    assertThat(settings.backoff().maxAttempts()).isEqualTo(3);
    assertThat(settings.poll()).isEqualTo(Duration.ofMillis(50));
  }

  @Test
  void reportsEveryProblemAtOnce() {
    assertThatThrownBy(() -> of(Map.of("inmemory.webhook.allowed-networks", "10.0.0.0/99",
        "inmemory.webhook.backoff-base-ms", "60000", "inmemory.webhook.backoff-max-seconds", "10",
        "inmemory.webhook.concurrency", "0")))
        .isInstanceOf(ConfigurationException.class)
        .satisfies(e -> assertThat(((ConfigurationException) e).problems()).hasSize(3))
        .hasMessageContaining("inmemory.webhook.allowed-networks")
        .hasMessageContaining("under inmemory.webhook.backoff-base-ms")
        .hasMessageContaining("inmemory.webhook.concurrency");
  }
}
