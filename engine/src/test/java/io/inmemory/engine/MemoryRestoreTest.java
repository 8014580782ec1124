package io.inmemory.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.AddRequest;
import io.inmemory.ArchivedEmbedding;
import io.inmemory.ArchivedMemory;
import io.inmemory.ExportRequest;
import io.inmemory.HistoryEntry;
import io.inmemory.HistoryEntry.Event;
import io.inmemory.InMemoryConfig;
import io.inmemory.InvalidRequestException;
import io.inmemory.MemoryRecord;
import io.inmemory.RestoreResult;
import io.inmemory.RestoreResult.Outcome;
import io.inmemory.Scope;
import io.inmemory.StorageException;
import io.inmemory.UpdateRequest;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.tck.ForwardingStore;
import io.inmemory.engine.tck.HashingEmbedder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Memory#export} and {@link Memory#restore}: an export restored into an empty engine gives
 * back the same memories, histories (deleted memories' too) and embeddings; restoring is
 * idempotent by id, never overwrites, and finishes what an interrupted run left half-done.
 */
class MemoryRestoreTest {
  private static final InMemoryConfig ISOLATED = InMemoryConfig.builder().isolated().build();
  private static final Instant T0 = Instant.parse("2024-03-01T09:00:00Z");

  /** The embedder of the source, and of targets that share it. */
  private final HashingEmbedder embedder = new HashingEmbedder();
  /** An engine holding {@link #populate}'s memories. */
  private final Memory source = memory(new VolatileMemoryStore(), embedder);

  @BeforeEach
  void populateSource() {
    populate(source);
  }

  @AfterEach
  void closeSource() {
    source.close();
  }

  private static Memory memory(MemoryStore store, HashingEmbedder embedder) {
    return Memory.builder().config(ISOLATED).store(store).embedder(embedder).build();
  }

  private static List<ArchivedMemory> export(Memory memory, ExportRequest request) {
    List<ArchivedMemory> lines = new ArrayList<>();
    memory.export(request, lines::add);
    return lines;
  }

  private static List<Outcome> outcomes(List<RestoreResult> results) {
    return results.stream().map(RestoreResult::outcome).toList();
  }

  /** A superseded memory and its successor, as an extraction would have left them. */
  private static List<ArchivedMemory> supersede(String userId) {
    String old = UUID.randomUUID().toString();
    String next = UUID.randomUUID().toString();
    Instant at = T0.plusSeconds(60);
    MemoryRecord oldRecord = new MemoryRecord(old, userId, "Lives in Paris", List.of("home"),
        List.of(), "places", Map.of(), T0, at, null, "s1", null, T0, at, next);
    MemoryRecord nextRecord = new MemoryRecord(next, userId, "Lives in Lyon", List.of("home"),
        List.of(), "places", Map.of("n", 2L), at, at, null, "s1", null, at, null, null);
    return List.of(
        ArchivedMemory.of(oldRecord, List.of(
            new HistoryEntry(old, userId, Event.ADD, null, "Lives in Paris", T0, null, null),
            new HistoryEntry(old, userId, Event.SUPERSEDE, "Lives in Paris", null, at, null,
                next)), null),
        ArchivedMemory.of(nextRecord, List.of(
            new HistoryEntry(next, userId, Event.ADD, null, "Lives in Lyon", at, null, old)),
            null));
  }

  /** Memories of two users and an agent, updated, superseded and deleted; bob's all deleted. */
  private static void populate(Memory memory) {
    assertThat(outcomes(memory.restore(supersede("alice"))))
        .containsOnly(Outcome.RESTORED);
    MemoryRecord tea = memory.add(AddRequest.builder("Likes tea", Scope.user("alice"))
        .tags(List.of("drinks")).createdAt(T0.minusSeconds(3600)).build()).memory();
    memory.update(tea.id(), "alice", UpdateRequest.builder().content("Likes green tea").build());
    MemoryRecord gone = memory.add("Owns a bike", "alice").memory();
    memory.delete(gone.id(), "alice");
    memory.add(AddRequest.builder("Planned a trip", new Scope("alice", "planner", "s9"))
        .createdAt(T0.plusSeconds(180)).build());
    memory.add("Bob's only memory", "bob");
    memory.deleteAll("bob");
    memory.add(AddRequest.builder("Answer in French", Scope.agent("bot")).build());
  }

  @Test
  void anExportRestoredIntoAnEmptyEngineComesBackWholeAndASecondRunChangesNothing() {
    try (Memory target = memory(new VolatileMemoryStore(), embedder)) {
      List<ArchivedMemory> exported = export(source, ExportRequest.all());
      int embeddings = embedder.documentCalls();

      // by owner, then creation
      assertThat(exported).extracting(a -> a.isDeleted() ? "deleted " + a.history().get(0)
          .newContent() : a.memory().content()).containsExactly("Likes green tea",
          "Lives in Paris", "Lives in Lyon", "Planned a trip", "deleted Owns a bike",
          "deleted Bob's only memory", "Answer in French");
      List<RestoreResult> first = target.restore(exported);
      assertThat(outcomes(first)).containsOnly(Outcome.RESTORED);
      assertThat(embedder.documentCalls()).as("embeddings reused").isEqualTo(embeddings);
      assertThat(export(target, ExportRequest.all())).isEqualTo(exported);
      assertThat(target.history(exported.get(4).id(), "alice"))
          .isEqualTo(source.history(exported.get(4).id(), "alice"));
      assertThat(target.search("green tea", "alice").hits().get(0).memory())
          .isEqualTo(exported.get(0).memory());
      assertThat(target.partitions(null, 10)).extracting(s -> s.partition().owner())
          .containsExactly("alice", "~bot");

      assertThat(outcomes(target.restore(exported))).containsOnly(Outcome.UNCHANGED);
      assertThat(export(target, ExportRequest.all())).isEqualTo(exported);
    }
  }

  @Test
  void anExportOfAScopeOrWithoutHistoriesHoldsWhatItSays() {
    try (Memory target = memory(new VolatileMemoryStore(), embedder)) {

      assertThat(export(source, ExportRequest.of(new Scope("alice", "planner", null))))
          .extracting(a -> a.memory().content()).containsExactly("Planned a trip");
      assertThat(export(source, ExportRequest.of(Scope.user("bob"))))
          .singleElement().matches(ArchivedMemory::isDeleted);
      List<ArchivedMemory> bare = export(source, new ExportRequest(null, true, false, false));
      assertThat(bare).hasSize(5).allMatch(a -> a.history().isEmpty() && a.embedding() == null);

      assertThat(outcomes(target.restore(bare))).containsOnly(Outcome.RESTORED);
      MemoryRecord tea = bare.get(0).memory();
      assertThat(target.history(tea.id(), "alice")).containsExactly(new HistoryEntry(tea.id(),
          "alice", Event.ADD, null, "Likes green tea", tea.createdAt(), null, null));
      assertThat(outcomes(target.restore(bare))).containsOnly(Outcome.UNCHANGED);
    }
  }

  @Test
  void anotherEmbeddersVectorsAreComputedAgainInOneCall() {
    HashingEmbedder other = new HashingEmbedder("hashing:other", 32);
    try (Memory target = memory(new VolatileMemoryStore(), other)) {
      List<ArchivedMemory> exported = export(source, ExportRequest.all());
      assertThat(exported.get(0).embedding().dimensions()).isEqualTo(64);

      assertThat(outcomes(target.restore(exported))).containsOnly(Outcome.RESTORED);

      assertThat(other.documentCalls()).isEqualTo(1);
      List<ArchivedMemory> again = export(target, ExportRequest.all());
      assertThat(again.get(0).embedding()).isEqualTo(new ArchivedEmbedding("hashing:other",
          other.embedDocuments(List.of("Likes green tea")).get(0)));
      assertThat(target.search("green tea", "alice").hits().get(0).memory().content())
          .isEqualTo("Likes green tea");
    }
  }

  @Test
  void aDifferentMemoryUnderTheIdIsAConflictAndIsLeftAsItIs() {
    try (Memory target = memory(new VolatileMemoryStore(), embedder)) {
      List<ArchivedMemory> exported = export(source, ExportRequest.of(Scope.user("alice")));
      target.restore(exported);
      MemoryRecord tea = exported.get(0).memory();
      MemoryRecord changed = target.update(tea.id(), "alice",
          UpdateRequest.builder().tags(List.of("changed")).build());

      List<RestoreResult> results = target.restore(exported);

      assertThat(results.get(0).outcome()).isEqualTo(Outcome.CONFLICT);
      assertThat(results.get(0).problem()).contains(tea.id(), "left as it is");
      assertThat(outcomes(results.subList(1, results.size()))).containsOnly(Outcome.UNCHANGED);
      assertThat(target.get(tea.id(), "alice")).contains(changed);
    }
  }

  @Test
  void aDeletedMemoryLeftHalfRestoredIsCompletedByTheNextRun() {
    AtomicBoolean failDeletes = new AtomicBoolean(true);
    MemoryStore failing = new ForwardingStore(new VolatileMemoryStore()) {
      @Override
      public int delete(PartitionKey partition, List<String> ids, List<HistoryEntry> entries,
          boolean events) {
        if (failDeletes.get()) {
          throw new StorageException("disk full");
        }
        return super.delete(partition, ids, entries, events);
      }
    };
    try (Memory target = memory(failing, embedder)) {
      List<ArchivedMemory> exported = export(source, ExportRequest.of(Scope.user("alice")));
      ArchivedMemory bike = exported.get(4);
      assertThat(bike.isDeleted()).isTrue();

      List<RestoreResult> interrupted = target.restore(exported);
      assertThat(interrupted.get(4)).isEqualTo(new RestoreResult(bike.id(), Outcome.FAILED,
          "disk full"));
      assertThat(outcomes(interrupted)).containsOnly(Outcome.RESTORED, Outcome.FAILED)
          .containsOnlyOnce(Outcome.FAILED);
      failDeletes.set(false);

      List<RestoreResult> rerun = target.restore(exported);
      assertThat(rerun.get(4).outcome()).isEqualTo(Outcome.COMPLETED);
      assertThat(target.get(bike.id(), "alice")).isEmpty();
      assertThat(target.list(io.inmemory.ListRequest.builder(Scope.user("alice")).build())
          .items()).extracting(MemoryRecord::content).doesNotContain("Owns a bike");
      assertThat(target.history(bike.id(), "alice")).isEqualTo(bike.history());
      assertThat(outcomes(target.restore(exported))).containsOnly(Outcome.UNCHANGED);
    }
  }

  @Test
  void badMemoriesAreInvalidAloneAndTooManyAreRefusedWhole() {
    Memory target = Memory.builder()
        .config(InMemoryConfig.builder().isolated().set("inmemory.max-memory-size", "64B")
            .set("inmemory.max-batch-size", "3").build())
        .store(new VolatileMemoryStore()).embedder(embedder).build();
    try (target) {
      MemoryRecord ok = new MemoryRecord(UUID.randomUUID().toString(), "alice", "fine", List.of(),
          List.of(), null, Map.of(), T0, T0);
      MemoryRecord big = new MemoryRecord(UUID.randomUUID().toString(), "alice", "x".repeat(65),
          List.of(), List.of(), null, Map.of(), T0, T0);
      MemoryRecord badId = new MemoryRecord("no/slashes", "alice", "fine", List.of(), List.of(),
          null, Map.of(), T0, T0);
      List<RestoreResult> results = target.restore(List.of(ArchivedMemory.of(ok, List.of(), null),
          ArchivedMemory.of(big, List.of(), null), ArchivedMemory.of(badId, List.of(), null)));

      assertThat(outcomes(results)).containsExactly(Outcome.RESTORED, Outcome.INVALID,
          Outcome.INVALID);
      assertThat(results.get(1).problem()).contains("content");
      assertThat(target.getAll("alice", 10, 0).items()).containsExactly(ok);
      List<ArchivedMemory> four = Collections.nCopies(4, ArchivedMemory.of(ok, List.of(), null));
      assertThatThrownBy(() -> target.restore(four))
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("requests");
      assertThat(outcomes(target.restore(List.of(ArchivedMemory.of(ok, List.of(), null),
          ArchivedMemory.of(ok, List.of(), null)))))
          .containsExactly(Outcome.UNCHANGED, Outcome.INVALID);
    }
  }

  @Test
  void storedPlaceholdersNeverShowInSearches() {
    try (Memory target = memory(new VolatileMemoryStore(), embedder)) {
      target.add("Owns a car", "alice");
      target.restore(export(source, ExportRequest.all()));

      assertThat(target.search("bike", "alice", 20).hits())
          .extracting(hit -> hit.memory().content()).doesNotContain("Owns a bike");
      assertThat(target.getUserStats("bob").memoryCount()).isZero();
    }
  }
}
