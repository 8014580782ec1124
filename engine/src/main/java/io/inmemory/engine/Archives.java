package io.inmemory.engine;

import io.inmemory.ArchivedEmbedding;
import io.inmemory.ArchivedMemory;
import io.inmemory.ExportRequest;
import io.inmemory.HistoryEntry;
import io.inmemory.InMemoryException;
import io.inmemory.InvalidRequestException;
import io.inmemory.MemoryRecord;
import io.inmemory.RestoreResult;
import io.inmemory.RestoreResult.Outcome;
import io.inmemory.Scope;
import io.inmemory.UpdateRequest;
import io.inmemory.Validation;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.PartitionSummary;
import io.inmemory.engine.spi.StoredMemory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Export and restore of an engine's memories ({@link io.inmemory.MemoryArchive}). Restores go
 * through the store's ordinary {@code insert} and {@code delete}, so every store, a third party's
 * too, takes them unchanged: a memory is inserted with its whole archived history; a deleted
 * memory is inserted as a placeholder (its last content, a unit vector, no labels) with its
 * history but the delete, then deleted with the archived delete entry, under the same write lock
 * and never added to the partition's index.
 *
 * <p>Thread-safe: holds no state of its own.
 */
final class Archives {
  /** How many owners one read of the store lists. */
  private static final int OWNERS_PAGE = PartitionSummary.MAX_LIMIT;
  /** Lines in export order: creation (a deleted memory's: its add), then id. */
  private static final Comparator<ArchivedMemory> ORDER = Comparator
      .comparing(Archives::created).thenComparing(ArchivedMemory::id);

  private Archives() {}

  // ------------------------------------------------------------------ export

  static void export(Engine engine, String namespace, ExportRequest request,
      Consumer<ArchivedMemory> sink) {
    Scope scope = request.scope();
    if (scope != null) {
      exportPartition(engine, PartitionKey.of(namespace, scope.userId(), scope.agentId()), scope,
          request, sink);
      return;
    }
    String after = null;
    List<PartitionKey> page;
    do {
      page = engine.store().historyPartitions(namespace, after, OWNERS_PAGE);
      for (PartitionKey key : page) {
        exportPartition(engine, key, new Scope(key.userId(), key.agentId(), null), request, sink);
      }
      after = page.isEmpty() ? after : page.get(page.size() - 1).owner();
    } while (page.size() == OWNERS_PAGE);
  }

  /**
   * One owner's lines, read under the partition's read lock and handed to {@code sink} after it
   * (the sink may be slow: a network). Histories are read before memories: a memory another
   * process deletes in between is left out (its history does not yet end with the delete); one
   * it adds in between has no history in the export.
   */
  private static void exportPartition(Engine engine, PartitionKey key, Scope scope,
      ExportRequest request, Consumer<ArchivedMemory> sink) {
    List<ArchivedMemory> lines = engine.using(key, partition -> partition.read(() -> {
      Map<String, List<HistoryEntry>> histories =
          request.history() ? engine.store().histories(key) : Map.of();
      List<ArchivedMemory> archived = new ArrayList<>();
      Set<String> held = new HashSet<>();
      for (StoredMemory stored : engine.store().load(key)) {
        held.add(stored.id());
        if (Partition.inScope(stored.memory(), scope.agentId(), scope.sessionId())) {
          archived.add(ArchivedMemory.of(stored.memory(),
              histories.getOrDefault(stored.id(), List.of()),
              request.embeddings() ? new ArchivedEmbedding(stored.embedderId(),
                  stored.embedding()) : null));
        }
      }
      if (request.includesDeleted()) {
        histories.forEach((id, history) -> {
          if (!held.contains(id) && deletedInScope(history, scope)) {
            archived.add(ArchivedMemory.deleted(history));
          }
        });
      }
      return archived;
    }));
    lines.sort(ORDER);
    lines.forEach(sink);
  }

  /**
   * Whether {@code history} is a deleted memory's within {@code scope}: as
   * {@link Memory#history} places it, by the agent of its history, never within a session.
   */
  private static boolean deletedInScope(List<HistoryEntry> history, Scope scope) {
    return history.get(history.size() - 1).event() == HistoryEntry.Event.DELETE
        && scope.sessionId() == null
        && (scope.agentId() == null || scope.agentId().equals(history.get(0).agentId()));
  }

  private static Instant created(ArchivedMemory archived) {
    return archived.memory() != null ? archived.memory().createdAt()
        : archived.history().get(0).at();
  }

  // ------------------------------------------------------------------ restore

  /** One archived memory to restore, with what it needs on the way. */
  private static final class Item {
    final int index;
    final PartitionKey key;
    final ArchivedMemory archived;
    /** The history to store: the archived one, or the one add a history-less export implies. */
    final List<HistoryEntry> history;
    float @Nullable [] vector;

