package io.inmemory.llm.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.AddRequest;
import io.inmemory.ConversationRequest;
import io.inmemory.EventType;
import io.inmemory.HistoryEntry;
import io.inmemory.InMemoryConfig;
import io.inmemory.ListRequest;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryEvent;
import io.inmemory.MemoryRecord;
import io.inmemory.Message;
import io.inmemory.Scope;
import io.inmemory.engine.Memory;
import io.inmemory.engine.tck.HashingEmbedder;
import io.inmemory.llm.openai.testing.ScriptedModel;
import io.inmemory.llm.openai.testing.ScriptedOpenAi;
import io.inmemory.tck.ModelScript.ScriptedDecision;
import io.inmemory.tck.ModelScript.ScriptedFact;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a supersede leaves on disk: after the file store is closed and reopened, the superseded
 * memory is still hidden, still shown on request with its validity, its history intact, and its
 * text is no longer known to de-duplication — the partition's indexes are rebuilt from the records.
 */
class SupersedeRestartTest {

  @Test
  void aSupersedeSurvivesAReopenAsItWasWritten(@TempDir Path dir) {
    Scope john = Scope.user("john");
    MemoryRecord paris;
    MemoryRecord berlin;
    try (ScriptedOpenAi server = ScriptedOpenAi.start()) {
      ScriptedModel model = new ScriptedModel(server);
      try (MemoryClient memory = open(dir, model)) {
        model.nextFacts(List.of(ScriptedFact.of("John lives in Paris")));
        paris = tell(memory, john, "2024-05-02T10:00:00Z").memory();
        model.nextFacts(List.of(ScriptedFact.of("John moved to Berlin")));
        model.nextDecisions(shown -> List.of(ScriptedDecision.supersede(0, shown.get(0).ref())));
        MemoryEvent event = tell(memory, john, "2024-06-13T09:00:00Z");
        assertThat(event.type()).isEqualTo(EventType.SUPERSEDE);
        berlin = event.memory();
      }
      try (MemoryClient reopened = open(dir, model)) {
        assertThat(reopened.list(ListRequest.builder(john).build()).items())
            .containsExactly(berlin);
        assertThat(reopened.list(ListRequest.builder(john).includeSuperseded(true).build())
            .items()).extracting(MemoryRecord::id)
            .containsExactlyInAnyOrder(paris.id(), berlin.id());
        MemoryRecord old = reopened.get(paris.id(), john).orElseThrow();
        assertThat(old.invalidAt()).isEqualTo(berlin.validFrom());
        assertThat(old.supersededBy()).isEqualTo(berlin.id());
        assertThat(reopened.history(paris.id(), john)).extracting(HistoryEntry::event)
            .containsExactly(HistoryEntry.Event.ADD, HistoryEntry.Event.SUPERSEDE);
        assertThat(reopened.stats(john).supersededCount()).isEqualTo(1);
        assertThat(reopened.add(AddRequest.builder("John lives in Paris", john)
            .deduplicate(true).build()).event()).isEqualTo(EventType.ADD);
        assertThat(reopened.add(AddRequest.builder("john moved to berlin.", john)
            .deduplicate(true).build()).event()).isEqualTo(EventType.NONE);
      }
    }
  }

  private static MemoryEvent tell(MemoryClient memory, Scope scope, String at) {
    List<MemoryEvent> events = memory.add(ConversationRequest.builder(scope)
        .messages(Message.user("(said)").withTimestamp(Instant.parse(at))).build()).events();
    assertThat(events).hasSize(1);
    return events.get(0);
  }

  private static MemoryClient open(Path dir, ScriptedModel model) {
    InMemoryConfig.Builder config = InMemoryConfig.builder().isolated()
        .set(InMemoryConfig.STORE.name(), "file").set("inmemory.store.file.dir", dir.toString());
    model.settings().forEach(config::set);
    return Memory.builder().config(config.build()).embedder(new HashingEmbedder()).build();
  }
}
