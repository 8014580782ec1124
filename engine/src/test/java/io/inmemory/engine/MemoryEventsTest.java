package io.inmemory.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.AddRequest;
import io.inmemory.InMemoryConfig;
import io.inmemory.MemoryRecord;
import io.inmemory.Scope;
import io.inmemory.UpdateRequest;
import io.inmemory.engine.spi.EventSettings;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.tck.HashingEmbedder;
import io.inmemory.engine.tenant.OutboxEvent;
import io.inmemory.engine.tenant.WebhookEventType;
import io.inmemory.engine.tenant.WebhookStore;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The engine's writes reach the store as recorded events when {@code inmemory.events.record} is
 * on (the store found by its provider, as the server opens it), and as none when it is off.
 */
class MemoryEventsTest {
  private static Memory memory(boolean record) {
    InMemoryConfig config = InMemoryConfig.builder().isolated()
        .set("inmemory.store", VolatileStoreProvider.NAME)
        .set(EventSettings.RECORD.name(), Boolean.toString(record)).build();
    return Memory.builder().config(config).embedder(new HashingEmbedder()).build();
  }

  private static List<OutboxEvent> events(Memory memory) {
    WebhookStore webhooks = memory.access().webhooks().orElseThrow();
    return webhooks.pendingEvents(WebhookStore.MAX_LIMIT, Instant.now());
  }

  @Test
  void anAddAnUpdateAndADeleteAreEventsOfTheirKindInOrder() {
    try (Memory memory = memory(true)) {
      MemoryRecord added = memory.add(AddRequest.of("I like tea", "alice")).memory();
      memory.update(added.id(), Scope.user("alice"),
          UpdateRequest.builder().content("I like green tea").build());
      memory.delete(added.id(), Scope.user("alice"));

      assertThat(events(memory)).extracting(OutboxEvent::type).containsExactly(
          WebhookEventType.MEMORY_ADDED, WebhookEventType.MEMORY_UPDATED,
          WebhookEventType.MEMORY_DELETED);
      assertThat(events(memory)).allSatisfy(event -> {
        assertThat(event.entry().memoryId()).isEqualTo(added.id());
        assertThat(event.namespace()).isEqualTo(PartitionKey.DEFAULT_NAMESPACE);
      });
    }
  }

  @Test
  void nothingIsRecordedWithTheKeyOff() {
    try (Memory memory = memory(false)) {
      memory.add(AddRequest.of("I like tea", "alice"));

      assertThat(events(memory)).isEmpty();
    }
  }
}
