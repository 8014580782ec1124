package io.inmemory.server;

import static io.inmemory.wire.Schemas.array;
import static io.inmemory.wire.Schemas.bool;
import static io.inmemory.wire.Schemas.integer;
import static io.inmemory.wire.Schemas.map;
import static io.inmemory.wire.Schemas.nullable;
import static io.inmemory.wire.Schemas.object;
import static io.inmemory.wire.Schemas.oneOf;
import static io.inmemory.wire.Schemas.ref;
import static io.inmemory.wire.Schemas.str;

import io.inmemory.InvalidRequestException;
import io.inmemory.engine.tenant.DeliveryRecord;
import io.inmemory.engine.tenant.DeliveryState;
import io.inmemory.engine.tenant.WebhookEventType;
import io.inmemory.engine.tenant.WebhookRecord;
import io.inmemory.wire.JsonBody;
import io.inmemory.wire.Member;
import io.inmemory.wire.MemoryJson;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The JSON of the webhook endpoints: members, a hook's and a delivery's JSON, and the schemas for
 * the OpenAPI document. A hook's secret appears only in {@code WebhookCreated} (creation and
 * rotation); elsewhere {@code secret_hint} tells secrets apart. Stateless and thread-safe.
 */
final class WebhooksJson {
  static final Member ID = new Member("id", str());
  static final Member URL = new Member("url", map("type", "string", "description",
      "https (or http inside INMEMORY_WEBHOOK_ALLOWED_NETWORKS), at most 2048 characters,"
          + " resolving to public addresses only."));
  static final Member EVENTS = new Member("events", array(oneOf(eventNames())));
  static final Member DESCRIPTION = new Member("description", nullable("string"));
  static final Member INCLUDE_CONTENT = new Member("include_content", "includeContent", bool());
  static final Member ENABLED = new Member("enabled", bool());
  static final Member DISABLED_REASON = new Member("disabled_reason", "disabledReason",
      nullable("string"));
  static final Member DISABLED_AT = new Member("disabled_at", "disabledAt", nullable("string"));
  static final Member CONSECUTIVE_FAILURES = new Member("consecutive_failures",
      "consecutiveFailures", integer());
  static final Member SECRET_HINT = new Member("secret_hint", "secretHint", str());
  static final Member PREVIOUS_SECRET_UNTIL = new Member("previous_secret_until",
      "previousSecretUntil", nullable("string"));
  static final Member UPDATED_AT = new Member("updated_at", "updatedAt", str());
  static final Member SECRET = new Member("secret", map("type", "string", "description",
      "The signing secret (whsec_ and base64); shown once."));
  static final Member EVENT_ID = new Member("event_id", "eventId", str());
  static final Member TYPE = new Member("type", oneOf(eventNames()));
  static final Member SEQUENCE = new Member("sequence", integer());
  static final Member STATE = new Member("state", oneOf("pending", "delivered", "expired"));
  static final Member ATTEMPTS = new Member("attempts", integer());
  static final Member NEXT_ATTEMPT_AT = new Member("next_attempt_at", "nextAttemptAt", str());
  static final Member LAST_STATUS = new Member("last_status", "lastStatus", nullable("integer"));
  static final Member LAST_ERROR = new Member("last_error", "lastError", nullable("string"));
  static final Member LAST_ATTEMPT_AT = new Member("last_attempt_at", "lastAttemptAt",
      nullable("string"));
  static final Member LAST_MILLIS = new Member("last_millis", "lastMillis", integer());
  static final Member PAYLOAD = new Member("payload", map("type", "string", "description",
      "The JSON body sent, as text (every attempt sends these bytes)."));
  static final Member ITEMS = new Member("items", array(ref("Webhook")));
  static final Member DELIVERY_ITEMS = new Member("items", array(ref("WebhookDelivery")));
  static final Member HAS_MORE = new Member("has_more", "hasMore", bool());

  private WebhooksJson() {}

  private static String[] eventNames() {
    return Arrays.stream(WebhookEventType.values()).map(WebhookEventType::wireName)
        .toArray(String[]::new);
  }

