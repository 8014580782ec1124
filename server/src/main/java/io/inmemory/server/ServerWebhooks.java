package io.inmemory.server;

import io.inmemory.engine.tenant.AccessStore;
import io.inmemory.engine.tenant.WebhookEventType;
import io.inmemory.engine.tenant.WebhookStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * The server's webhooks, when they are on and the store keeps them: the {@link Webhooks} service
 * its routes use and the running {@link WebhookDispatcher}. Thread-safe; {@link #close()} stops the
 * dispatcher gracefully.
 */
final class ServerWebhooks implements AutoCloseable {
  private final Webhooks webhooks;
  private final WebhookDispatcher dispatcher;

  private ServerWebhooks(WebhookStore store, WebhookSettings settings, Clock clock, String owner,
      WebhookMeters meters) {
    WebhookTargets targets = new WebhookTargets(settings.allowedNetworks());
    this.dispatcher = new WebhookDispatcher(store, settings, targets, meters, clock, owner);
    this.webhooks = new Webhooks(store, settings, targets, clock, dispatcher::nudge);
  }

  /**
   * The started webhooks, or empty when {@link WebhookSettings#enabled()} is off or the store
   * keeps no webhooks (said in the log).
   *
   * @param owner this process's name in the store's leases
   * @param metrics where the webhook meters go, or {@code null} when metrics are off
   */
  static Optional<ServerWebhooks> start(AccessStore access, WebhookSettings settings,
      Clock clock, String owner, @Nullable ServerMetrics metrics) {
    if (!settings.enabled()) {
      return Optional.empty();
    }
    Optional<WebhookStore> store = access.webhooks();
    if (store.isEmpty()) {
      LoggerFactory.getLogger(ServerWebhooks.class).info("Webhooks: off, the store ({}) keeps"
          + " none", access.getClass().getName());
      return Optional.empty();
    }
    ServerWebhooks started = new ServerWebhooks(store.get(), settings, clock, owner,
        metrics != null ? new WebhookMeters(metrics.registry()) : WebhookMeters.NONE);
    started.dispatcher.start();
    return Optional.of(started);
  }

  Webhooks webhooks() {
    return webhooks;
  }

  /**
   * Announces each finished import run to the project's hooks that want
   * {@code import.finished}, with the run's id and counts; the event id is derived from the project
   * and the run, so a run finished twice (its last chunk sent again) is one event to receivers. A
   * failure to queue it is logged, never thrown into the import's answer: its memories are stored.
   */
  ImportListener imports() {
    return (projectId, summary) -> {
      Map<String, Long> counts = new TreeMap<>();
      summary.counts().forEach((outcome, n) -> counts.put(outcome.name().toLowerCase(Locale.ROOT), n));
      String eventId = "evt_import_" + UUID.nameUUIDFromBytes(
          (projectId + '\n' + summary.importRun()).getBytes(StandardCharsets.UTF_8));
      try {
        webhooks.announce(projectId, WebhookEventType.IMPORT_FINISHED, eventId,
            Map.of("project_id", projectId, "import_run", summary.importRun(), "counts", counts));
      } catch (RuntimeException e) {
        LoggerFactory.getLogger(ServerWebhooks.class).warn("Webhooks: the import.finished event"
            + " of run {} in project {} was not queued", summary.importRun(), projectId, e);
      }
    };
  }

  /** Tells the dispatcher that events may be waiting. */
  void nudge() {
    dispatcher.nudge();
  }

  @Override
  public void close() {
    dispatcher.close();
  }
}
