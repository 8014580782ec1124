package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.ConfigurationException;
import io.inmemory.InMemoryConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings from the environment, validated with every problem reported at once. */
class ServerSettingsTest {
  private static final String ADMIN = "a".repeat(40);

  private static InMemoryConfig env(Map<String, String> environment) {
    return InMemoryConfig.builder().isolated().environment(environment).build();
  }

  @Test
  void defaultsAreDevOnLoopbackWithDocs() {
    ServerSettings settings = ServerSettings.from(env(Map.of()));
    assertThat(settings.mode()).isEqualTo(ServerSettings.Mode.DEV);
    assertThat(settings.host()).isEqualTo("127.0.0.1");
    assertThat(settings.port()).isEqualTo(8080);
    assertThat(settings.docs()).isTrue();
    assertThat(settings.keyPrefix()).isEqualTo("im_");
    assertThat(settings.adminKey()).isNull();
    assertThat(settings.corsOrigins()).isEmpty();
  }

  @Test
  void readsTheSeedsEnvironmentVariables() {
    ServerSettings settings = ServerSettings.from(env(Map.of(
        "INMEMORY_SERVER_MODE", "prod", "INMEMORY_HOST", "10.0.0.5", "INMEMORY_PORT", "9000",
        "INMEMORY_WORKERS", "16", "INMEMORY_LOG_LEVEL", "DEBUG",
        "INMEMORY_CORS_ORIGINS", "https://a.example, https://b.example",
        "INMEMORY_API_KEY_PREFIX", "mem_", "INMEMORY_ENABLE_DOCS", "false",
        "INMEMORY_ADMIN_KEY", ADMIN, "INMEMORY_RATE_LIMIT_PER_MINUTE", "0")));
    assertThat(settings.mode()).isEqualTo(ServerSettings.Mode.PROD);
    assertThat(settings.host()).isEqualTo("10.0.0.5");
    assertThat(settings.port()).isEqualTo(9000);
    assertThat(settings.workers()).isEqualTo(16);
    assertThat(settings.logLevel()).isEqualTo("debug");
    assertThat(settings.corsOrigins()).containsExactly("https://a.example", "https://b.example");
    assertThat(settings.keyPrefix()).isEqualTo("mem_");
    assertThat(settings.docs()).isFalse();
    assertThat(settings.adminKey()).isEqualTo(ADMIN);
    assertThat(settings.rateLimitPerMinute()).isZero();
  }

