package io.inmemory.server;

import io.inmemory.ConfigKey;
import io.inmemory.ConfigurationException;
import io.inmemory.InMemoryConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The webhook settings of the server (keys read from every source of {@link InMemoryConfig},
 * environment names by {@link ConfigKey#envName()}), validated at once with every problem in one
 * {@link ConfigurationException}. {@code enabled}, {@code lease} and {@code maxAttempts} must be
 * equal on every replica sharing a store. Immutable and thread-safe.
 *
 * @param enabled whether events are recorded and webhooks served
 * @param allowedNetworks where webhooks may go although private (see {@link WebhookTargets})
 * @param timeout how long one attempt may take, answer included
 * @param backoff when failed deliveries are tried again, and how often
 * @param poll how often the store is asked for new events and due deliveries
 * @param lease how long a process holds a hook (or the fan-out) without renewing it
 * @param concurrency how many hooks this process delivers to at once
 * @param retention how long delivered deliveries (and those of disabled hooks) are kept
 * @param perProject the most webhooks of one project
 */
record WebhookSettings(
    boolean enabled,
    List<Cidr> allowedNetworks,
    Duration timeout,
    Backoff backoff,
    Duration poll,
    Duration lease,
    int concurrency,
    Duration retention,
    int perProject) {

  public static final ConfigKey<Boolean> ENABLED = ConfigKey.bool("inmemory.webhooks.enabled",
      true, "Whether the server records memory events and delivers them to webhooks (default"
          + " true); off, the webhook routes answer 404.");
  public static final ConfigKey<String> ALLOWED_NETWORKS = ConfigKey.string(
      "inmemory.webhook.allowed-networks", "",
      "IP blocks (comma-separated, such as 10.1.0.0/16,fd00::/8) webhooks may be sent to"
          + " although private, loopback or link-local, and over http (default none: public"
          + " https addresses only).");
  public static final ConfigKey<Integer> TIMEOUT_SECONDS = ConfigKey.integer(
      "inmemory.webhook.timeout-seconds", 15, 1, 300,
      "How long one delivery attempt may take, answer included (default 15 s).");
  public static final ConfigKey<Integer> MAX_ATTEMPTS = ConfigKey.integer(
      "inmemory.webhook.max-attempts", 15, 1, 100,
      "Attempts of one delivery before its webhook is disabled (default 15, about a day).");
  public static final ConfigKey<Integer> BACKOFF_BASE_MS = ConfigKey.integer(
      "inmemory.webhook.backoff-base-ms", 30_000, 1, 3_600_000,
      "The wait after a delivery's first failure, doubled after each further one, with jitter"
          + " (default 30000 ms).");
  public static final ConfigKey<Integer> BACKOFF_MAX_SECONDS = ConfigKey.integer(
      "inmemory.webhook.backoff-max-seconds", 14_400, 1, 7 * 86_400,
      "The longest wait between two attempts of a delivery (default 14400 s = 4 h).");
  public static final ConfigKey<Integer> POLL_MS = ConfigKey.integer(
      "inmemory.webhook.poll-ms", 500, 10, 60_000,
      "How often the store is asked for new events and due deliveries (default 500 ms); writes"
          + " through this process are delivered at once.");
  public static final ConfigKey<Integer> LEASE_SECONDS = ConfigKey.integer(
      "inmemory.webhook.lease-seconds", 30, 1, 3600,
      "How long a process holds a webhook's deliveries without renewing (default 30 s, renewed"
          + " every third of it): after a crash another replica resumes within this time.");
  public static final ConfigKey<Integer> CONCURRENCY = ConfigKey.integer(
      "inmemory.webhook.concurrency", 8, 1, 1000,
      "How many webhooks one process delivers to at once (default 8; one request in flight per"
          + " webhook).");
  public static final ConfigKey<Integer> RETENTION_DAYS = ConfigKey.integer(
      "inmemory.webhook.retention-days", 7, 1, 3650,
      "How long delivered deliveries are kept in the log, and undelivered ones of a disabled"
          + " webhook before they expire (default 7 days).");
  public static final ConfigKey<Integer> PER_PROJECT = ConfigKey.integer(
      "inmemory.webhooks.per-project", 20, 1, 10_000,
      "The most webhooks of one project (default 20).");

  WebhookSettings {
    allowedNetworks = List.copyOf(allowedNetworks);
  }

  /** Every key above, for documentation and validation. */
  static List<ConfigKey<?>> keys() {
    return List.of(ENABLED, ALLOWED_NETWORKS, TIMEOUT_SECONDS, MAX_ATTEMPTS, BACKOFF_BASE_MS,
        BACKOFF_MAX_SECONDS, POLL_MS, LEASE_SECONDS, CONCURRENCY, RETENTION_DAYS, PER_PROJECT);
  }

  /**
   * The settings of {@code config}.
   *
   * @throws ConfigurationException listing every invalid value
   */
  static WebhookSettings from(InMemoryConfig config) {
    List<String> problems = new ArrayList<>();
    boolean enabled = ServerSettings.read(problems, () -> config.get(ENABLED), true);
    List<Cidr> allowed = ServerSettings.read(problems, () -> {
      try {
        return Cidr.parseList(config.get(ALLOWED_NETWORKS));
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException(ALLOWED_NETWORKS.name() + ": " + e.getMessage());
      }
    }, List.of());
    int timeout = ServerSettings.read(problems, () -> config.get(TIMEOUT_SECONDS), 1);
    int attempts = ServerSettings.read(problems, () -> config.get(MAX_ATTEMPTS), 1);
    int base = ServerSettings.read(problems, () -> config.get(BACKOFF_BASE_MS), 1);
    int max = ServerSettings.read(problems, () -> config.get(BACKOFF_MAX_SECONDS), 1);
    if (max * 1000L < base) {
      problems.add(BACKOFF_MAX_SECONDS.name() + ": " + max + " s is under "
          + BACKOFF_BASE_MS.name() + " (" + base + " ms)");
    }
    int poll = ServerSettings.read(problems, () -> config.get(POLL_MS), 10);
    int lease = ServerSettings.read(problems, () -> config.get(LEASE_SECONDS), 1);
    int concurrency = ServerSettings.read(problems, () -> config.get(CONCURRENCY), 1);
    int retention = ServerSettings.read(problems, () -> config.get(RETENTION_DAYS), 1);
    int perProject = ServerSettings.read(problems, () -> config.get(PER_PROJECT), 1);
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
    return new WebhookSettings(enabled, allowed, Duration.ofSeconds(timeout),
        new Backoff(Duration.ofMillis(base), Duration.ofSeconds(max), attempts),
        Duration.ofMillis(poll), Duration.ofSeconds(lease), concurrency,
        Duration.ofDays(retention), perProject);
  }

}
