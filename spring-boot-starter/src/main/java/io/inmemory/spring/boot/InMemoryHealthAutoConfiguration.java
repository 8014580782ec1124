package io.inmemory.spring.boot;

import io.inmemory.MemoryClient;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Registers {@link InMemoryHealthIndicator} (health contributor {@code inMemory}) when the
 * application has Spring Boot's health module ({@code spring-boot-health}, brought by the
 * actuator) and one {@link MemoryClient} (or a {@code @Primary} one among several);
 * {@code management.health.inmemory.enabled=false} turns it
 * off, and a bean of the same name replaces it.
 */
@AutoConfiguration(after = InMemoryAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnSingleCandidate(MemoryClient.class)
@ConditionalOnEnabledHealthIndicator("inmemory")
public class InMemoryHealthAutoConfiguration {

  /** Instantiated by Spring. */
  public InMemoryHealthAutoConfiguration() {}

  /** The indicator of the application's client. */
  @Bean
  @ConditionalOnMissingBean(name = "inMemoryHealthIndicator")
  public InMemoryHealthIndicator inMemoryHealthIndicator(MemoryClient memoryClient) {
    return new InMemoryHealthIndicator(memoryClient);
  }
}
