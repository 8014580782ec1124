package io.inmemory.server;

import io.inmemory.server.WebhookHttp.Attempt;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

/**
 * The webhook meters: {@code inmemory.webhook.deliveries} (attempts, tagged {@code outcome} =
 * success, http_error, timeout, connection_error or refused, and {@code status_class} = 2xx … 5xx
 * or none) and {@code inmemory.webhook.disabled} (hooks disabled by the dispatcher, tagged
 * {@code reason} = gone, attempts or refused). No hook or project tags: their number is
 * unbounded. Thread-safe; {@link #NONE} measures nothing.
 */
class WebhookMeters {
  /** Measures nothing (metrics off). */
  static final WebhookMeters NONE = new WebhookMeters();

  private final @Nullable MeterRegistry registry;

  private WebhookMeters() {
    this.registry = null;
  }

  WebhookMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Counts one attempt. */
  void attempted(Attempt attempt) {
    if (registry != null) {
      Integer status = attempt.status();
      Counter.builder("inmemory.webhook.deliveries")
          .description("Webhook delivery attempts, by outcome")
          .tag("outcome", attempt.outcome().tag())
          .tag("status_class", status == null ? "none" : status / 100 + "xx")
          .register(registry).increment();
    }
  }

  /** Counts a hook the dispatcher disabled, {@code reason} one of gone, attempts, refused. */
  void disabled(String reason) {
    if (registry != null) {
      Counter.builder("inmemory.webhook.disabled")
          .description("Webhooks disabled after failed deliveries, by reason")
          .tag("reason", reason).register(registry).increment();
    }
  }
}
