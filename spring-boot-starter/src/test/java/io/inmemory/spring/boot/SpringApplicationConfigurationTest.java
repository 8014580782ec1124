package io.inmemory.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.ConfigKey;
import io.inmemory.InMemoryConfig;
import io.inmemory.Limits;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryRecord;
import io.inmemory.springai.testing.SharedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * The configuration a Spring Boot application gives, read through a real
 * {@code SpringApplication}: {@code application.yml} (nested sections, a quoted filter, a value
 * with spaces and commas), a profile's file outranking it, and a command-line argument outranking
 * both; the managed client then works against the loopback server.
 */
class SpringApplicationConfigurationTest {
  private final SharedServer shared = SharedServer.get();

  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration({InMemoryAutoConfiguration.class,
      InMemorySpringAiAutoConfiguration.class})
  static class Application {}

  @Test
  void yamlProfilesAndCommandLineArgumentsConfigureTheClientWithSpringsPrecedence(
      @TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("application.yml"), """
        inmemory:
          mode: managed
          base-url: %s
          api-key: ${test.key}
          max-query-length: 100
          spring-ai:
            advisor:
              user-id: yaml-user
              filter: "tags in ['work', 'home'] && topic != 'health'"
              limit: 3
        inmemory.store.file.dir: /srv/memories of ours, kept
        """.formatted(shared.baseUrl()));
    Files.writeString(dir.resolve("application-prod.yml"), """
        inmemory:
          spring-ai:
            advisor:
              limit: 9
        """);
    try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
        .web(WebApplicationType.NONE)
        .run("--spring.config.additional-location=file:" + dir + "/",
            "--spring.profiles.active=prod", "--inmemory.max-query-length=200",
            "--test.key=" + shared.apiKey())) {
      InMemoryConfig config = context.getBean(InMemoryConfig.class);
      assertThat(config.get(SpringAiSettings.ADVISOR_LIMIT)).isEqualTo(9);
      assertThat(config.get(Limits.MAX_QUERY_LENGTH)).isEqualTo(200);
      assertThat(config.find(SpringAiSettings.ADVISOR_USER_ID)).hasValue("yaml-user");
      assertThat(config.find(SpringAiSettings.ADVISOR_FILTER)).isPresent();
      assertThat(config.find(ConfigKey.string("inmemory.store.file.dir", null, "the file store")))
          .hasValue("/srv/memories of ours, kept");

      context.getBean(MemoryClient.class).add("Configured by YAML", "yaml-user");
      assertThat(shared.memories().getAll("yaml-user", 10, 0).items())
          .extracting(MemoryRecord::content).containsExactly("Configured by YAML");
    }
  }
}
