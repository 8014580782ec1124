package io.inmemory.store.file;

import io.inmemory.engine.tenant.DeliveryRecord;
import io.inmemory.engine.tenant.DeliveryState;
import io.inmemory.engine.tenant.OutboxEvent;
import io.inmemory.engine.tenant.WebhookEventType;
import io.inmemory.engine.tenant.WebhookRecord;
import io.inmemory.engine.tenant.WebhookTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The encoding of the webhook records (format 4) in log records and snapshots. Event types and
 * delivery states are written by name, so that adding one never renumbers the others; a record
 * that does not decode into a valid value is a {@link MalformedRecordException}.
 */
final class WebhookRecords {
  private WebhookRecords() {}

  static void writeHook(Encoder out, WebhookRecord hook) {
    out.string(hook.id());
    out.string(hook.projectId());
    out.string(hook.url());
    out.strings(hook.events().stream().map(WebhookEventType::wireName).sorted().toList());
    out.string(hook.secret());
    out.nullableString(hook.previousSecret());
    out.nullableInstant(hook.previousSecretUntil());
    out.nullableString(hook.description());
    out.u8(hook.includeContent() ? 1 : 0);
    out.u8(hook.enabled() ? 1 : 0);
    out.nullableString(hook.disabledReason());
    out.nullableInstant(hook.disabledAt());
    out.i32(hook.consecutiveFailures());
    out.instant(hook.createdAt());
    out.instant(hook.updatedAt());
    out.i64(hook.version());
  }

  static WebhookRecord readHook(Decoder in) {
    String id = in.string();
    return valid("webhook " + id, () -> {
      String projectId = in.string();
      String url = in.string();
      Set<WebhookEventType> events = EnumSet.noneOf(WebhookEventType.class);
      in.strings().forEach(name -> events.add(WebhookEventType.ofWireName(name)));
      return new WebhookRecord(id, projectId, url, events, in.string(), in.nullableString(),
          in.nullableInstant(), in.nullableString(), flag(in), flag(in), in.nullableString(),
          in.nullableInstant(), in.i32(), in.instant(), in.instant(), in.i64());
    });
  }

  static void writeDelivery(Encoder out, DeliveryRecord delivery) {
    out.string(delivery.hookId());
    out.string(delivery.projectId());
    out.string(delivery.eventId());
    out.string(delivery.type().wireName());
    out.i64(delivery.sequence());
    out.string(delivery.payload());
    out.string(delivery.state().name());
    out.i32(delivery.attempts());
    out.instant(delivery.nextAttemptAt());
    out.u8(delivery.lastStatus() == null ? 0 : 1);
    out.i32(delivery.lastStatus() == null ? 0 : delivery.lastStatus());
    out.nullableString(delivery.lastError());
    out.nullableInstant(delivery.lastAttemptAt());
    out.i64(delivery.lastMillis());
    out.instant(delivery.createdAt());
  }

  static DeliveryRecord readDelivery(Decoder in) {
    String hookId = in.string();
    return valid("a delivery of webhook " + hookId, () -> {
      String projectId = in.string();
      String eventId = in.string();
      WebhookEventType type = WebhookEventType.ofWireName(in.string());
      long sequence = in.i64();
      String payload = in.string();
      DeliveryState state = DeliveryState.valueOf(in.string());
      int attempts = in.i32();
      Instant nextAttemptAt = in.instant();
      boolean hasStatus = flag(in);
      int status = in.i32();
      return new DeliveryRecord(DeliveryRecord.idOf(hookId, eventId), hookId, projectId, eventId,
          type, sequence, payload, state, attempts, nextAttemptAt, hasStatus ? status : null,
          in.nullableString(), in.nullableInstant(), in.i64(), in.instant());
    });
  }

  static void writeEvent(Encoder out, OutboxEvent event) {
    out.string(event.id());
    out.string(event.namespace());
    out.string(event.token());
    Records.writeEntry(out, event.entry());
  }

  static OutboxEvent readEvent(Decoder in) {
    String id = in.string();
    return valid("event " + id, () -> {
      String namespace = in.string();
      String token = in.string();
      return new OutboxEvent(id, namespace, Records.readEntry(in), token);
    });
  }

  static void writeEffect(Encoder out, WebhookTable.Effect effect) {
    out.u8(effect.hook() == null ? 0 : 1);
    if (effect.hook() != null) {
      writeHook(out, effect.hook());
    }
    out.nullableString(effect.deletedHook());
    out.strings(effect.clearedEvents());
    writeAll(out, effect.deliveries(), WebhookRecords::writeDelivery);
    out.strings(effect.deletedDeliveries());
  }

  static WebhookTable.Effect readEffect(Decoder in) {
    WebhookRecord hook = flag(in) ? readHook(in) : null;
    String deletedHook = in.nullableString();
    List<String> cleared = in.strings();
    List<DeliveryRecord> deliveries = readAll(in, WebhookRecords::readDelivery);
    return new WebhookTable.Effect(hook, deletedHook, cleared, deliveries, in.strings());
  }

  /** Writes a count, then each item. */
  static <T> void writeAll(Encoder out, List<T> items, Writer<T> writer) {
    out.i32(items.size());
    items.forEach(item -> writer.write(out, item));
  }

  /** Reads what {@link #writeAll} wrote. */
  static <T> List<T> readAll(Decoder in, Function<Decoder, T> reader) {
    int count = in.count(1);
    List<T> items = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      items.add(reader.apply(in));
    }
    return items;
  }

  /** Encodes one item. */
  interface Writer<T> {
    void write(Encoder out, T item);
  }

  private static boolean flag(Decoder in) {
    return switch (in.u8()) {
      case 0 -> false;
      case 1 -> true;
      default -> throw new MalformedRecordException("invalid boolean byte");
    };
  }

  private interface Read<T> {
    T read();
  }

  /** {@code read}'s value, with an invalid one reported as a malformed record of {@code what}. */
  private static <T> T valid(String what, Read<T> read) {
    try {
      return read.read();
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new MalformedRecordException("invalid " + what + ": " + e.getMessage());
    }
  }
}