  @Test
  void sharedStateSettingsHaveDefaultsAndBounds() {
    ServerSettings defaults = ServerSettings.from(env(Map.of()));
    assertThat(defaults.idempotencyLease()).isEqualTo(Duration.ofSeconds(30));
    assertThat(defaults.keyRevocationPoll()).isEqualTo(Duration.ofMillis(250));
    assertThat(defaults.keyUsageFlushInterval()).isEqualTo(Duration.ofSeconds(10));

    ServerSettings set = ServerSettings.from(env(Map.of("INMEMORY_IDEMPOTENCY_LEASE_SECONDS", "5",
        "INMEMORY_KEY_REVOCATION_POLL_MS", "50", "INMEMORY_KEY_USAGE_FLUSH_SECONDS", "2")));
    assertThat(set.idempotencyLease()).isEqualTo(Duration.ofSeconds(5));
    assertThat(set.keyRevocationPoll()).isEqualTo(Duration.ofMillis(50));
    assertThat(set.keyUsageFlushInterval()).isEqualTo(Duration.ofSeconds(2));

    assertThatThrownBy(() -> ServerSettings.from(env(Map.of(
        "INMEMORY_IDEMPOTENCY_LEASE_SECONDS", "0", "INMEMORY_KEY_REVOCATION_POLL_MS", "5",
        "INMEMORY_KEY_USAGE_FLUSH_SECONDS", "0"))))
        .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
            .hasSize(3).anySatisfy(problem -> assertThat(problem)
                .contains("inmemory.idempotency-lease-seconds"))
            .anySatisfy(problem -> assertThat(problem).contains("inmemory.key-revocation-poll-ms"))
            .anySatisfy(problem -> assertThat(problem)
                .contains("inmemory.key-usage-flush-seconds")));
  }

  @Test
  void prodBindsAllInterfacesByDefault() {
    ServerSettings settings = ServerSettings.from(env(Map.of("INMEMORY_SERVER_MODE", "prod",
        "INMEMORY_ADMIN_KEY", ADMIN)));
    assertThat(settings.host()).isEqualTo("0.0.0.0");
  }

  @Test
  void anAdminKeyGivenToTheBuilderSatisfiesProd() {
    ServerSettings settings = ServerSettings.from(env(Map.of("INMEMORY_SERVER_MODE", "prod")), ADMIN);
    assertThat(settings.adminKey()).isEqualTo(ADMIN);
  }

  @Test
  void admissionDefaultsLeaveAQuarterOfTheWorkersForCheapRequests() {
    ServerSettings defaults = ServerSettings.from(env(Map.of()));
    int processors = Runtime.getRuntime().availableProcessors();
    int costly = Math.max(2, Math.min(2 * processors, 64 / 4));
    int large = Math.max(2, Math.min(2 * processors, 64 / 8));
    assertThat(defaults.maxCostlyRequests()).isEqualTo(costly);
    assertThat(defaults.maxLargeAnswers()).isEqualTo(large);
    assertThat(defaults.maxConcurrentExtractions()).isEqualTo(4);
    assertThat(defaults.maxQueuedRequests()).isEqualTo(48 - costly - large - 4);
    assertThat(defaults.queueTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(defaults.maxRequestMemory()).isEqualTo(Runtime.getRuntime().maxMemory() / 2);

    ServerSettings set = ServerSettings.from(env(Map.of("INMEMORY_WORKERS", "16",
        "INMEMORY_MAX_COSTLY_REQUESTS", "3", "INMEMORY_MAX_REQUEST_MEMORY", "64MB",
        "INMEMORY_QUEUE_TIMEOUT_MS", "0")));
    assertThat(set.maxCostlyRequests()).isEqualTo(3);
    assertThat(set.maxLargeAnswers()).isEqualTo(2);
    // 8 threads may wait or work: 3 costly, 2 large answers, 3 conversation adds, none queued
    assertThat(set.maxConcurrentExtractions()).isEqualTo(3);
    assertThat(set.maxQueuedRequests()).isZero();
    assertThat(set.maxRequestMemory()).isEqualTo(64L * 1024 * 1024);
    assertThat(set.queueTimeout()).isZero();
    assertThatThrownBy(() -> ServerSettings.from(env(Map.of("INMEMORY_WORKERS", "16",
        "INMEMORY_MAX_COSTLY_REQUESTS", "4", "INMEMORY_MAX_LARGE_ANSWERS", "1",
        "INMEMORY_MAX_QUEUED_REQUESTS", "4"))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("4 + 1 + 3 + 4 is over the 8 of the 16 workers");
    assertThat(ServerSettings.from(env(Map.of("INMEMORY_SERVER_MAX_CONCURRENT_EXTRACTIONS", "7")))
        .maxConcurrentExtractions()).isEqualTo(7);
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    assertThatThrownBy(() -> ServerSettings.from(env(Map.of(
        "INMEMORY_SERVER_MODE", "prod", "INMEMORY_PORT", "eighty", "INMEMORY_LOG_LEVEL", "loud",
        "INMEMORY_API_KEY_PREFIX", "im-!", "INMEMORY_MAX_MEMORY_SIZE", "huge"))))
        .isInstanceOfSatisfying(ConfigurationException.class, e -> {
          assertThat(e.problems()).hasSize(5);
          assertThat(String.join("\n", e.problems())).contains("inmemory.port",
              "inmemory.log-level", "inmemory.api-key-prefix", "inmemory.admin-key",
              "inmemory.max-memory-size");
        });
  }

  @Test
  void devRefusesToListenBeyondLoopbackAndAdminKeysMustBeLong() {
    assertThatThrownBy(() -> ServerSettings.from(env(Map.of("INMEMORY_HOST", "0.0.0.0",
        "INMEMORY_ADMIN_KEY", "short"))))
        .isInstanceOfSatisfying(ConfigurationException.class,
            e -> assertThat(e.problems()).hasSize(2));
    assertThatThrownBy(() -> ServerSettings.from(env(Map.of("INMEMORY_SERVER_MODE", "staging"))))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("dev or prod");
  }
}
