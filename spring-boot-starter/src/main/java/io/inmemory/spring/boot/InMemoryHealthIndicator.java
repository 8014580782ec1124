package io.inmemory.spring.boot;

import io.inmemory.Health;
import io.inmemory.MemoryClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * A Spring Boot {@link HealthIndicator} over {@link MemoryClient#healthCheck()}: UP when every
 * InMemory component (store, embedder, or the server of a managed client) is up, DOWN otherwise,
 * with the InMemory version and each component's status, latency and detail; DOWN with the error
 * when the check itself fails (a managed client whose server cannot be reached). The details
 * never contain secrets ({@link Health} carries none). Thread-safe.
 */
public final class InMemoryHealthIndicator extends AbstractHealthIndicator {
  private final MemoryClient client;

  /** An indicator checking {@code client}, which it does not close. */
  public InMemoryHealthIndicator(MemoryClient client) {
    super("InMemory health check failed");
    this.client = Objects.requireNonNull(client, "client");
  }

  @Override
  protected void doHealthCheck(
      org.springframework.boot.health.contributor.Health.Builder builder) {
    Health health = client.healthCheck();
    Map<String, Object> components = new LinkedHashMap<>();
    health.components().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(entry -> components.put(entry.getKey(), Map.of(
            "status", entry.getValue().status().name(),
            "latencyMs", entry.getValue().latency().toMillis(),
            "detail", entry.getValue().detail())));
    builder.status(health.isUp() ? Status.UP : Status.DOWN)
        .withDetail("version", health.version())
        .withDetail("components", components);
  }
}
