package io.inmemory.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.HistoryEntry;
import io.inmemory.InMemoryConfig;
import io.inmemory.MemoryRecord;
import io.inmemory.Scope;
import io.inmemory.engine.index.IndexSettings;
import io.inmemory.engine.retrieval.RetrievalSettings;
import io.inmemory.engine.spi.ChangeSet;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import io.inmemory.engine.tck.HashingEmbedder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The write paths of a {@link Partition}: scopes, the de-duplication index, change sets. */
class PartitionWritesTest {
  private static final Instant T = Instant.parse("2024-01-01T00:00:00Z");
  private static final PartitionKey KEY = PartitionKey.user(PartitionKey.DEFAULT_NAMESPACE, "u");
  private static final HashingEmbedder EMBEDDER = new HashingEmbedder();

  private static MemoryRecord record(String id, String content, String agentId, String sessionId,
      Instant invalidAt) {
    return new MemoryRecord(id, "u", content, List.of(), List.of(), null, Map.of(), T, T,
        agentId, sessionId, null, T, invalidAt, invalidAt == null ? null : "successor");
  }

  private static StoredMemory stored(MemoryRecord record) {
    return new StoredMemory(KEY.namespace(), record,
        EMBEDDER.embedDocuments(List.of(record.content())).get(0), EMBEDDER.id());
  }

  private static Partition partition(StoredMemory... memories) {
    return new Partition(KEY, EMBEDDER.dimension(), IndexSettings.defaults(),
        RetrievalSettings.from(InMemoryConfig.builder().isolated().build()), List.of(memories),
        vectors -> null);
  }

  @Test
  void duplicatesAreFoundWithinTheGivenAgentAndSessionOnly() {
    StoredMemory tea = stored(record("m1", "I like tea", "a1", "s1", null));
    Partition partition = partition(tea);
    Dedup.Key key = Dedup.Key.of("i like TEA!");

    assertThat(partition.duplicate(key, null, null)).isEqualTo(tea.memory());
    assertThat(partition.duplicate(key, "a1", "s1")).isEqualTo(tea.memory());
    assertThat(partition.duplicate(key, "a2", null)).isNull();
    assertThat(partition.duplicate(key, null, "s2")).isNull();
    assertThat(partition.get("m1", Scope.user("u").withSession("s1"))).contains(tea);
    assertThat(partition.get("m1", Scope.user("u").withAgent("a2"))).isEmpty();
    assertThat(partition.all(Scope.user("u").withAgent("a1"))).containsExactly(tea);
  }

  @Test
  void theIndexFollowsReplacementsAndRemovals() {
    Partition partition = partition(stored(record("m1", "I like tea", null, null, null)));

    StoredMemory coffee = stored(record("m1", "I like coffee", null, null, null));
    partition.replaced(coffee);
    assertThat(partition.duplicate(Dedup.Key.of("I like tea"), null, null)).isNull();
    assertThat(partition.duplicate(Dedup.Key.of("I like coffee"), null, null))
        .isEqualTo(coffee.memory());

    partition.removed(List.of("m1"));
    assertThat(partition.duplicate(Dedup.Key.of("I like coffee"), null, null)).isNull();
  }

  @Test
  void aChangeSetIsAppliedToRecordsIndexAndDuplicates() {
    StoredMemory rome = stored(record("m1", "I live in Rome", null, null, null));
    Partition partition = partition(rome);
    StoredMemory oldRome = stored(record("m1", "I live in Rome", null, null, T.plusSeconds(5)));
    StoredMemory paris = stored(record("m2", "I live in Paris", null, null, null));

    partition.applied(new ChangeSet(KEY, List.of(paris), List.of(oldRome), List.of(
        new HistoryEntry("m2", "u", HistoryEntry.Event.ADD, null, paris.memory().content(), T),
        new HistoryEntry("m1", "u", HistoryEntry.Event.SUPERSEDE, null, null, T))));

    assertThat(partition.size()).isEqualTo(2);
    assertThat(partition.get("m1")).contains(oldRome);
    assertThat(partition.get("m2")).contains(paris);
    assertThat(partition.duplicate(Dedup.Key.of("I live in Rome"), null, null))
        .as("a superseded memory no longer answers for its text").isNull();
    assertThat(partition.duplicate(Dedup.Key.of("I live in Paris."), null, null))
        .isEqualTo(paris.memory());
    // the superseded memory is hidden, as every search that does not ask for it hides it
    assertThat(partition.search(EMBEDDER.embedQuery("I live in Paris"), "I live in Paris", 1,
        Filters.of(Scope.user("u"), null, true), null)).extracting(hit -> hit.memory().id()).containsExactly("m2");
  }

  @Test
  void loadingRebuildsTheIndexOfTheCurrentMemoriesOnly() {
    Partition partition = partition(stored(record("m1", "Old fact", null, null, T)),
        stored(record("m2", "New fact", null, null, null)));

    assertThat(partition.duplicate(Dedup.Key.of("old fact"), null, null)).isNull();
    assertThat(partition.duplicate(Dedup.Key.of("new fact"), null, null)).isNotNull();
  }
}
