package io.inmemory.engine;

import io.inmemory.BatchDelete;
import io.inmemory.BatchItemResult;
import io.inmemory.BatchUpdate;
import io.inmemory.HistoryEntry;
import io.inmemory.InMemoryException;
import io.inmemory.InvalidRequestException;
import io.inmemory.Labels;
import io.inmemory.Limits;
import io.inmemory.MemoryRecord;
import io.inmemory.NotFoundException;
import io.inmemory.Scope;
import io.inmemory.UpdateRequest;
import io.inmemory.Validation;
import io.inmemory.engine.spi.ChangeSet;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Updates and deletions, one at a time and in batches. A batch checks each item first (a bad one
 * is {@link BatchItemResult.Status#INVALID}, the others go on), embeds every new content in one
 * call, then writes each owner's items with one store call under the partition's write lock: a
 * store failure fails that owner's items ({@link BatchItemResult.Status#FAILED}), none of them
 * half-applied, and the other owners' items stay applied.
 *
 * <p>Thread-safe: holds no state of its own.
 */
final class BatchChanges {
  private BatchChanges() {}

  /**
   * An update's new stored memory and history entry.
   *
   * @param stored the memory as updated
   * @param entry its {@code UPDATE} entry
   */
  record Updated(StoredMemory stored, HistoryEntry entry) {}

  /**
   * {@code existing} changed by {@code request} at {@code now}; {@code newEmbedding} is the new
   * content's embedding, or {@code null} when the content stays.
   */
  static Updated updated(Engine engine, String namespace, StoredMemory existing,
      UpdateRequest request, float @Nullable [] newEmbedding, Instant now) {
    MemoryRecord old = existing.memory();
    Labels labels = request.applyTo(old.labels());
    MemoryRecord updated = new MemoryRecord(old.id(), old.userId(),
        request.content() != null ? request.content() : old.content(), labels.tags(),
        labels.people(), labels.topic(), labels.metadata(), old.createdAt(), now,
        old.agentId(), old.sessionId(), old.role(), old.validFrom(), old.invalidAt(),
        old.supersededBy());
    StoredMemory stored = newEmbedding == null
        ? new StoredMemory(namespace, updated, existing.embedding(), existing.embedderId())
        : new StoredMemory(namespace, updated, newEmbedding, engine.embeddings().id());
    return new Updated(stored, new HistoryEntry(old.id(), old.userId(),
        HistoryEntry.Event.UPDATE, old.content(), updated.content(), now, old.agentId(), null));
  }

  /**
   * Deletes {@code memories} of {@code partition} with one store call, under its write lock, and
   * records their {@code DELETE} entries at {@code now}; returns how many the store deleted.
   */
  static int delete(Engine engine, Partition partition, List<StoredMemory> memories,
      Instant now) {
    List<String> ids = memories.stream().map(StoredMemory::id).toList();
    List<HistoryEntry> entries = memories.stream()
        .map(StoredMemory::memory)
        .map(memory -> new HistoryEntry(memory.id(), memory.userId(), HistoryEntry.Event.DELETE,
            memory.content(), null, now, memory.agentId(), null))
        .toList();
    int deleted = engine.store().delete(partition.key(), ids, entries);
    partition.removed(ids);
    return deleted;
  }

  /** {@link io.inmemory.MemoryClient#updateMany}, stamped {@code now}. */
  static List<BatchItemResult> updateMany(Engine engine, String namespace, Limits limits,
      Instant now, List<BatchUpdate> items) {
    checkBatch(limits, items, BatchUpdate::memoryId, BatchUpdate::scope);
    BatchItemResult[] results = new BatchItemResult[items.size()];
    List<Integer> valid = valid(items, results, BatchUpdate::memoryId,
        item -> limits.check(item.request()));
    List<Integer> withContent = valid.stream()
        .filter(i -> items.get(i).request().content() != null).toList();
    List<float[]> vectors = withContent.isEmpty() ? List.of() : engine.embeddings().documents(
        withContent.stream().map(i -> items.get(i).request().content()).toList());
    float[] @Nullable [] embeddings = new float[items.size()][];
    for (int j = 0; j < withContent.size(); j++) {
      embeddings[withContent.get(j)] = vectors.get(j);
    }
    byOwner(namespace, valid, i -> items.get(i).scope()).forEach((key, indexes) ->
        engine.using(key, partition -> partition.write(() -> {
          List<StoredMemory> replaced = new ArrayList<>();
          List<HistoryEntry> entries = new ArrayList<>();
          List<Integer> found = held(partition, indexes, results,
              i -> items.get(i).memoryId(), i -> items.get(i).scope(), (i, existing) -> {
                Updated change = updated(engine, namespace, existing, items.get(i).request(),
                    embeddings[i], now);
                replaced.add(change.stored());
                entries.add(change.entry());
              });
          if (found.isEmpty()) {
            return null;
          }
          try {
            ChangeSet changes = new ChangeSet(key, List.of(), replaced, entries);
            engine.store().commit(changes);
            partition.applied(changes);
            for (int j = 0; j < found.size(); j++) {
              results[found.get(j)] = BatchItemResult.updated(replaced.get(j).memory());
            }
          } catch (InMemoryException e) {
            fail(results, found, i -> items.get(i).memoryId(), e);
          }
          return null;
        })));
    return Arrays.asList(results);
  }

  /** {@link io.inmemory.MemoryClient#deleteMany}, stamped {@code now}. */
  static List<BatchItemResult> deleteMany(Engine engine, String namespace, Limits limits,
      Instant now, List<BatchDelete> items) {
    checkBatch(limits, items, BatchDelete::memoryId, BatchDelete::scope);
    BatchItemResult[] results = new BatchItemResult[items.size()];
    List<Integer> valid = valid(items, results, BatchDelete::memoryId, item -> { });
    byOwner(namespace, valid, i -> items.get(i).scope()).forEach((key, indexes) ->
        engine.using(key, partition -> partition.write(() -> {
          List<StoredMemory> existing = new ArrayList<>();
          List<Integer> found = held(partition, indexes, results,
              i -> items.get(i).memoryId(), i -> items.get(i).scope(),
              (i, memory) -> existing.add(memory));
          if (found.isEmpty()) {
            return null;
          }
          try {
            delete(engine, partition, existing, now);
            found.forEach(i -> results[i] = BatchItemResult.deleted(items.get(i).memoryId()));
          } catch (InMemoryException e) {
            fail(results, found, i -> items.get(i).memoryId(), e);
          }
          return null;
        })));
    return Arrays.asList(results);
  }

  private static <T> void checkBatch(Limits limits, List<T> items,
      Function<? super T, String> memoryId, Function<? super T, Scope> scope) {
    limits.checkBatchSize(items.size());
    Validation.requireDistinct(items, memoryId, scope);
  }

  /** The indexes of the items that pass {@code check}; the others' results are INVALID. */
  private static <T> List<Integer> valid(List<T> items, BatchItemResult[] results,
      Function<? super T, String> memoryId, Consumer<T> check) {
    List<Integer> valid = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      T item = items.get(i);
      try {
        Validation.requireMemoryId(memoryId.apply(item));
        check.accept(item);
        valid.add(i);
      } catch (InvalidRequestException e) {
        results[i] = BatchItemResult.failed(memoryId.apply(item), e);
      }
    }
    return valid;
  }

  /** The item indexes grouped by their owner's partition, in order of first appearance. */
  private static Map<PartitionKey, List<Integer>> byOwner(String namespace,
      List<Integer> indexes, Function<Integer, Scope> scope) {
    Map<PartitionKey, List<Integer>> groups = new LinkedHashMap<>();
    for (int i : indexes) {
      Scope itemScope = scope.apply(i);
      groups.computeIfAbsent(PartitionKey.of(namespace, itemScope.userId(), itemScope.agentId()),
          key -> new ArrayList<>()).add(i);
    }
    return groups;
  }

  /** What to do with an item's memory the partition holds. */
  private interface Found {
    void accept(int index, StoredMemory memory);
  }

  /**
   * The indexes among {@code indexes} whose memory the partition holds in the item's scope, each
   * handed to {@code found}; the others' results are NOT_FOUND.
   */
  private static List<Integer> held(Partition partition, List<Integer> indexes,
      BatchItemResult[] results, Function<Integer, String> memoryId,
      Function<Integer, Scope> scope, Found found) {
    List<Integer> held = new ArrayList<>(indexes.size());
    for (int i : indexes) {
      Optional<StoredMemory> existing = partition.get(memoryId.apply(i), scope.apply(i));
      if (existing.isEmpty()) {
        results[i] = BatchItemResult.failed(memoryId.apply(i),
            NotFoundException.memory(memoryId.apply(i), scope.apply(i)));
      } else {
        found.accept(i, existing.get());
        held.add(i);
      }
    }
    return held;
  }

  /** The items' results when their owner's store call failed: nothing of them was applied. */
  private static void fail(BatchItemResult[] results, List<Integer> indexes,
      Function<Integer, String> memoryId, InMemoryException e) {
    for (int i : indexes) {
      results[i] = new BatchItemResult(memoryId.apply(i), BatchItemResult.Status.FAILED, null, e);
    }
  }
}
