package io.inmemory.store.h2;

import io.inmemory.ConflictException;
import io.inmemory.HistoryEntry;
import io.inmemory.MemoryRecord;
import io.inmemory.NotFoundException;
import io.inmemory.Role;
import io.inmemory.StorageException;
import io.inmemory.engine.spi.ChangeFeed;
import io.inmemory.engine.spi.ChangeFeedSettings;
import io.inmemory.engine.spi.ChangeKind;
import io.inmemory.engine.spi.ChangeSet;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.PartitionSummary;
import io.inmemory.engine.spi.StoreDirectories;
import io.inmemory.engine.spi.StoredMemory;
import io.inmemory.engine.tenant.AccessStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The H2 store, named {@code h2}: memories, their embeddings and history, and the server's
 * projects and API keys in an H2 2.x database reached over JDBC — an embedded file database by
 * default ({@code jdbc:h2:file:…}), or a database of an H2 server ({@code jdbc:h2:tcp://…}). The
 * store creates its tables on first open and migrates older schema versions; a database written by
 * a newer version is refused (see {@link Schema}).
 *
 * <p><b>Atomicity.</b> Every method is one JDBC transaction: committed when it returns, rolled
 * back when it throws, so a memory and its history entry are written together or not at all;
 * {@link #commit} writes all its memories and entries in one transaction too.
 *
 * <p><b>Owners.</b> The {@code user_id} column holds the partition's owner
 * ({@link PartitionKey#owner()}: the user id, or {@code ~} and the agent id for an agent's own
 * memories); a record's and an entry's user id is derived from it, {@code null} for an agent's.
 *
 * <p><b>Durability.</b> Unless the URL sets {@code WRITE_DELAY} itself, the store adds
 * {@code WRITE_DELAY=0}, so H2 writes every commit to the database file before the commit returns:
 * when {@link #insert}, {@link #replace}, {@link #commit}, {@link #replaceEmbeddings},
 * {@link #delete} or an {@link #access()} write returns, the change survives a crash of the
 * process ({@code kill -9}). H2 alone can reopen a crashed database without its latest commits although they are in the
 * file; an embedded database that was not closed cleanly is therefore repaired with H2's recovery
 * scan before it is opened (see {@code CrashRepair}; it reads the whole file, only after a crash).
 * H2 does not fsync on commit, so an operating system crash or power loss can lose the most recent
 * commits (the database stays consistent: H2 falls back to its last complete chunk). With a
 * server URL, a crash of this process loses nothing that returned, but a crash of the H2 server's
 * process can lose its latest commits unless the database is opened once embedded through this
 * store before the server restarts. A URL with its own {@code WRITE_DELAY} above 0 is the opt-in
 * weaker mode: commits may then be lost on a process crash too, up to that many milliseconds of
 * them. {@code CIPHER} is refused for embedded databases, which the repair could not read.
 * {@code jdbc:h2:mem:} URLs keep nothing after close.
 *
 * <p><b>File size.</b> Every commit writes a new chunk, and H2 reuses a chunk's space only 45 s
 * (its {@code RETENTION_TIME}) after the chunk stopped being needed, so a busy file is much larger
 * than its data; {@link #close()} compacts it (see {@link #close()}).
 *
 * <p><b>Exclusive access.</b> An embedded database admits one process: a second process gets a
 * {@link StorageException} saying so and how to share (server mode or {@code AUTO_SERVER=TRUE}).
 *
 * <p><b>Change feed.</b> When several processes may share the database (a {@code jdbc:h2:tcp:} or
 * {@code ssl:} URL, or {@code AUTO_SERVER=TRUE}), every write that changed something also records
 * one change per partition in {@code inmemory_changes}, in its own transaction, as its last
 * statement ({@link #changeFeed()}, see {@code H2ChangeFeed}): a write that returned is in the
 * feed, a rolled-back one is not. Embedded and in-memory databases have no feed and record
 * nothing.
 *
 * <p>Thread-safe; connections come from a small pool. Errors are {@link StorageException}s naming
 * the URL without any password; calls after {@link #close()} throw
 * {@link IllegalStateException}; lookups of what was never stored return empty lists.
 */
public final class H2MemoryStore implements MemoryStore {
  private static final Logger LOG = LoggerFactory.getLogger(H2MemoryStore.class);

  /** The columns of a memory row besides its key, in the order {@link #bindColumns} binds them. */
  private static final List<String> COLUMNS = List.of("content", "topic", "metadata", "created_at",
      "updated_at", "embedder_id", "embedding", "agent_id", "session_id", "role", "valid_from",
      "invalid_at", "superseded_by");
  private static final String INSERT_MEMORY = "INSERT INTO inmemory_memories (namespace, user_id,"
      + " id, " + String.join(", ", COLUMNS) + ") VALUES (?, ?, ?"
      + ", ?".repeat(COLUMNS.size()) + ")";
  private static final String UPDATE_MEMORY = "UPDATE inmemory_memories SET "
      + String.join(" = ?, ", COLUMNS) + " = ? WHERE namespace = ? AND user_id = ? AND id = ?";
  /** What {@link #readMemory} reads, from column 1; a version-1 row has no valid_from. */
  private static final String SELECT_MEMORY = "SELECT id, content, topic, metadata, created_at,"
      + " updated_at, embedder_id, embedding, agent_id, session_id, role,"
      + " COALESCE(valid_from, created_at), invalid_at, superseded_by FROM inmemory_memories";
  /** What {@link #readHistory} reads, from column 1, and the memory id as column 7. */
  private static final String SELECT_HISTORY = "SELECT event, previous_content, new_content, at,"
      + " agent_id, related_id, memory_id FROM inmemory_history";
  private static final String PARTITION = " WHERE namespace = ? AND user_id = ?";
  private static final String MEMORY = PARTITION + " AND memory_id = ?";

  /**
   * {@link #partitions}: the owners one at a time, each the first after the one before in index
   * order (a seek, not a scan), then each owner's count and newest creation from a range of the
   * index on {@code (namespace, user_id, created_at)}. Parameters: namespace, after, namespace,
   * limit, namespace, namespace.
   */
  static final String PARTITIONS = """
      WITH RECURSIVE owners(owner, n) AS (
        SELECT (SELECT user_id FROM inmemory_memories WHERE namespace = ? AND user_id > ?
            ORDER BY namespace, user_id LIMIT 1), 1
        UNION ALL
        SELECT (SELECT m.user_id FROM inmemory_memories m WHERE m.namespace = ?
            AND m.user_id > o.owner ORDER BY m.namespace, m.user_id LIMIT 1), o.n + 1
          FROM owners o WHERE o.owner IS NOT NULL AND o.n < ?)
      SELECT o.owner,
        (SELECT COUNT(*) FROM inmemory_memories c WHERE c.namespace = ? AND c.user_id = o.owner),
        (SELECT MAX(c.created_at) FROM inmemory_memories c
          WHERE c.namespace = ? AND c.user_id = o.owner)
      FROM owners o WHERE o.owner IS NOT NULL ORDER BY o.owner""";
  /** The most ids one query of {@link #load(PartitionKey, Collection)} names. */
  private static final int LOAD_BATCH = 500;

  private final H2Url url;
  private final Jdbc jdbc;
  private final H2AccessStore access;
  /** The change feed, only for a database several processes share. */
  private final @Nullable H2ChangeFeed feed;
  /** Whether history rows are written as pending webhook events. */
  private final boolean recordEvents;

  /**
   * Held while a store repairs and opens an embedded database, so that no other store of this JVM
   * opens the same database in the middle of a repair. In-memory and server databases are never
   * repaired, so their stores open without it.
   */
  private static final Object OPENING = new Object();

  /**
   * Opens the store {@code settings} describe, whose change feed (when the database is shared)
   * keeps changes for {@code feedRetention}; see {@link Builder#open()}.
   */
  H2MemoryStore(H2StoreSettings settings, Duration feedRetention) {
    this.url = H2Url.of(settings.url());
    this.recordEvents = settings.recordEvents();
    // checked before H2 tries, which prints its own stack trace when it cannot write there
    url.embeddedDirectory().ifPresent(dir -> StoreDirectories.requireWritable(dir,
        "The H2 database's directory", H2StoreSettings.URL, "a jdbc:h2:file: URL in a directory"));
    int found;
    synchronized (url.embedded() ? OPENING : new Object()) {
      CrashRepair.Outcome repaired = CrashRepair.repair(url, settings.user(), settings.password());
      if (repaired != null) {
        LOG.warn("H2 database {} was not closed cleanly: its crash recovery found version {},"
            + " where H2 alone would have opened version {} without the commits after it; the"
            + " database now opens at version {}", url.shown(), repaired.recovered(),
            repaired.opened(), repaired.recovered());
      }
      this.jdbc = new Jdbc(url, settings.user(), settings.password());
      try {
        found = jdbc.transaction("open the store", connection -> Schema.migrate(connection, url));
      } catch (RuntimeException e) {
        jdbc.close();
        throw e;
      }
    }
    this.access = new H2AccessStore(jdbc, url.shared());
    this.feed = url.shared() ? new H2ChangeFeed(jdbc, url, feedRetention) : null;
    if (found < Schema.CURRENT_VERSION) {
      LOG.info("{}: {} schema version {}", describe(),
          found == 0 ? "created" : "migrated from version " + found + " to", Schema.CURRENT_VERSION);
    }
  }

  /** A builder; without {@link Builder#url(String)} it opens {@link H2StoreSettings#URL}'s default. */
  public static Builder builder() {
    return new Builder();
  }

  /** Opens the embedded database {@code inmemory} in {@code dir} (created if missing). */
  public static H2MemoryStore open(Path dir) {
    return builder().directory(dir).open();
  }

  // ---------------------------------------------------------------- memories

  @Override
  public void insert(List<StoredMemory> memories, List<HistoryEntry> entries) {
    insert(memories, entries, true);
  }

  @Override
  public void insert(List<StoredMemory> memories, List<HistoryEntry> entries, boolean events) {
    List<StoredMemory> batch = List.copyOf(memories);
    List<String> entryNamespaces = Arrays.stream(StoredMemory.owners(batch, entries))
        .mapToObj(owner -> batch.get(owner).namespace()).toList();
    jdbc.transaction("store " + batch.size() + " memories", connection -> {
      insertRows(connection, batch);
      appendHistory(connection, entryNamespaces, entries, recordEvents && events);
      record(connection, ChangeKind.INSERT, batch);
      return null;
    });
  }

  @Override
  public void replace(StoredMemory memory, HistoryEntry entry) {
    Objects.requireNonNull(memory, "memory");
    Objects.requireNonNull(entry, "entry");
    jdbc.transaction("replace memory " + memory.id(), connection -> {
      replaceRow(connection, memory);
      appendHistory(connection, List.of(memory.namespace()), List.of(entry), recordEvents);
      record(connection, ChangeKind.REPLACE, List.of(memory));
      return null;
    });
  }

  /**
   * One transaction: inserts, then replacements, then the entries; a conflict or a missing
   * memory rolls all of it back.
   */
  @Override
  public void commit(ChangeSet changes) {
    Objects.requireNonNull(changes, "changes");
    jdbc.transaction("commit " + changes.inserted().size() + " new and "
        + changes.replaced().size() + " replaced memories", connection -> {
      insertRows(connection, changes.inserted());
      for (StoredMemory memory : changes.replaced()) {
        replaceRow(connection, memory);
      }
      appendHistory(connection, Collections.nCopies(changes.entries().size(),
          changes.partition().namespace()), changes.entries(), recordEvents && changes.events());
      record(connection, ChangeKind.COMMIT, changes.memories());
      return null;
    });
  }

  /** Inserts memory rows with their tags and people; an existing id is a conflict. */
  private static void insertRows(Connection connection, List<StoredMemory> batch)
      throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(INSERT_MEMORY)) {
      for (StoredMemory memory : batch) {
        bindKey(insert, 1, memory.partition(), memory.id());
        bindColumns(insert, 4, memory);
        try {
          insert.executeUpdate();
        } catch (SQLException e) {
          if (Jdbc.isDuplicate(e)) {
            throw new ConflictException("Memory " + memory.id() + " of " + whose(memory)
                + " already exists in namespace " + memory.namespace() + "; none of the "
                + batch.size() + " memories was stored");
          }
          throw e;
        }
      }
    }
    insertLists(connection, batch);
  }

  /** Replaces a memory row and its tags and people; a missing memory is not found. */
  private static void replaceRow(Connection connection, StoredMemory memory) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(UPDATE_MEMORY)) {
      bindColumns(update, 1, memory);
      bindKey(update, COLUMNS.size() + 1, memory.partition(), memory.id());
      if (update.executeUpdate() == 0) {
        throw new NotFoundException("Memory " + memory.id() + " of " + whose(memory)
            + " does not exist in namespace " + memory.namespace());
      }
    }
    for (String table : List.of("inmemory_memory_tags", "inmemory_memory_people")) {
      try (PreparedStatement delete = connection.prepareStatement(
          "DELETE FROM " + table + MEMORY)) {
        bindKey(delete, 1, memory.partition(), memory.id());
        delete.executeUpdate();
      }
    }
    insertLists(connection, List.of(memory));
  }

  @Override
  public void replaceEmbeddings(List<StoredMemory> memories) {
    List<StoredMemory> batch = List.copyOf(memories);
    jdbc.transaction("replace " + batch.size() + " embeddings", connection -> {
      try (PreparedStatement update = connection.prepareStatement("UPDATE inmemory_memories SET"
          + " embedder_id = ?, embedding = ? WHERE namespace = ? AND user_id = ? AND id = ?")) {
        for (StoredMemory memory : batch) {
          update.setString(1, memory.embedderId());
          update.setBytes(2, Codec.embedding(memory.embedding()));
          bindKey(update, 3, memory.partition(), memory.id());
          update.addBatch();
        }
        int[] updated = update.executeBatch();
        List<StoredMemory> replaced = new ArrayList<>();
        for (int i = 0; i < updated.length; i++) {
          if (updated[i] > 0) {
            replaced.add(batch.get(i));
          }
        }
        record(connection, ChangeKind.EMBEDDINGS, replaced);
      }
      return null;
    });
  }

  @Override
  public int delete(PartitionKey partition, List<String> ids, List<HistoryEntry> entries) {
    return delete(partition, ids, entries, true);
  }

  @Override
  public int delete(PartitionKey partition, List<String> ids, List<HistoryEntry> entries,
      boolean events) {
    List<String> targets = List.copyOf(ids);
    List<HistoryEntry> changes = List.copyOf(entries);
    return jdbc.transaction("delete " + targets.size() + " memories", connection -> {
      Set<String> deleted = new LinkedHashSet<>();
      try (PreparedStatement delete = connection.prepareStatement(
          "DELETE FROM inmemory_memories" + PARTITION + " AND id = ?")) {
        for (String id : targets) {
          bindKey(delete, 1, partition, id);
          if (delete.executeUpdate() > 0) {
            deleted.add(id);
          }
        }
      }
      List<HistoryEntry> kept = changes.stream()
          .filter(entry -> deleted.contains(entry.memoryId())).toList();
      appendHistory(connection, Collections.nCopies(kept.size(), partition.namespace()), kept,
          recordEvents && events);
      if (feed != null && !deleted.isEmpty()) {
        feed.record(connection, ChangeKind.DELETE, Map.of(partition, List.copyOf(deleted)));
      }
      return deleted.size();
    });
  }

  @Override
  public List<StoredMemory> load(PartitionKey partition) {
    return jdbc.transaction("load the memories of " + partition.ownerDescription(),
        connection -> select(connection, partition, List.of()));
  }

  /** One transaction, with queries of at most {@value #LOAD_BATCH} ids each. */
  @Override
  public List<StoredMemory> load(PartitionKey partition, Collection<String> ids) {
    List<String> wanted = List.copyOf(new LinkedHashSet<>(ids));
    if (wanted.isEmpty()) {
      return List.of();
    }
    return jdbc.transaction("load " + wanted.size() + " memories of "
        + partition.ownerDescription(), connection -> {
      List<StoredMemory> memories = new ArrayList<>();
      for (int from = 0; from < wanted.size(); from += LOAD_BATCH) {
        memories.addAll(select(connection, partition,
            wanted.subList(from, Math.min(wanted.size(), from + LOAD_BATCH))));
      }
      return memories;
    });
  }

  /** The partition's memories, or those among {@code ids} when it is not empty. */
  private List<StoredMemory> select(Connection connection, PartitionKey partition,
      List<String> ids) throws SQLException {
    Map<String, List<String>> tags = lists(connection, partition, "tag",
        "inmemory_memory_tags", ids);
    Map<String, List<String>> people = lists(connection, partition, "person",
        "inmemory_memory_people", ids);
    List<StoredMemory> memories = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(
        SELECT_MEMORY + PARTITION + among("id", ids))) {
      bindPartition(select, 1, partition);
      bindIds(select, 3, ids);
      try (ResultSet row = select.executeQuery()) {
        while (row.next()) {
          String id = row.getString(1);
          memories.add(readMemory(row, partition, tags.getOrDefault(id, List.of()),
              people.getOrDefault(id, List.of())));
        }
      }
    }
    return memories;
  }

  /** {@code AND column IN (?, …)} for {@code ids}, or nothing when it is empty. */
  private static String among(String column, List<String> ids) {
    return ids.isEmpty() ? "" : " AND " + column + " IN (?" + ", ?".repeat(ids.size() - 1) + ")";
  }

  private static void bindIds(PreparedStatement statement, int first, List<String> ids)
      throws SQLException {
    for (int i = 0; i < ids.size(); i++) {
      statement.setString(first + i, ids.get(i));
    }
  }

  /**
   * One query answered from the indexes alone: a page reads each of its owners' index entries
   * about three times (finding the owner, counting, the newest), and never a later owner's but
   * the next one's (a plain {@code GROUP BY} would read every entry of the namespace after
   * {@code after} before cutting the page).
   */
  @Override
  public List<PartitionSummary> partitions(String namespace, @Nullable String after,
      int limit) {
    PartitionSummary.checkPage(namespace, limit);
    return jdbc.transaction("list the partitions of namespace " + namespace, connection -> {
      List<PartitionSummary> summaries = new ArrayList<>();
      try (PreparedStatement select = connection.prepareStatement(PARTITIONS)) {
        // every owner is non-empty, so "" lets every one through
        select.setString(2, after == null ? "" : after);
        select.setInt(4, limit);
        for (int namespaceParameter : new int[] {1, 3, 5, 6}) {
          select.setString(namespaceParameter, namespace);
        }
        try (ResultSet row = select.executeQuery()) {
          while (row.next()) {
            summaries.add(new PartitionSummary(new PartitionKey(namespace, row.getString(1)),
                row.getLong(2), Instant.ofEpochMilli(row.getLong(3))));
          }
        }
      }
      return summaries;
    });
  }

  @Override
  public List<HistoryEntry> history(PartitionKey partition, String memoryId) {
    return jdbc.transaction("read the history of memory " + memoryId, connection -> {
      List<HistoryEntry> history = new ArrayList<>();
      try (PreparedStatement select = connection.prepareStatement(SELECT_HISTORY + MEMORY
          + " ORDER BY seq")) {
        bindKey(select, 1, partition, memoryId);
        try (ResultSet row = select.executeQuery()) {
          while (row.next()) {
            history.add(readHistory(jdbc, row, partition, memoryId));
          }
        }
      }
      return history;
    });
  }

  /** One read, in the order of the index on {@code (namespace, user_id, memory_id, seq)}. */
  @Override
  public Map<String, List<HistoryEntry>> histories(PartitionKey partition) {
    return jdbc.transaction("read the histories of " + partition.ownerDescription(),
        connection -> {
          Map<String, List<HistoryEntry>> histories = new HashMap<>();
          try (PreparedStatement select = connection.prepareStatement(SELECT_HISTORY
              + PARTITION + " ORDER BY memory_id, seq")) {
            bindPartition(select, 1, partition);
            try (ResultSet row = select.executeQuery()) {
              while (row.next()) {
                String memoryId = row.getString(7);
                histories.computeIfAbsent(memoryId, id -> new ArrayList<>())
                    .add(readHistory(jdbc, row, partition, memoryId));
              }
            }
          }
          return histories;
        });
  }

  /** The owners of the history table: every partition ever written, deleted ones' included. */
  @Override
  public List<PartitionKey> historyPartitions(String namespace, @Nullable String after,
      int limit) {
    PartitionSummary.checkPage(namespace, limit);
    return jdbc.transaction("list the partitions with history of namespace " + namespace,
        connection -> {
          List<PartitionKey> keys = new ArrayList<>();
          try (PreparedStatement select = connection.prepareStatement("SELECT DISTINCT user_id"
              + " FROM inmemory_history WHERE namespace = ? AND user_id > ? ORDER BY user_id"
              + " LIMIT ?")) {
            select.setString(1, namespace);
            // every owner is non-empty, so "" lets every one through
            select.setString(2, after == null ? "" : after);
            select.setInt(3, limit);
            try (ResultSet row = select.executeQuery()) {
              while (row.next()) {
                keys.add(new PartitionKey(namespace, row.getString(1)));
              }
            }
          }
          return keys;
        });
  }

  @Override
  public AccessStore access() {
    return access;
  }

  /**
   * Present when several processes may share the database (a server URL, or
   * {@code AUTO_SERVER=TRUE}); embedded and in-memory databases have none and record nothing.
   */
  @Override
  public Optional<ChangeFeed> changeFeed() {
    return Optional.ofNullable(feed);
  }

  /** Records a write of {@code memories} in the feed, if any: its transaction's last statement. */
  private void record(Connection connection, ChangeKind kind, List<StoredMemory> memories)
      throws SQLException {
    if (feed == null) {
      return;
    }
    Map<PartitionKey, List<String>> ids = new LinkedHashMap<>();
    for (StoredMemory memory : memories) {
      ids.computeIfAbsent(memory.partition(), partition -> new ArrayList<>()).add(memory.id());
    }
    feed.record(connection, kind, ids);
  }

  @Override
  public void ping() {
    jdbc.transaction("ping", connection -> {
      try (PreparedStatement select = connection.prepareStatement("SELECT 1");
          ResultSet row = select.executeQuery()) {
        return row.next();
      }
    });
  }

  @Override
  public String describe() {
    String mode = url.inMemory() ? "in memory, not durable" : url.server() ? "server" : "embedded";
    return "H2 store " + url.shown() + " (" + mode + ", schema version " + Schema.CURRENT_VERSION
        + (feed != null ? ", change feed" : "") + ")";
  }

  /**
   * Closes the store. An embedded file database this store was the only user of is compacted
   * first ({@code SHUTDOWN COMPACT}: the file is rewritten with live data only, which takes
   * seconds for a large database); a database shared with other stores in this JVM, or an H2
   * server's, is left to its other users.
   */
  @Override
  public void close() {
    if (url.server() || url.inMemory()) {
      jdbc.close();
    } else {
      jdbc.closeAndCompact();
    }
  }

  @Override
  public String toString() {
    return describe();
  }

  // ---------------------------------------------------------------- rows

  private static void bindPartition(PreparedStatement statement, int first, PartitionKey partition)
      throws SQLException {
    statement.setString(first, partition.namespace());
    statement.setString(first + 1, partition.owner());
  }

  private static void bindKey(PreparedStatement statement, int first, PartitionKey partition,
      String id) throws SQLException {
    bindPartition(statement, first, partition);
    statement.setString(first + 2, id);
  }

  /** Binds the non-key {@link #COLUMNS}, in their order, from parameter {@code first}. */
  private static void bindColumns(PreparedStatement statement, int first, StoredMemory memory)
      throws SQLException {
    MemoryRecord record = memory.memory();
    statement.setString(first, record.content());
    statement.setString(first + 1, record.topic());
    statement.setString(first + 2, Codec.metadata(record.metadata()));
    statement.setLong(first + 3, record.createdAt().toEpochMilli());
    statement.setLong(first + 4, record.updatedAt().toEpochMilli());
    statement.setString(first + 5, memory.embedderId());
    statement.setBytes(first + 6, Codec.embedding(memory.embedding()));
    statement.setString(first + 7, record.agentId());
    statement.setString(first + 8, record.sessionId());
    statement.setString(first + 9, record.role() == null ? null : record.role().name());
    statement.setLong(first + 10, record.validFrom().toEpochMilli());
    statement.setObject(first + 11, record.invalidAt() == null ? null
        : record.invalidAt().toEpochMilli(), Types.BIGINT);
    statement.setString(first + 12, record.supersededBy());
  }

  /** "user alice" or "agent bot", for messages. */
  private static String whose(StoredMemory memory) {
    PartitionKey partition = memory.partition();
    return partition.userId() != null ? "user " + partition.userId()
        : "agent " + partition.agentId();
  }

  private static void insertLists(Connection connection, List<StoredMemory> memories)
      throws SQLException {
    try (PreparedStatement tags = connection.prepareStatement("INSERT INTO inmemory_memory_tags"
        + " (namespace, user_id, memory_id, position, tag) VALUES (?, ?, ?, ?, ?)");
        PreparedStatement people = connection.prepareStatement("INSERT INTO"
            + " inmemory_memory_people (namespace, user_id, memory_id, position, person,"
            + " person_key) VALUES (?, ?, ?, ?, ?, ?)")) {
      for (StoredMemory memory : memories) {
        List<String> tagList = memory.memory().tags();
        for (int i = 0; i < tagList.size(); i++) {
          bindKey(tags, 1, memory.partition(), memory.id());
          tags.setInt(4, i);
          tags.setString(5, tagList.get(i));
          tags.addBatch();
        }
        List<String> personList = memory.memory().people();
        for (int i = 0; i < personList.size(); i++) {
          bindKey(people, 1, memory.partition(), memory.id());
          people.setInt(4, i);
          people.setString(5, personList.get(i));
          people.setString(6, personList.get(i).trim().toLowerCase(Locale.ROOT));
          people.addBatch();
        }
      }
      tags.executeBatch();
      people.executeBatch();
    }
  }

  /**
   * Appends history rows; with {@code events}, marked as pending webhook events in this same
   * transaction (see {@link H2WebhookStore}).
   */
  private static void appendHistory(Connection connection, List<String> namespaces,
      List<HistoryEntry> entries, boolean events) throws SQLException {
    if (entries.isEmpty()) {
      return;
    }
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO inmemory_history"
        + " (namespace, user_id, memory_id, event, previous_content, new_content, at, agent_id,"
        + " related_id, event_pending) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (int i = 0; i < entries.size(); i++) {
        HistoryEntry entry = entries.get(i);
        insert.setString(1, namespaces.get(i));
        // the partition's owner, like the memory's row: "~agent" for an agent's own memory
        insert.setString(2, PartitionKey.of(namespaces.get(i), entry.userId(), entry.agentId())
            .owner());
        insert.setString(3, entry.memoryId());
        insert.setString(4, entry.event().name());
        insert.setString(5, entry.previousContent());
        insert.setString(6, entry.newContent());
        insert.setLong(7, entry.at().toEpochMilli());
        insert.setString(8, entry.agentId());
        insert.setString(9, entry.relatedId());
        insert.setObject(10, events ? Boolean.TRUE : null, Types.BOOLEAN);
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  /**
   * Tags or people of a partition's memories (those among {@code ids} unless it is empty) by
   * memory id, each list in stored order.
   */
  private static Map<String, List<String>> lists(Connection connection, PartitionKey partition,
      String column, String table, List<String> ids) throws SQLException {
    Map<String, List<String>> values = new HashMap<>();
    try (PreparedStatement select = connection.prepareStatement("SELECT memory_id, " + column
        + " FROM " + table + PARTITION + among("memory_id", ids)
        + " ORDER BY memory_id, position")) {
      bindPartition(select, 1, partition);
      bindIds(select, 3, ids);
      try (ResultSet row = select.executeQuery()) {
        while (row.next()) {
          values.computeIfAbsent(row.getString(1), id -> new ArrayList<>()).add(row.getString(2));
        }
      }
    }
    return values;
  }

  /**
   * A memory row of {@link #SELECT_MEMORY}. The record's user id is the partition's, derived from
   * the owner in {@code user_id}; an agent's own memory has its agent even where the row has none.
   */
  private StoredMemory readMemory(ResultSet row, PartitionKey partition, List<String> tags,
      List<String> people) throws SQLException {
    String id = row.getString(1);
    try {
      String role = row.getString(11);
      Long invalidAt = row.getObject(13, Long.class);
      MemoryRecord record = new MemoryRecord(id, partition.userId(), row.getString(2), tags,
          people, row.getString(3), Codec.metadata(row.getString(4)),
          Instant.ofEpochMilli(row.getLong(5)), Instant.ofEpochMilli(row.getLong(6)),
          agentOf(row.getString(9), partition), row.getString(10),
          role == null ? null : Role.valueOf(role), Instant.ofEpochMilli(row.getLong(12)),
          invalidAt == null ? null : Instant.ofEpochMilli(invalidAt), row.getString(14));
      return new StoredMemory(partition.namespace(), record, Codec.embedding(row.getBytes(8)),
          row.getString(7));
    } catch (IllegalArgumentException e) {
      throw jdbc.corrupted("memory " + id + " of owner " + partition.owner(), e);
    }
  }

  /**
   * The history entry of {@code row}, whose columns 1 to 6 are event, previous_content,
   * new_content, at, agent_id and related_id.
   */
  static HistoryEntry readHistory(Jdbc jdbc, ResultSet row, PartitionKey partition,
      String memoryId) throws SQLException {
    try {
      return new HistoryEntry(memoryId, partition.userId(),
          HistoryEntry.Event.valueOf(row.getString(1)), row.getString(2), row.getString(3),
          Instant.ofEpochMilli(row.getLong(4)), agentOf(row.getString(5), partition),
          row.getString(6));
    } catch (IllegalArgumentException e) {
      throw jdbc.corrupted("a history entry of memory " + memoryId, e);
    }
  }

  private static @Nullable String agentOf(@Nullable String stored, PartitionKey partition) {
    return stored != null ? stored : partition.agentId();
  }

  /**
   * Settings of an {@link H2MemoryStore}. Not thread-safe; {@link #open()} may be called more
   * than once, each time opening a new store.
   */
  public static final class Builder {
    private String url = H2StoreSettings.DEFAULT_URL;
    private String user = H2StoreSettings.DEFAULT_USER;
    private String password = "";
    private Duration feedRetention = ChangeFeedSettings.RETENTION.defaultValue().orElseThrow();
    private boolean recordEvents;

    private Builder() {}

    /**
     * The JDBC URL, starting with {@code jdbc:h2:}; default
     * {@value H2StoreSettings#DEFAULT_URL}. {@code WRITE_DELAY=0} and {@code LOCK_TIMEOUT=10000}
     * are added unless it sets them (see the class documentation).
     */
    public Builder url(String url) {
      this.url = Objects.requireNonNull(url, "url");
      return this;
    }

    /**
     * The URL of the embedded database {@code inmemory} in {@code dir} (created if missing).
     *
     * @throws IllegalArgumentException when the path contains {@code ;}
     */
    public Builder directory(Path dir) {
      this.url = H2Url.inDirectory(Objects.requireNonNull(dir, "dir")).url();
      return this;
    }

    /** The database user; default {@value H2StoreSettings#DEFAULT_USER}. */
    public Builder user(String user) {
      this.user = Objects.requireNonNull(user, "user");
      return this;
    }

    /** The user's password; default empty. Never logged or shown in messages. */
    public Builder password(String password) {
      this.password = Objects.requireNonNull(password, "password");
      return this;
    }

    /**
     * How long the change feed of a shared database keeps changes before {@link ChangeFeed#trim()}
     * deletes them; default that of {@link ChangeFeedSettings#RETENTION}. Every process sharing
     * the database should set it alike.
     *
     * @throws IllegalArgumentException when it is not positive
     */
    public Builder feedRetention(Duration retention) {
      if (retention.isNegative() || retention.isZero()) {
        throw new IllegalArgumentException("feed retention must be positive, not " + retention);
      }
      this.feedRetention = retention;
      return this;
    }

    /**
     * Whether memory writes are recorded as pending webhook events, in the memory's own
     * transaction (see {@link io.inmemory.engine.spi.EventSettings#RECORD}); default false.
     */
    public Builder recordEvents(boolean record) {
      this.recordEvents = record;
      return this;
    }

    /**
     * Opens the store, creating or migrating its tables.
     *
     * @throws io.inmemory.ConfigurationException when the URL is not an H2 URL
     * @throws StorageException when the database cannot be opened, is open in another process,
     *     or has a newer schema version
     */
    public H2MemoryStore open() {
      return new H2MemoryStore(new H2StoreSettings(url, user, password, recordEvents),
          feedRetention);
    }
  }
}