    Item(int index, PartitionKey key, ArchivedMemory archived) {
      this.index = index;
      this.key = key;
      this.archived = archived;
      MemoryRecord memory = archived.memory();
      this.history = !archived.history().isEmpty() || memory == null ? archived.history()
          : List.of(new HistoryEntry(memory.id(), memory.userId(), HistoryEntry.Event.ADD, null,
              memory.content(), memory.createdAt(), memory.agentId(), null));
    }

    String id() {
      return archived.id();
    }
  }

  static List<RestoreResult> restore(Engine engine, String namespace,
      List<ArchivedMemory> memories) {
    engine.settings().limits().checkBatchSize(memories.size());
    RestoreResult[] results = new RestoreResult[memories.size()];
    Map<PartitionKey, List<Item>> byOwner = new LinkedHashMap<>();
    Set<List<String>> seen = new HashSet<>();
    for (int i = 0; i < memories.size(); i++) {
      ArchivedMemory archived = Objects.requireNonNull(memories.get(i), "memories[" + i + "]");
      PartitionKey key = PartitionKey.of(namespace, archived.userId(), archived.agentId());
      try {
        check(engine, archived);
      } catch (InvalidRequestException e) {
        results[i] = new RestoreResult(archived.id(), Outcome.INVALID, e.getMessage());
        continue;
      }
      if (!seen.add(List.of(key.owner(), archived.id()))) {
        results[i] = new RestoreResult(archived.id(), Outcome.INVALID,
            "memory " + archived.id() + " is given twice in one restore");
        continue;
      }
      byOwner.computeIfAbsent(key, k -> new ArrayList<>()).add(new Item(i, key, archived));
    }
    try {
      embedNew(engine, byOwner.values().stream().flatMap(List::stream).toList());
    } catch (InMemoryException e) {
      byOwner.values().forEach(items -> fail(results, items, e));
      return Arrays.asList(results);
    }
    byOwner.forEach((key, items) -> {
      try {
        engine.using(key, partition -> partition.write(() -> {
          restoreLocked(engine, namespace, partition, items, results);
          return null;
        }));
      } catch (InMemoryException e) {
        for (Item item : items) {
          if (results[item.index] == null) {
            results[item.index] = new RestoreResult(item.id(), Outcome.FAILED, e.getMessage());
          }
        }
      }
    });
    return Arrays.asList(results);
  }

  /**
   * The rules every memory of the store follows, as an add or update would check them: the id's
   * form, the owner's and scope's ids, the limits on content and labels, well-formed text.
   */
  private static void check(Engine engine, ArchivedMemory archived) {
    Validation.requireMemoryId(archived.id());
    MemoryRecord memory = archived.memory();
    if (memory == null) {
      new Scope(archived.userId(), archived.agentId(), null);
    } else {
      new Scope(memory.userId(), memory.agentId(), memory.sessionId());
      engine.settings().limits().check(new UpdateRequest(memory.content(), memory.tags(),
          memory.people(), memory.topic() == null ? "" : memory.topic(), memory.metadata()));
    }
    for (HistoryEntry entry : archived.history()) {
      for (String text : Arrays.asList(entry.previousContent(), entry.newContent())) {
        if (text != null && !Validation.isWellFormedText(text)) {
          throw new InvalidRequestException("history", "holds text with a lone surrogate");
        }
      }
    }
  }

  /**
   * Gives each live memory its archived embedding when the configured embedder made it (same id
   * and dimensions); embeds, in one call, those of the others the store does not hold yet (a
   * memory the store holds is not stored again, so it needs none).
   */
  private static void embedNew(Engine engine, List<Item> items) {
    List<Item> toEmbed = new ArrayList<>();
    for (Item item : items) {
      ArchivedEmbedding embedding = item.archived.embedding();
      if (item.archived.memory() == null) {
        continue;
      }
      if (embedding != null
          && embedding.matches(engine.embeddings().id(), engine.embeddings().dimension())) {
        item.vector = embedding.vector();
      } else if (engine.store().history(item.key, item.id()).isEmpty()) {
        toEmbed.add(item);
      }
    }
    if (!toEmbed.isEmpty()) {
      List<float[]> vectors = engine.embeddings().documents(
          toEmbed.stream().map(item -> item.archived.memory().content()).toList());
      for (int i = 0; i < toEmbed.size(); i++) {
        toEmbed.get(i).vector = vectors.get(i);
      }
    }
  }

