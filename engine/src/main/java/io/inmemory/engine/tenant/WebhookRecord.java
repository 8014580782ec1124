package io.inmemory.engine.tenant;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A webhook of a project as a {@link WebhookStore} keeps it: where to send which events, the
 * secret that signs them (stored readable: it is needed to sign), and whether it is disabled and
 * why. Checking the URL against the address policy is the server's job; the record only bounds
 * its length. Instants have millisecond precision. Immutable.
 *
 * @param id the hook's id, same rules as {@link Project#id()}
 * @param projectId the project whose memory events it receives
 * @param url where deliveries are POSTed, at most {@value #MAX_URL_LENGTH} characters
 * @param events the events wanted, not empty; copied
 * @param secret the signing secret, not blank
 * @param previousSecret the secret before the last rotation, still signing alongside until
 *     {@code previousSecretUntil}; {@code null} when none
 * @param previousSecretUntil when {@code previousSecret} stops signing; {@code null} exactly when
 *     {@code previousSecret} is
 * @param description a display text, at most 200 characters, or {@code null}
 * @param includeContent whether payloads carry the memory's contents
 * @param enabled whether deliveries are sent; a disabled hook still gets deliveries queued
 * @param disabledReason why it was disabled, or {@code null} while enabled or disabled by hand
 * @param disabledAt when it was disabled, or {@code null} while enabled
 * @param consecutiveFailures failed attempts since the last success, not negative
 * @param createdAt when it was created
 * @param updatedAt when it last changed
 * @param version grows by one with every change, for {@link WebhookStore#replaceHook}; not
 *     negative
 */
public record WebhookRecord(
    String id,
    String projectId,
    String url,
    Set<WebhookEventType> events,
    String secret,
    @Nullable String previousSecret,
    @Nullable Instant previousSecretUntil,
    @Nullable String description,
    boolean includeContent,
    boolean enabled,
    @Nullable String disabledReason,
    @Nullable Instant disabledAt,
    int consecutiveFailures,
    Instant createdAt,
    Instant updatedAt,
    long version) {
  /** The longest URL kept. */
  public static final int MAX_URL_LENGTH = 2048;

  public WebhookRecord {
    AccessValues.id(id, "id");
    AccessValues.id(projectId, "projectId");
    Objects.requireNonNull(url, "url");
    if (url.isBlank() || url.length() > MAX_URL_LENGTH) {
      throw new IllegalArgumentException("url must be 1 to " + MAX_URL_LENGTH
          + " characters, got " + url.length());
    }
    Objects.requireNonNull(events, "events");
    if (events.isEmpty()) {
      throw new IllegalArgumentException("events must not be empty");
    }
    events = Set.copyOf(EnumSet.copyOf(events));
    if (Objects.requireNonNull(secret, "secret").isBlank()) {
      throw new IllegalArgumentException("secret must not be blank");
    }
    if ((previousSecret == null) != (previousSecretUntil == null)) {
      throw new IllegalArgumentException(
          "previousSecret and previousSecretUntil are given together or not at all");
    }
    previousSecretUntil = AccessValues.millisOrNull(previousSecretUntil);
    if (description != null) {
      AccessValues.name(description, "description");
    }
    if (disabledReason != null) {
      AccessValues.name(disabledReason, "disabledReason");
    }
    disabledAt = AccessValues.millisOrNull(disabledAt);
    if (enabled && (disabledAt != null || disabledReason != null)) {
      throw new IllegalArgumentException("an enabled hook has no disabledAt or disabledReason");
    }
    if (consecutiveFailures < 0) {
      throw new IllegalArgumentException("consecutiveFailures must not be negative, got "
          + consecutiveFailures);
    }
    createdAt = AccessValues.millis(createdAt, "createdAt");
    updatedAt = AccessValues.millis(updatedAt, "updatedAt");
    if (version < 0) {
      throw new IllegalArgumentException("version must not be negative, got " + version);
    }
  }

  /** Whether this hook wants events of {@code type}. */
  public boolean wants(WebhookEventType type) {
    return events.contains(type);
  }

  /** This hook's fields with {@link #version()} one higher and {@link #updatedAt()} {@code at}. */
  public WebhookRecord nextVersion(Instant at) {
    return new WebhookRecord(id, projectId, url, events, secret, previousSecret,
        previousSecretUntil, description, includeContent, enabled, disabledReason, disabledAt,
        consecutiveFailures, createdAt, at, version + 1);
  }
}
