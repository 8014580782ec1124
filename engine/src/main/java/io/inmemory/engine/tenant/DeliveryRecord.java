package io.inmemory.engine.tenant;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One event to send to one hook, with its attempts so far: an entry of the hook's delivery log.
 * The payload is fixed when the delivery is made, so every retry signs the same bytes. Instants
 * have millisecond precision. Immutable.
 *
 * @param id {@link #idOf idOf(hookId, eventId)}: unique, so that making the same delivery twice
 *     keeps one
 * @param hookId the hook it goes to
 * @param projectId the hook's project
 * @param eventId the event, sent as {@code webhook-id}
 * @param type the event's type
 * @param sequence its place in the hook's order (from {@link WebhookStore#nextSequences}),
 *     positive; deliveries of a hook are sent in sequence order
 * @param payload the JSON body sent
 * @param state whether it is still to be sent
 * @param attempts attempts made so far, not negative
 * @param nextAttemptAt when it is due (while {@link DeliveryState#PENDING})
 * @param lastStatus the HTTP status of the last attempt, or {@code null} when none came
 * @param lastError why the last attempt failed, or {@code null}
 * @param lastAttemptAt when the last attempt was made, or {@code null} before the first
 * @param lastMillis how long the last attempt took, not negative (0 before the first)
 * @param createdAt when the delivery was made
 */
public record DeliveryRecord(
    String id,
    String hookId,
    String projectId,
    String eventId,
    WebhookEventType type,
    long sequence,
    String payload,
    DeliveryState state,
    int attempts,
    Instant nextAttemptAt,
    @Nullable Integer lastStatus,
    @Nullable String lastError,
    @Nullable Instant lastAttemptAt,
    long lastMillis,
    Instant createdAt) {
  /** The longest {@link #lastError} kept; longer ones are cut. */
  public static final int MAX_ERROR_LENGTH = 1024;

  public DeliveryRecord {
    AccessValues.id(hookId, "hookId");
    AccessValues.id(projectId, "projectId");
    if (Objects.requireNonNull(eventId, "eventId").isBlank()) {
      throw new IllegalArgumentException("eventId must not be blank");
    }
    if (!Objects.requireNonNull(id, "id").equals(idOf(hookId, eventId))) {
      throw new IllegalArgumentException("id must be " + idOf(hookId, eventId) + ", got " + id);
    }
    Objects.requireNonNull(type, "type");
    if (sequence < 1) {
      throw new IllegalArgumentException("sequence must be positive, got " + sequence);
    }
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(state, "state");
    if (attempts < 0 || lastMillis < 0) {
      throw new IllegalArgumentException("attempts and lastMillis must not be negative, got "
          + attempts + " and " + lastMillis);
    }
    nextAttemptAt = AccessValues.millis(nextAttemptAt, "nextAttemptAt");
    if (lastError != null && lastError.length() > MAX_ERROR_LENGTH) {
      lastError = lastError.substring(0, MAX_ERROR_LENGTH);
    }
    lastAttemptAt = AccessValues.millisOrNull(lastAttemptAt);
    createdAt = AccessValues.millis(createdAt, "createdAt");
  }

  /** The id of the delivery of {@code eventId} to {@code hookId}. */
  public static String idOf(String hookId, String eventId) {
    return hookId + ':' + eventId;
  }

  /** A new delivery, due at {@code createdAt}, not yet attempted. */
  public static DeliveryRecord pending(String hookId, String projectId, String eventId,
      WebhookEventType type, long sequence, String payload, Instant createdAt) {
    return new DeliveryRecord(idOf(hookId, eventId), hookId, projectId, eventId, type, sequence,
        payload, DeliveryState.PENDING, 0, createdAt, null, null, null, 0, createdAt);
  }

  /**
   * This delivery after one more attempt made at {@code at}, taking {@code millis}: in
   * {@code state}, next due at {@code nextAttemptAt}.
   */
  public DeliveryRecord attempted(DeliveryState state, Instant at, long millis,
      @Nullable Integer status, @Nullable String error, Instant nextAttemptAt) {
    return new DeliveryRecord(id, hookId, projectId, eventId, type, sequence, payload, state,
        attempts + 1, nextAttemptAt, status, error, at, millis, createdAt);
  }

  /** This delivery in {@code state}, otherwise unchanged. */
  public DeliveryRecord inState(DeliveryState state) {
    return new DeliveryRecord(id, hookId, projectId, eventId, type, sequence, payload, state,
        attempts, nextAttemptAt, lastStatus, lastError, lastAttemptAt, lastMillis, createdAt);
  }

  /** This delivery due at {@code at}, otherwise unchanged (a re-enabled hook's head). */
  public DeliveryRecord dueAt(Instant at) {
    return new DeliveryRecord(id, hookId, projectId, eventId, type, sequence, payload, state,
        attempts, at, lastStatus, lastError, lastAttemptAt, lastMillis, createdAt);
  }
}
