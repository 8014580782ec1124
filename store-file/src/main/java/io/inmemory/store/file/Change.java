package io.inmemory.store.file;

import io.inmemory.HistoryEntry;
import io.inmemory.engine.spi.ChangeSet;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import io.inmemory.engine.tenant.ApiKeyRecord;
import io.inmemory.engine.tenant.Project;
import io.inmemory.engine.tenant.WebhookTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One logged change: what a single store call did, written as one frame so it is all or nothing
 * on recovery. Writers validate against the current state before building a change; applying
 * one (live or on replay) therefore never fails.
 *
 * <p>Access changes (projects and API keys) are upserts of whole records, or of a key's usage
 * fields, with absolute values: replaying one over a state that already holds it changes
 * nothing. The store's access table applies them itself when they are made; {@link #apply} is
 * their replay. The same holds for {@link Webhooks}, the changes of the webhook table.
 *
 * <p>The records that write memories end with an events byte (format 4; older records read as
 * 0): 1 when their history entries are pending webhook events, which {@link #recordEvents} then
 * records under the record's log position, live and on replay alike.
 */
sealed interface Change {
  int INSERT = 1;
  int REPLACE = 2;
  int REPLACE_EMBEDDINGS = 3;
  int DELETE = 4;
  /** Written by a clean close: proves everything before it was fsynced. Has no body. */
  int CLOSED = 5;
  int PUT_PROJECT = 6;
  int PUT_KEYS = 7;
  int PUT_USAGE = 8;
  /** Several changes of one partition (format 3). */
  int COMMIT = 9;
  /** A change of the webhook table (format 4). */
  int WEBHOOKS = 10;

  int type();

  void encodeBody(Encoder out);

  void apply(StoreState state);

  /**
   * Records this change's history entries as pending webhook events at {@code position} (see
   * {@link StoreState#position}) if its events byte says so; called right after {@link #apply}.
   */
  default void recordEvents(StoreState state, String position) {}

  /** The memories this change stores, if any (to size its buffer). */
  default List<StoredMemory> storedMemories() {
    return List.of();
  }

  /** An encoded frame of this change, horizon not yet sealed. */
  default Encoder encode() {
    long size = 512;
    for (StoredMemory memory : storedMemories()) {
      size += Records.estimatedSize(memory);
    }
    Encoder out = new Encoder((int) Math.min(size, 64L << 20));
    out.beginFrame(type());
    encodeBody(out);
    out.endFrame();
    return out;
  }

  /** Decodes a change of a log record type, or returns null for {@link #CLOSED}. */
  static @Nullable Change decode(int type, Decoder in) {
    Change change = switch (type) {
      case INSERT -> Insert.decode(in);
      case REPLACE -> new Replace(Records.readMemory(in), Records.readEntry(in), readEvents(in));
      case REPLACE_EMBEDDINGS -> new ReplaceEmbeddings(readMemories(in));
      case DELETE -> Delete.decode(in);
      case CLOSED -> null;
      case PUT_PROJECT -> new PutProject(Records.readProject(in));
      case PUT_KEYS -> PutKeys.decode(in);
      case PUT_USAGE -> PutUsage.decode(in);
      case COMMIT -> Commit.decode(in);
      case WEBHOOKS -> new Webhooks(WebhookRecords.readEffect(in));
      default -> throw new MalformedRecordException("unknown log record type " + type);
    };
    in.requireEnd();
    return change;
  }

  private static List<StoredMemory> readMemories(Decoder in) {
    int count = in.count(1);
    List<StoredMemory> memories = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      memories.add(Records.readMemory(in));
    }
    return memories;
  }

  /** The events byte that ends a memory-writing record of format 4; absent (false) before. */
  private static boolean readEvents(Decoder in) {
    if (in.version() < 4) {
      return false;
    }
    return switch (in.u8()) {
      case 0 -> false;
      case 1 -> true;
      default -> throw new MalformedRecordException("invalid events byte");
    };
  }

  /** Records {@code entries} of {@code namespace} as pending events when {@code events}. */
  private static void recordEvents(StoreState state, boolean events, String namespace,
      List<HistoryEntry> entries, String position) {
    if (events && !entries.isEmpty()) {
      state.webhooks.record(namespace, entries, position);
    }
  }

  private static PartitionKey readPartition(Decoder in) {
    String namespace = in.string();
    String owner = in.string();
    try {
      return new PartitionKey(namespace, owner);
    } catch (RuntimeException e) {
      throw new MalformedRecordException("invalid partition: " + e.getMessage());
    }
  }

  private static void writeMemories(Encoder out, List<StoredMemory> memories) {
    out.i32(memories.size());
    for (StoredMemory memory : memories) {
      Records.writeMemory(out, memory);
    }
  }

  /**
   * New memories and their history entries; {@code owners[i]} is the index of the memory entry
   * {@code i} belongs to (which fixes its partition).
   */
  record Insert(List<StoredMemory> memories, List<HistoryEntry> entries, int[] owners,
      boolean events) implements Change {
    @Override
    public int type() {
      return INSERT;
    }

    @Override
    public List<StoredMemory> storedMemories() {
      return memories;
    }

    @Override
    public void encodeBody(Encoder out) {
      writeMemories(out, memories);
      out.i32(entries.size());
      for (int i = 0; i < entries.size(); i++) {
        out.i32(owners[i]);
        Records.writeEntry(out, entries.get(i));
      }
      out.u8(events ? 1 : 0);
    }

    static Insert decode(Decoder in) {
      List<StoredMemory> memories = readMemories(in);
      int count = in.count(1);
      List<HistoryEntry> entries = new ArrayList<>(count);
      int[] owners = new int[count];
      for (int i = 0; i < count; i++) {
        owners[i] = in.i32();
        if (owners[i] < 0 || owners[i] >= memories.size()) {
          throw new MalformedRecordException("history entry of an unknown memory");
        }
        entries.add(Records.readEntry(in));
      }
      return new Insert(memories, entries, owners, readEvents(in));
    }

    @Override
    public void apply(StoreState state) {
      memories.forEach(state::put);
      for (int i = 0; i < entries.size(); i++) {
        state.partition(memories.get(owners[i]).partition()).append(entries.get(i));
      }
    }

    /** Each entry is an event of its own memory's namespace (one batch may span several). */
    @Override
    public void recordEvents(StoreState state, String position) {
      for (int i = 0; i < entries.size(); i++) {
        Change.recordEvents(state, events, memories.get(owners[i]).namespace(),
            List.of(entries.get(i)), position + String.format("%08x", i));
      }
    }
  }

  /** A new version of an existing memory and its history entry. */
  record Replace(StoredMemory memory, HistoryEntry entry, boolean events) implements Change {
    @Override
    public int type() {
      return REPLACE;
    }

    @Override
    public List<StoredMemory> storedMemories() {
      return List.of(memory);
    }

    @Override
    public void encodeBody(Encoder out) {
      Records.writeMemory(out, memory);
      Records.writeEntry(out, entry);
      out.u8(events ? 1 : 0);
    }

    @Override
    public void apply(StoreState state) {
      state.put(memory);
      state.partition(memory.partition()).append(entry);
    }

    @Override
    public void recordEvents(StoreState state, String position) {
      Change.recordEvents(state, events, memory.namespace(), List.of(entry), position);
    }
  }

  /** New embeddings of existing memories (only those that exist are logged). */
  record ReplaceEmbeddings(List<StoredMemory> memories) implements Change {
    @Override
    public int type() {
      return REPLACE_EMBEDDINGS;
    }

    @Override
    public List<StoredMemory> storedMemories() {
      return memories;
    }

    @Override
    public void encodeBody(Encoder out) {
      writeMemories(out, memories);
    }

    @Override
    public void apply(StoreState state) {
      memories.forEach(state::put);
    }
  }

  /** Deleted memories of one partition (only those that existed) and their history entries. */
  record Delete(PartitionKey partition, List<String> ids, List<HistoryEntry> entries,
      boolean events) implements Change {
    @Override
    public int type() {
      return DELETE;
    }

    @Override
    public void encodeBody(Encoder out) {
      out.string(partition.namespace());
      out.string(partition.owner());
      out.strings(ids);
      out.i32(entries.size());
      for (HistoryEntry entry : entries) {
        Records.writeEntry(out, entry);
      }
      out.u8(events ? 1 : 0);
    }

    static Delete decode(Decoder in) {
      PartitionKey key = readPartition(in);
      List<String> ids = in.strings();
      int count = in.count(1);
      List<HistoryEntry> entries = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        entries.add(Records.readEntry(in));
      }
      return new Delete(key, ids, entries, readEvents(in));
    }

    @Override
    public void apply(StoreState state) {
      StoreState.Partition target = state.partition(partition);
      for (String id : ids) {
        target.memories.remove(id);
      }
      for (HistoryEntry entry : entries) {
        target.append(entry);
      }
    }

    @Override
    public void recordEvents(StoreState state, String position) {
      Change.recordEvents(state, events, partition.namespace(), entries, position);
    }
  }

  /**
   * A {@link io.inmemory.engine.spi.MemoryStore#commit}: new memories, replaced ones and their
   * entries, of one partition, in one frame so that recovery replays all of it or, from a torn
   * tail, none.
   */
  record Commit(ChangeSet changes) implements Change {
    @Override
    public int type() {
      return COMMIT;
    }

    @Override
    public List<StoredMemory> storedMemories() {
      return changes.memories();
    }

    @Override
    public void encodeBody(Encoder out) {
      out.string(changes.partition().namespace());
      out.string(changes.partition().owner());
      writeMemories(out, changes.inserted());
      writeMemories(out, changes.replaced());
      out.i32(changes.entries().size());
      for (HistoryEntry entry : changes.entries()) {
        Records.writeEntry(out, entry);
      }
      out.u8(changes.events() ? 1 : 0);
    }

    static Commit decode(Decoder in) {
      PartitionKey key = readPartition(in);
      List<StoredMemory> inserted = readMemories(in);
      List<StoredMemory> replaced = readMemories(in);
      int count = in.count(1);
      List<HistoryEntry> entries = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        entries.add(Records.readEntry(in));
      }
      try {
        return new Commit(new ChangeSet(key, inserted, replaced, entries, readEvents(in)));
      } catch (IllegalArgumentException e) {
        throw new MalformedRecordException("inconsistent commit: " + e.getMessage());
      }
    }

    @Override
    public void apply(StoreState state) {
      StoreState.Partition target = state.partition(changes.partition());
      for (StoredMemory memory : changes.memories()) {
        target.memories.put(memory.id(), memory);
      }
      changes.entries().forEach(target::append);
    }

    @Override
    public void recordEvents(StoreState state, String position) {
      Change.recordEvents(state, changes.events(), changes.partition().namespace(),
          changes.entries(), position);
    }
  }

  /** A new project. */
  record PutProject(Project project) implements Change {
    @Override
    public int type() {
      return PUT_PROJECT;
    }

    @Override
    public void encodeBody(Encoder out) {
      Records.writeProject(out, project);
    }

    @Override
    public void apply(StoreState state) {
      state.access.restore(project);
    }
  }

  /**
   * The change that logs {@code keys}: their usage only when every one is stored and differs
   * only in its usage fields, else the keys whole. Called before the keys are applied, while
   * {@code state} still holds the previous versions.
   */
  static Change putKeys(StoreState state, List<ApiKeyRecord> keys) {
    List<PutUsage.Usage> usages = new ArrayList<>(keys.size());
    for (ApiKeyRecord key : keys) {
      PutUsage.Usage usage = state.access.key(key.id())
          .map(before -> PutUsage.of(before, key)).orElse(null);
      if (usage == null) {
        return new PutKeys(List.copyOf(keys));
      }
      usages.add(usage);
    }
    return new PutUsage(usages);
  }

  /** New or changed API keys, whole. */
  record PutKeys(List<ApiKeyRecord> keys) implements Change {
    @Override
    public int type() {
      return PUT_KEYS;
    }

    @Override
    public void encodeBody(Encoder out) {
      out.i32(keys.size());
      keys.forEach(key -> Records.writeKey(out, key));
    }

    static PutKeys decode(Decoder in) {
      int count = in.count(1);
      List<ApiKeyRecord> keys = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        keys.add(Records.readKey(in));
      }
      return new PutKeys(keys);
    }

    @Override
    public void apply(StoreState state) {
      keys.forEach(state.access::restore);
    }
  }

  /**
   * The usage fields of existing keys, as they are after a usage report: the compact form of
   * {@link PutKeys} for the frequent change that touches nothing else (about 30 bytes plus the
   * key id per key, instead of a whole key).
   */
  record PutUsage(List<Usage> usages) implements Change {
    /** A key's usage count and last-used time, both absolute. */
    record Usage(String keyId, long usageCount, Instant lastUsedAt) {}

    /**
     * The usage-only form of {@code after} when it differs from {@code before} only in its usage
     * fields, or null.
     */
    static @Nullable Usage of(ApiKeyRecord before, ApiKeyRecord after) {
      return after.lastUsedAt() != null
          && withUsage(after, before.usageCount(), before.lastUsedAt()).equals(before)
          ? new Usage(after.id(), after.usageCount(), after.lastUsedAt()) : null;
    }

    private static ApiKeyRecord withUsage(ApiKeyRecord key, long count, Instant lastUsedAt) {
      return new ApiKeyRecord(key.id(), key.projectId(), key.name(), key.hash(), key.hint(),
          key.scopes(), key.createdAt(), key.expiresAt(), key.revokedAt(), lastUsedAt, count);
    }

    @Override
    public int type() {
      return PUT_USAGE;
    }

    @Override
    public void encodeBody(Encoder out) {
      out.i32(usages.size());
      for (Usage usage : usages) {
        out.string(usage.keyId());
        out.i64(usage.usageCount());
        out.instant(usage.lastUsedAt());
      }
    }

    static PutUsage decode(Decoder in) {
      int count = in.count(24);
      List<Usage> usages = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        usages.add(new Usage(in.string(), in.i64(), in.instant()));
      }
      return new PutUsage(usages);
    }

    @Override
    public void apply(StoreState state) {
      for (Usage usage : usages) {
        ApiKeyRecord key = state.access.key(usage.keyId()).orElseThrow(() ->
            new MalformedRecordException("usage of API key " + usage.keyId()
                + ", which was never stored"));
        try {
          state.access.restore(withUsage(key, usage.usageCount(), usage.lastUsedAt()));
        } catch (IllegalArgumentException e) {
          throw new MalformedRecordException("invalid usage of API key " + usage.keyId() + ": "
              + e.getMessage());
        }
      }
    }
  }

  /** A change of the webhook table, as absolute values (see {@link WebhookTable.Effect}). */
  record Webhooks(WebhookTable.Effect effect) implements Change {
    @Override
    public int type() {
      return WEBHOOKS;
    }

    @Override
    public void encodeBody(Encoder out) {
      WebhookRecords.writeEffect(out, effect);
    }

    @Override
    public void apply(StoreState state) {
      state.webhooks.replay(effect);
    }
  }
}
