package io.inmemory.transport.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.ConfigurationException;
import io.inmemory.InMemoryConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigTest {

  private static InMemoryConfig.Builder isolated() {
    return InMemoryConfig.builder().isolated();
  }

  @Test
  void aMissingApiKeyNamesTheKeyItsEnvironmentVariableAndTheBuilder() {
    assertThatThrownBy(() -> Inmry.builder().config(isolated().build()).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("inmemory.api-key")
        .hasMessageContaining("INMEM_API_KEY")
        .hasMessageContaining("Inmry.builder().apiKey(")
        .hasMessageContaining("http://localhost:8080");
  }

  @Test
  void defaultsApply() {
    Settings settings = Inmry.builder().config(isolated().build()).apiKey("im_k").settings();
    assertThat(settings.baseUrl()).isEqualTo(URI.create("http://localhost:8080"));
    assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(settings.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.maxRetries()).isEqualTo(3);
    assertThat(settings.idempotencyKeys()).isTrue();
  }

  @Test
  void everyValueComesFromTheConfigurationWhenTheBuilderLeavesItUnset() {
    InMemoryConfig config = InMemoryConfig.builder()
        .systemProperties(Map.of("inmemory.http.request-timeout", "PT2M"))
        .environment(Map.of("INMEM_API_KEY", "im_from_env",
            "INMEMORY_BASE_URL", "https://memory.example.com/base/",
            "INMEMORY_HTTP_CONNECT_TIMEOUT", "500ms",
            "INMEMORY_HTTP_MAX_RETRIES", "5"))
        .classpathProperties(false).build();
    Settings settings = Inmry.builder().config(config).settings();
    assertThat(settings.apiKey()).isEqualTo("im_from_env");
    assertThat(settings.baseUrl()).isEqualTo(URI.create("https://memory.example.com/base"));
    assertThat(settings.connectTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(settings.requestTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(settings.maxRetries()).isEqualTo(5);

    Settings overridden = Inmry.builder().config(config).apiKey("im_builder")
        .baseUrl("http://127.0.0.1:9000").connectTimeout(Duration.ofSeconds(1))
        .requestTimeout(Duration.ofSeconds(3)).maxRetries(0).settings();
    assertThat(overridden.apiKey()).isEqualTo("im_builder");
    assertThat(overridden.baseUrl()).isEqualTo(URI.create("http://127.0.0.1:9000"));
    assertThat(overridden.connectTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(overridden.requestTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(overridden.maxRetries()).isZero();
  }

  @Test
  void everyInvalidValueIsReportedAtOnce() {
    InMemoryConfig config = isolated().set("inmemory.api-key", "im_k")
        .set("inmemory.base-url", "ftp://example.com")
        .set("inmemory.http.connect-timeout", "10")
        .set("inmemory.http.request-timeout", "0s")
        .set("inmemory.http.max-retries", "11").build();
    assertThatThrownBy(() -> Inmry.builder().config(config).build())
        .isInstanceOfSatisfying(ConfigurationException.class,
            e -> assertThat(e.problems()).hasSize(4)
                .anySatisfy(p -> assertThat(p).startsWith("inmemory.base-url"))
                .anySatisfy(p -> assertThat(p).startsWith("inmemory.http.connect-timeout")
                    .contains("500ms"))
                .anySatisfy(p -> assertThat(p).startsWith("inmemory.http.request-timeout"))
                .anySatisfy(p -> assertThat(p).startsWith("inmemory.http.max-retries")));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"https://bob:s3cret@example.com",
      "http://bob:s3cret@exa mple.com", "https://bob:s3cret@example.com/v1?q=1"})
  void aUrlWithCredentialsIsRefusedWithoutShowingThem(String url) {
    InMemoryConfig config = isolated().set("inmemory.api-key", "im_k")
        .set("inmemory.base-url", url).build();
    assertThatThrownBy(() -> Inmry.builder().config(config).build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("inmemory.base-url")
        .hasMessageContaining("***@").hasMessageNotContaining("s3cret");
  }

  @Test
  void badBuilderValuesAreRejected() {
    assertThatThrownBy(() -> Inmry.builder().baseUrl("localhost:8080"))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("http");
    assertThatThrownBy(() -> Inmry.builder().config(isolated().build()).apiKey("im_a b").build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("the builder")
        .hasMessageNotContaining("im_a b");
    assertThatThrownBy(() -> Inmry.builder().requestTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Inmry.builder().maxRetries(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