  /** Compares each item with the store and writes the new and unfinished ones, under the lock. */
  private static void restoreLocked(Engine engine, String namespace, Partition partition,
      List<Item> items, RestoreResult[] results) {
    PartitionKey key = partition.key();
    Map<String, StoredMemory> held = new HashMap<>();
    engine.store().load(key, items.stream().map(Item::id).toList())
        .forEach(stored -> held.put(stored.id(), stored));
    List<Item> fresh = new ArrayList<>();
    List<Item> unfinished = new ArrayList<>();
    for (Item item : items) {
      List<HistoryEntry> stored = engine.store().history(key, item.id());
      StoredMemory holding = held.get(item.id());
      MemoryRecord memory = item.archived.memory();
      if (stored.isEmpty() && holding == null) {
        if (memory != null && item.vector == null) {
          // the store held the id when the embeddings were made, and no longer does
          results[item.index] = new RestoreResult(item.id(), Outcome.FAILED,
              "memory " + item.id() + " changed while it was restored: run the restore again");
        } else {
          fresh.add(item);
        }
      } else if (holding != null ? holding.memory().equals(memory) && stored.equals(item.history)
          : memory == null && stored.equals(item.history)) {
        results[item.index] = RestoreResult.of(item.id(), Outcome.UNCHANGED);
      } else if (memory == null && holding != null
          && stored.equals(item.history.subList(0, item.history.size() - 1))) {
        unfinished.add(item);
      } else {
        results[item.index] = new RestoreResult(item.id(), Outcome.CONFLICT, "the store holds"
            + " another memory or history under id " + item.id() + "; left as it is");
      }
    }
    List<Item> placeholders = fresh.stream().filter(item -> item.archived.isDeleted()).toList();
    if (!fresh.isEmpty() && !insert(engine, namespace, partition, fresh, results)) {
      placeholders = List.of();
    }
    List<Item> deletions = new ArrayList<>(placeholders);
    deletions.addAll(unfinished);
    if (deletions.isEmpty()) {
      return;
    }
    List<String> ids = deletions.stream().map(Item::id).toList();
    try {
      engine.store().delete(key, ids,
          deletions.stream().map(item -> item.history.get(item.history.size() - 1)).toList(),
          false);
      // an unfinished one is held when the partition was loaded since the interruption
      partition.removed(ids);
      placeholders.forEach(item -> results[item.index] = RestoreResult.of(item.id(),
          Outcome.RESTORED));
      unfinished.forEach(item -> results[item.index] = RestoreResult.of(item.id(),
          Outcome.COMPLETED));
    } catch (InMemoryException e) {
      // placeholders stay live in the store (not in the index): the next restore completes them
      partition.markStale();
      fail(results, deletions, e);
    }
  }

  /**
   * Inserts the new memories and deleted memories' placeholders with their histories (a deleted
   * one's without its delete) by one store call; the live ones are then RESTORED and indexed.
   * Returns whether the store took them; if not, all are FAILED.
   */
  private static boolean insert(Engine engine, String namespace, Partition partition,
      List<Item> fresh, RestoreResult[] results) {
    List<StoredMemory> inserted = new ArrayList<>();
    List<StoredMemory> live = new ArrayList<>();
    List<HistoryEntry> entries = new ArrayList<>();
    for (Item item : fresh) {
      MemoryRecord memory = item.archived.memory();
      if (memory != null) {
        StoredMemory stored = new StoredMemory(namespace, memory, item.vector,
            engine.embeddings().id());
        inserted.add(stored);
        live.add(stored);
        entries.addAll(item.history);
      } else {
        inserted.add(placeholder(engine, namespace, item.archived));
        entries.addAll(item.history.subList(0, item.history.size() - 1));
      }
    }
    try {
      // history written long ago: not announced again as webhook events
      engine.store().insert(inserted, entries, false);
    } catch (InMemoryException e) {
      fail(results, fresh, e);
      return false;
    }
    partition.added(live);
    fresh.stream().filter(item -> !item.archived.isDeleted()).forEach(item ->
        results[item.index] = RestoreResult.of(item.id(), Outcome.RESTORED));
    return true;
  }

  /** A deleted memory's stand-in until its delete: its last content, no labels, a unit vector. */
  private static StoredMemory placeholder(Engine engine, String namespace,
      ArchivedMemory archived) {
    List<HistoryEntry> history = archived.history();
    HistoryEntry first = history.get(0);
    HistoryEntry last = history.get(history.size() - 1);
    String content = last.previousContent() != null ? last.previousContent()
        : Objects.requireNonNullElse(first.newContent(), "");
    MemoryRecord record = new MemoryRecord(archived.id(), archived.userId(), content, List.of(),
        List.of(), null, Map.of(), first.at(), first.at(),
        archived.userId() == null ? archived.agentId() : first.agentId(), null, null,
        first.at(), null, null);
    float[] vector = new float[engine.embeddings().dimension()];
    vector[0] = 1;
    return new StoredMemory(namespace, record, vector, engine.embeddings().id());
  }

  private static void fail(RestoreResult[] results, List<Item> items, InMemoryException e) {
    for (Item item : items) {
      results[item.index] = new RestoreResult(item.id(), Outcome.FAILED, e.getMessage());
    }
  }
}
