package io.inmemory.spring.boot;

import io.inmemory.InMemoryConfig;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryClients;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Registers the application's {@link MemoryClient}: an {@link InMemoryConfig} read from the
 * {@code inmemory.*} properties of the Spring {@link Environment} (see the module README), then
 * {@link MemoryClients#create(InMemoryConfig)}, which builds the local engine or the managed HTTP
 * client exactly as outside Spring ({@code inmemory.mode}, or the only runtime on the class path).
 * The client is closed with the context. Each bean backs off when the application defines one of
 * its own type.
 *
 * <p>Startup fails with a {@link io.inmemory.ConfigurationException} (the cause of Spring's bean
 * creation error) for an invalid value, a key written in a form InMemory does not read, or no
 * runtime on the class path.
 */
@AutoConfiguration
public class InMemoryAutoConfiguration {

  /** Instantiated by Spring. */
  public InMemoryAutoConfiguration() {}

  /** The configuration of the application's environment. */
  @Bean
  @ConditionalOnMissingBean
  public InMemoryConfig inMemoryConfig(Environment environment) {
    return EnvironmentConfig.from(environment);
  }

  /** The client of the configured runtime, closed with the context. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public MemoryClient memoryClient(InMemoryConfig inMemoryConfig) {
    return MemoryClients.create(inMemoryConfig);
  }
}
