package io.inmemory;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * The result of a health check: an overall status and a probe of each component (store,
 * embedder, server). Never contains secrets.
 *
 * @param status {@link Status#UP} when every component is up, {@link Status#DOWN} when any is down
 * @param version the InMemory version of the engine or server answering
 * @param components each component's probe, by name (for example {@code store}, {@code embedder})
 * @param checkedAt when the probes ran
 */
public record Health(
    Status status, String version, Map<String, Component> components, Instant checkedAt) {

  public Health {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(version, "version");
    components = Map.copyOf(components);
    Objects.requireNonNull(checkedAt, "checkedAt");
  }

  public boolean isUp() {
    return status == Status.UP;
  }

  /** A component's state. */
  public enum Status {
    UP,
    DOWN
  }

  /**
   * One component's probe.
   *
   * @param status its state
   * @param latency how long the probe took
   * @param detail what it is (for example the store name and the model), or the failure
   */
  public record Component(Status status, Duration latency, String detail) {
    public Component {
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(latency, "latency");
      Objects.requireNonNull(detail, "detail");
    }
  }
}
