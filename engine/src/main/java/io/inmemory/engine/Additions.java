package io.inmemory.engine;

import io.inmemory.AddResult;
import io.inmemory.EventType;
import io.inmemory.HistoryEntry;
import io.inmemory.MemoryRecord;
import io.inmemory.Message;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The one way memories are added, by {@code addAll} and by conversations: records embedded, then
 * inserted with their {@code ADD} history entries in one store call under the write locks of
 * their partitions, all or nothing.
 *
 * <p><b>De-duplication.</b> A draft asking for it is answered by the current memory of its
 * partition that already says its normalized text within its agent and session (where the draft
 * names them), or by an earlier draft of the same call that does: {@link EventType#NONE} with that
 * memory, nothing stored. The check and the insert happen in the same write section, so
 * concurrent adds of one text store it once. Duplicates already held before the call are not
 * embedded (a read-locked pre-check); one that vanished meanwhile is embedded under the lock.
 *
 * <p>Thread-safe: holds no state of its own.
 */
final class Additions {

  /**
   * A memory to add.
   *
   * @param record the complete record, id and times assigned
   * @param deduplicate whether a memory already saying the same answers instead
   * @param continuesThread whether it is the first message of a call remembering a conversation,
   *     to be linked ({@link Message#FOLLOWS_METADATA_KEY}) to the conversation's last message
   *     held, looked up in the same write section as the insert so that two racing calls of one
   *     conversation cannot both link to it
   */
  record Draft(MemoryRecord record, boolean deduplicate, boolean continuesThread) {
    Draft(MemoryRecord record, boolean deduplicate) {
      this(record, deduplicate, false);
    }
  }

  private Additions() {}

  /**
   * Adds the drafts to the partitions of {@code engine} in {@code namespace}, stamping history
   * with {@code now}; returns one result per draft, in order.
   */
  static List<AddResult> add(Engine engine, String namespace, Instant now, List<Draft> drafts) {
    int count = drafts.size();
    PartitionKey[] keys = new PartitionKey[count];
    Dedup.@Nullable Key[] texts = new Dedup.Key[count];
    for (int i = 0; i < count; i++) {
      MemoryRecord record = drafts.get(i).record();
      keys[i] = PartitionKey.of(namespace, record.userId(), record.agentId());
      if (drafts.get(i).deduplicate()) {
        texts[i] = Dedup.Key.of(record.content());
      }
    }
    // pinned until the store and the partitions have the batch, so none is loaded twice
    try (PartitionCache.Leases leases = engine.partitions().acquireAll(Arrays.asList(keys))) {
      Map<PartitionKey, Partition> partitions = new LinkedHashMap<>();
      leases.partitions().forEach(partition -> partitions.put(partition.key(), partition));
      return add(engine, namespace, now, drafts, keys, texts, partitions);
    }
  }

  /** {@link #add} once the partitions of {@code keys} are pinned. */
  private static List<AddResult> add(Engine engine, String namespace, Instant now,
      List<Draft> drafts, PartitionKey[] keys, Dedup.@Nullable Key[] texts,
      Map<PartitionKey, Partition> partitions) {
    int count = drafts.size();
    float[] @Nullable [] vectors = embedNew(engine, drafts, keys, texts, partitions);
    return Partition.writeAll(List.copyOf(partitions.values()), () -> {
      AddResult[] results = new AddResult[count];
      Map<PartitionKey, Dedup> added = new HashMap<>();
      Map<String, MemoryRecord> addedById = new HashMap<>();
      Map<PartitionKey, List<StoredMemory>> byPartition = new LinkedHashMap<>();
      List<StoredMemory> memories = new ArrayList<>(count);
      List<HistoryEntry> entries = new ArrayList<>(count);
      Map<String, String> answeredBy = new HashMap<>();
      for (int i = 0; i < count; i++) {
        MemoryRecord record = threaded(drafts.get(i), partitions.get(keys[i]), answeredBy);
        Dedup.Key text = texts[i];
        @Nullable MemoryRecord existing = text == null ? null
            : duplicate(partitions.get(keys[i]), added.get(keys[i]), addedById, text, record);
        if (existing != null) {
          results[i] = new AddResult(existing, EventType.NONE);
          answeredBy.put(record.id(), existing.id());
          continue;
        }
        float[] vector = vectors[i] != null ? vectors[i]
            : engine.embeddings().documents(List.of(record.content())).get(0);
        StoredMemory stored =
            new StoredMemory(namespace, record, vector, engine.embeddings().id());
        memories.add(stored);
        entries.add(new HistoryEntry(record.id(), record.userId(), HistoryEntry.Event.ADD, null,
            record.content(), now, record.agentId(), null));
        byPartition.computeIfAbsent(keys[i], key -> new ArrayList<>()).add(stored);
        added.computeIfAbsent(keys[i], key -> new Dedup()).add(record);
        addedById.put(record.id(), record);
        results[i] = new AddResult(record);
      }
      if (!memories.isEmpty()) {
        engine.store().insert(memories, entries);
        byPartition.forEach((key, stored) -> partitions.get(key).added(stored));
      }
      return Arrays.asList(results);
    });
  }

  /**
   * The draft's record with its thread link ({@link Message#FOLLOWS_METADATA_KEY}) resolved: for
   * the first message of a conversation's call, to the conversation's last message held; for a
   * message following a draft answered by a duplicate, to the memory that answered it.
   */
  private static MemoryRecord threaded(Draft draft, Partition partition,
      Map<String, String> answeredBy) {
    MemoryRecord record = draft.record();
    String link = draft.continuesThread()
        ? partition.lastMessage(record.agentId(), record.sessionId(), record.createdAt())
        : record.metadata().get(Message.FOLLOWS_METADATA_KEY) instanceof String id
            ? answeredBy.get(id) : null;
    return link == null ? record
        : new MemoryRecord(record.id(), record.userId(), record.content(), record.tags(),
            record.people(), record.topic(), linked(record.metadata(), link),
            record.createdAt(), record.updatedAt(), record.agentId(), record.sessionId(),
            record.role(), record.validFrom(), record.invalidAt(), record.supersededBy());
  }

  /**
   * {@code metadata} with the link ({@link Message#FOLLOWS_METADATA_KEY}) to {@code previous}, when
   * there is one.
   */
  static Map<String, Object> linked(Map<String, Object> metadata, @Nullable String previous) {
    if (previous == null) {
      return metadata;
    }
    Map<String, Object> linked = new LinkedHashMap<>(metadata);
    linked.put(Message.FOLLOWS_METADATA_KEY, previous);
    return Collections.unmodifiableMap(linked);
  }

  /**
   * The embeddings of the drafts that can be new, one batch; null for the drafts known to be
   * duplicates: of a memory held (read-locked look-up) or of an earlier draft of the same
   * partition, text, agent and session.
   */
  private static float[] @Nullable [] embedNew(Engine engine, List<Draft> drafts,
      PartitionKey[] keys, Dedup.@Nullable Key[] texts, Map<PartitionKey, Partition> partitions) {
    List<Integer> fresh = new ArrayList<>(drafts.size());
    Set<List<Object>> seen = new HashSet<>();
    for (int i = 0; i < drafts.size(); i++) {
      Dedup.Key text = texts[i];
      if (text != null) {
        MemoryRecord record = drafts.get(i).record();
        Partition partition = partitions.get(keys[i]);
        boolean held = partition.read(() ->
            partition.duplicate(text, record.agentId(), record.sessionId()) != null);
        if (held || !seen.add(Arrays.asList(keys[i], text.normal(), record.agentId(),
            record.sessionId()))) {
          continue;
        }
      }
      fresh.add(i);
    }
    float[] @Nullable [] vectors = new float[drafts.size()][];
    if (fresh.isEmpty()) {
      return vectors;
    }
    List<float[]> embedded = engine.embeddings().documents(
        fresh.stream().map(i -> drafts.get(i).record().content()).toList());
    for (int j = 0; j < fresh.size(); j++) {
      vectors[fresh.get(j)] = embedded.get(j);
    }
    return vectors;
  }

  /**
   * The memory already saying {@code text} for {@code record}'s agent and session: held by the
   * partition, else added earlier in this call ({@code added}, null when none was); null when
   * there is none.
   */
  private static @Nullable MemoryRecord duplicate(Partition partition, @Nullable Dedup added,
      Map<String, MemoryRecord> addedById, Dedup.Key text, MemoryRecord record) {
    @Nullable MemoryRecord held =
        partition.duplicate(text, record.agentId(), record.sessionId());
    if (held != null || added == null) {
      return held;
    }
    return added.find(text,
        memory -> Partition.inScope(memory, record.agentId(), record.sessionId()),
        addedById::get);
  }
}