  /** A hook as listings show it: without its secret. */
  static Map<String, Object> hook(WebhookRecord hook) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put(ID.name(), hook.id());
    json.put(KeysJson.PROJECT_ID.name(), hook.projectId());
    json.put(URL.name(), hook.url());
    json.put(EVENTS.name(), hook.events().stream().sorted().map(WebhookEventType::wireName)
        .toList());
    json.put(DESCRIPTION.name(), hook.description());
    json.put(INCLUDE_CONTENT.name(), hook.includeContent());
    json.put(ENABLED.name(), hook.enabled());
    json.put(DISABLED_REASON.name(), hook.disabledReason());
    json.put(DISABLED_AT.name(), text(hook.disabledAt()));
    json.put(CONSECUTIVE_FAILURES.name(), hook.consecutiveFailures());
    json.put(SECRET_HINT.name(), WebhookSigner.hint(hook.secret()));
    json.put(PREVIOUS_SECRET_UNTIL.name(), text(hook.previousSecretUntil()));
    json.put(MemoryJson.CREATED_AT.name(), hook.createdAt().toString());
    json.put(UPDATED_AT.name(), hook.updatedAt().toString());
    return json;
  }

  /** A hook with its secret: the answer to creation and rotation. */
  static Map<String, Object> created(Webhooks.Created created) {
    Map<String, Object> json = hook(created.hook());
    json.put(SECRET.name(), created.secret());
    return json;
  }

  static Map<String, Object> delivery(DeliveryRecord delivery) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put(ID.name(), delivery.id());
    json.put(EVENT_ID.name(), delivery.eventId());
    json.put(TYPE.name(), delivery.type().wireName());
    json.put(SEQUENCE.name(), delivery.sequence());
    json.put(STATE.name(), delivery.state().name().toLowerCase(Locale.ROOT));
    json.put(ATTEMPTS.name(), delivery.attempts());
    json.put(NEXT_ATTEMPT_AT.name(), delivery.nextAttemptAt().toString());
    json.put(LAST_STATUS.name(), delivery.lastStatus());
    json.put(LAST_ERROR.name(), delivery.lastError());
    json.put(LAST_ATTEMPT_AT.name(), text(delivery.lastAttemptAt()));
    json.put(LAST_MILLIS.name(), delivery.lastMillis());
    json.put(MemoryJson.CREATED_AT.name(), delivery.createdAt().toString());
    json.put(PAYLOAD.name(), delivery.payload());
    return json;
  }

  /** The event types named by {@code names}; an unknown one is reported on {@code body}. */
  static @Nullable Set<WebhookEventType> events(JsonBody body, @Nullable List<String> names) {
    if (names == null) {
      return null;
    }
    Set<WebhookEventType> events = EnumSet.noneOf(WebhookEventType.class);
    for (String name : names) {
      try {
        events.add(WebhookEventType.ofWireName(name.trim()));
      } catch (IllegalArgumentException e) {
        body.invalid(EVENTS.field(), e.getMessage());
        break;
      }
    }
    return events;
  }

  /** The delivery state a query names, or {@code null} for none. */
  static @Nullable DeliveryState state(@Nullable String name) {
    if (name == null) {
      return null;
    }
    try {
      return DeliveryState.valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("state", "must be pending, delivered or"
          + " expired, was " + JsonBody.quoted(name));
    }
  }

  private static @Nullable String text(@Nullable Instant instant) {
    return instant == null ? null : instant.toString();
  }

  /** The schemas of the webhook endpoints' bodies, by name. */
  static Map<String, Object> schemas() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("CreateWebhookRequest", object(List.of(URL, EVENTS), URL, EVENTS, DESCRIPTION,
        INCLUDE_CONTENT));
    s.put("UpdateWebhookRequest", object(List.of(), URL, EVENTS, DESCRIPTION, INCLUDE_CONTENT));
    Member[] hook = {ID, KeysJson.PROJECT_ID, URL, EVENTS, DESCRIPTION, INCLUDE_CONTENT, ENABLED,
        DISABLED_REASON, DISABLED_AT, CONSECUTIVE_FAILURES, SECRET_HINT, PREVIOUS_SECRET_UNTIL,
        MemoryJson.CREATED_AT, UPDATED_AT};
    List<Member> required = List.of(ID, KeysJson.PROJECT_ID, URL, EVENTS, ENABLED);
    s.put("Webhook", object(required, hook));
    Member[] created = Arrays.copyOf(hook, hook.length + 1);
    created[hook.length] = SECRET;
    s.put("WebhookCreated", object(required, created));
    s.put("WebhookList", object(List.of(ITEMS), ITEMS));
    s.put("WebhookDelivery", object(List.of(ID, EVENT_ID, TYPE, SEQUENCE, STATE, ATTEMPTS), ID,
        EVENT_ID, TYPE, SEQUENCE, STATE, ATTEMPTS, NEXT_ATTEMPT_AT, LAST_STATUS, LAST_ERROR,
        LAST_ATTEMPT_AT, LAST_MILLIS, MemoryJson.CREATED_AT, PAYLOAD));
    s.put("DeliveryList", object(List.of(DELIVERY_ITEMS, HAS_MORE), DELIVERY_ITEMS, HAS_MORE));
    return s;
  }
}
