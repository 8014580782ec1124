package io.inmemory.store.mongo;

import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import io.inmemory.HistoryEntry;
import io.inmemory.MemoryRecord;
import io.inmemory.Role;
import io.inmemory.StorageException;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import io.inmemory.engine.tenant.ApiKeyRecord;
import io.inmemory.engine.tenant.KeyScope;
import io.inmemory.engine.tenant.Project;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.jspecify.annotations.Nullable;

/**
 * The BSON form of memories, history entries, projects and API keys (see the module README for
 * the layout). Pure functions; a stored document that does not decode is a
 * {@link StorageException} naming the field, never a silently changed value.
 */
final class Documents {
  // Memory documents.
  static final String NAMESPACE = "namespace";
  static final String USER_ID = "userId";
  static final String MEMORY_ID = "memoryId";
  static final String DELETED = "deleted";
  static final String CONTENT = "content";
  static final String TAGS = "tags";
  static final String PEOPLE = "people";
  static final String TOPIC = "topic";
  static final String METADATA = "metadata";
  static final String CREATED_AT = "createdAt";
  static final String UPDATED_AT = "updatedAt";
  static final String EMBEDDING = "embedding";
  static final String EMBEDDER_ID = "embedderId";
  // Schema 3 (issue 13): absent means no agent, session or role, valid from createdAt, current.
  static final String AGENT_ID = "agentId";
  static final String SESSION_ID = "sessionId";
  static final String ROLE = "role";
  static final String VALID_FROM = "validFrom";
  static final String INVALID_AT = "invalidAt";
  static final String SUPERSEDED_BY = "supersededBy";
  /** The fields of schema 3 a memory document has only when the record has a value. */
  static final List<String> OPTIONAL_FIELDS = List.of(AGENT_ID, SESSION_ID, ROLE, INVALID_AT,
      SUPERSEDED_BY);
  /** The count of history entries of the memory; entries above it are orphans. */
  static final String VERSION = "version";
  /** The token of the call that last wrote the document (memory or history entry). */
  static final String CHANGE = "change";
  /** Schema version 1 only: the embedded history, moved to its collection on migration. */
  static final String EMBEDDED_HISTORY = "history";
  /** Schema version 1 only: the inserting call's token, dropped on migration. */
  static final String V1_INSERTED_BY = "insertedBy";
  /** The fields a delete removes, leaving a tombstone that keeps the history. */
  static final List<String> LIVE_FIELDS = List.of(CONTENT, TAGS, PEOPLE, TOPIC, METADATA,
      EMBEDDING, EMBEDDER_ID, AGENT_ID, SESSION_ID, ROLE, VALID_FROM, INVALID_AT, SUPERSEDED_BY);

  // History entries (one document each, keyed by namespace, userId, memoryId and version).
  static final String EVENT = "event";
  static final String PREVIOUS_CONTENT = "previousContent";
  static final String NEW_CONTENT = "newContent";
  static final String AT = "at";
  /** Schema 3: the successor (of a SUPERSEDE) or the superseded memory (of a successor's ADD). */
  static final String RELATED_ID = "relatedId";
  /**
   * Present on a history entry that is a pending webhook event, written with the entry (see
   * {@link MongoWebhookStore}): the entry's position among those its call wrote, which orders
   * the events of one call.
   */
  static final String PENDING_EVENT = "pe";
  /** The position of an entry that is not a pending event. */
  static final int NOT_PENDING = -1;

  // webhook deliveries (see MongoWebhookStore)
  static final String HOOK = "hook";
  static final String STATE = "state";
  static final String SEQ = "seq";

  // Projects and API keys.
  static final String ID = "_id";
  static final String NAME = "name";
  static final String PROJECT_ID = "projectId";
  static final String HASH = "hash";
  static final String HINT = "hint";
  static final String SCOPES = "scopes";
  static final String EXPIRES_AT = "expiresAt";
  static final String REVOKED_AT = "revokedAt";
  static final String LAST_USED_AT = "lastUsedAt";
  static final String USAGE_COUNT = "usageCount";

  private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);

  private Documents() {}

  /**
   * A new memory document at {@code version}, tagged with the inserting call's token. Its
   * {@code userId} is the partition's owner ({@code ~agent} for an agent's own memory).
   */
  static BsonDocument newMemory(StoredMemory stored, int version, String token) {
    BsonDocument document = new BsonDocument()
        .append(NAMESPACE, new BsonString(stored.namespace()))
        .append(USER_ID, new BsonString(stored.partition().owner()))
        .append(MEMORY_ID, new BsonString(stored.id()))
        .append(DELETED, BsonBoolean.FALSE);
    document.putAll(liveFields(stored));
    document.append(CREATED_AT, date(stored.memory().createdAt()))
        .append(VERSION, new BsonInt32(version))
        .append(CHANGE, new BsonString(token));
    return document;
  }

  /**
   * The fields of a live memory that {@code replace} sets: content, record and embedding; the
   * {@link #OPTIONAL_FIELDS} only where the record has a value (see {@link #replacement}).
   */
  static BsonDocument liveFields(StoredMemory stored) {
    MemoryRecord record = stored.memory();
    BsonDocument fields = new BsonDocument()
        .append(CONTENT, new BsonString(record.content()))
        .append(TAGS, strings(record.tags()))
        .append(PEOPLE, strings(record.people()))
        .append(TOPIC, record.topic() == null ? BsonNull.VALUE : new BsonString(record.topic()))
        .append(METADATA, (BsonDocument) metadataValue(record.metadata()))
        .append(UPDATED_AT, date(record.updatedAt()))
        .append(VALID_FROM, date(record.validFrom()));
    fields.putAll(optionalFields(record));
    fields.putAll(embeddingFields(stored));
    return fields;
  }

  /** The {@link #OPTIONAL_FIELDS} the record has a value for. */
  private static BsonDocument optionalFields(MemoryRecord record) {
    BsonDocument fields = new BsonDocument();
    putIfPresent(fields, AGENT_ID, record.agentId());
    putIfPresent(fields, SESSION_ID, record.sessionId());
    putIfPresent(fields, ROLE, record.role() == null ? null : record.role().name());
    putIfPresent(fields, INVALID_AT, record.invalidAt());
    putIfPresent(fields, SUPERSEDED_BY, record.supersededBy());
    return fields;
  }

  /**
   * The update that makes a live memory document {@code stored} at {@code version}, written by
   * the call of {@code token}: its fields set, the {@link #OPTIONAL_FIELDS} it has no value for
   * removed.
   */
  static BsonDocument replacement(StoredMemory stored, int version, String token) {
    BsonDocument update = new BsonDocument("$set", liveFields(stored)
        .append(VERSION, new BsonInt32(version)).append(CHANGE, new BsonString(token)));
    BsonDocument present = optionalFields(stored.memory());
    BsonDocument unset = new BsonDocument();
    OPTIONAL_FIELDS.stream().filter(field -> !present.containsKey(field))
        .forEach(field -> unset.append(field, new BsonString("")));
    // an empty $unset is an error on MongoDB before 5.0
    return unset.isEmpty() ? update : update.append("$unset", unset);
  }

  /** The fields {@code replaceEmbeddings} sets: the embedding and the embedder id. */
  static BsonDocument embeddingFields(StoredMemory stored) {
    return new BsonDocument(EMBEDDING, embedding(stored.embedding()))
        .append(EMBEDDER_ID, new BsonString(stored.embedderId()));
  }

  static StoredMemory memory(BsonDocument document) {
    String owner = string(document, USER_ID);
    Instant createdAt = instant(document, CREATED_AT);
    Instant validFrom = optionalInstant(document, VALID_FROM);
    MemoryRecord record = new MemoryRecord(string(document, MEMORY_ID), userOf(owner),
        string(document, CONTENT), stringList(document, TAGS), stringList(document, PEOPLE),
        optionalString(document, TOPIC), metadata(document), createdAt,
        instant(document, UPDATED_AT), agentOf(optionalString(document, AGENT_ID), owner),
        optionalString(document, SESSION_ID), role(document),
        validFrom == null ? createdAt : validFrom, optionalInstant(document, INVALID_AT),
        optionalString(document, SUPERSEDED_BY));
    return new StoredMemory(string(document, NAMESPACE), record,
        floats(field(document, EMBEDDING).asBinary().getData()),
        string(document, EMBEDDER_ID));
  }

  private static @Nullable Role role(BsonDocument document) {
    String role = optionalString(document, ROLE);
    try {
      return role == null ? null : Role.valueOf(role);
    } catch (IllegalArgumentException e) {
      throw corrupt(ROLE, "is " + role + ", not a role of this version");
    }
  }

  /** The user id a partition owner stands for: none for an agent's own partition. */
  private static @Nullable String userOf(String owner) {
    return owner.startsWith(PartitionKey.AGENT_PREFIX) ? null : owner;
  }

  /** The agent stored with a memory or entry, else the agent whose own partition it is in. */
  private static @Nullable String agentOf(@Nullable String stored, String owner) {
    return stored != null || userOf(owner) != null ? stored
        : owner.substring(PartitionKey.AGENT_PREFIX.length());
  }

  /** The partition owner of an entry, as its memory document's {@code userId} holds it. */
  private static String ownerOf(String namespace, HistoryEntry entry) {
    return PartitionKey.of(namespace, entry.userId(), entry.agentId()).owner();
  }

  /** The unique key of a history entry: its memory (partition owner and id) and version. */
  static BsonDocument historyKey(String namespace, String owner, String memoryId, int version) {
    return new BsonDocument(NAMESPACE, new BsonString(namespace))
        .append(USER_ID, new BsonString(owner))
        .append(MEMORY_ID, new BsonString(memoryId))
        .append(VERSION, new BsonInt32(version));
  }

  /**
   * A history entry document: its key, the entry, the token of the call writing it and, unless
   * {@code position} is {@link #NOT_PENDING}, the mark of a pending webhook event.
   */
  static BsonDocument historyEntry(String namespace, HistoryEntry entry, int version,
      String token, int position) {
    BsonDocument document = historyKey(namespace, ownerOf(namespace, entry), entry.memoryId(),
        version).append(EVENT, new BsonString(entry.event().name()));
    putIfPresent(document, PREVIOUS_CONTENT, entry.previousContent());
    putIfPresent(document, NEW_CONTENT, entry.newContent());
    putIfPresent(document, AGENT_ID, entry.agentId());
    putIfPresent(document, RELATED_ID, entry.relatedId());
    document.append(AT, date(entry.at())).append(CHANGE, new BsonString(token));
    return position == NOT_PENDING ? document
        : document.append(PENDING_EVENT, new BsonInt32(position));
  }

  /**
   * Upserts of one memory's entries at the versions after {@code version}, on the unique key, so
   * they overwrite orphans of changes that did not complete; pending events at the positions from
   * {@code position} on, unless it is {@link #NOT_PENDING}.
   */
  static List<ReplaceOneModel<BsonDocument>> historyUpserts(String namespace,
      List<HistoryEntry> entries, int version, String token, int position) {
    List<ReplaceOneModel<BsonDocument>> writes = new ArrayList<>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      HistoryEntry entry = entries.get(i);
      int at = version + 1 + i;
      writes.add(new ReplaceOneModel<>(historyKey(namespace, ownerOf(namespace, entry),
          entry.memoryId(), at),
          historyEntry(namespace, entry, at, token,
              position == NOT_PENDING ? NOT_PENDING : position + i), UPSERT));
    }
    return writes;
  }

  /** A history entry document of the {@code history} collection. */
  static HistoryEntry historyEntry(BsonDocument document) {
    return historyEntry(document, string(document, USER_ID), string(document, MEMORY_ID));
  }

  /** The entries of a schema-1 memory document's embedded history, oldest first. */
  static List<HistoryEntry> embeddedHistory(BsonDocument memory) {
    BsonValue array = field(memory, EMBEDDED_HISTORY);
    if (!array.isArray()) {
      throw corrupt(EMBEDDED_HISTORY, "is a " + array.getBsonType() + ", not an array");
    }
    String owner = string(memory, USER_ID);
    String memoryId = string(memory, MEMORY_ID);
    return array.asArray().stream()
        .map(entry -> historyEntry(entry.asDocument(), owner, memoryId)).toList();
  }

  private static HistoryEntry historyEntry(BsonDocument entry, String owner, String memoryId) {
    String event = string(entry, EVENT);
    try {
      return new HistoryEntry(memoryId, userOf(owner), HistoryEntry.Event.valueOf(event),
          optionalString(entry, PREVIOUS_CONTENT), optionalString(entry, NEW_CONTENT),
          instant(entry, AT), agentOf(optionalString(entry, AGENT_ID), owner),
          optionalString(entry, RELATED_ID));
    } catch (IllegalArgumentException e) {
      throw corrupt(EVENT, "is " + event + ", not an event of this version");
    }
  }

  /** A memory document's version. */
  static int version(BsonDocument memory) {
    BsonValue value = field(memory, VERSION);
    if (!value.isNumber()) {
      throw corrupt(VERSION, "is a " + value.getBsonType() + ", not a number");
    }
    return value.asNumber().intValue();
  }

  static BsonDocument project(Project project) {
    return new BsonDocument(ID, new BsonString(project.id()))
        .append(NAME, new BsonString(project.name()))
        .append(CREATED_AT, date(project.createdAt()));
  }

  static Project project(BsonDocument document) {
    return new Project(string(document, ID), string(document, NAME),
        instant(document, CREATED_AT));
  }

  /** An API key document; absent optional instants are absent fields, so {@code $max} works. */
  static BsonDocument key(ApiKeyRecord key) {
    BsonDocument document = new BsonDocument(ID, new BsonString(key.id()))
        .append(PROJECT_ID, new BsonString(key.projectId()))
        .append(NAME, new BsonString(key.name()))
        .append(HASH, new BsonString(key.hash()))
        .append(HINT, new BsonString(key.hint()))
        .append(SCOPES, strings(EnumSet.copyOf(key.scopes()).stream().map(Enum::name).toList()))
        .append(CREATED_AT, date(key.createdAt()))
        .append(USAGE_COUNT, new BsonInt64(key.usageCount()));
    putIfPresent(document, EXPIRES_AT, key.expiresAt());
    putIfPresent(document, REVOKED_AT, key.revokedAt());
    putIfPresent(document, LAST_USED_AT, key.lastUsedAt());
    return document;
  }

  static ApiKeyRecord key(BsonDocument document) {
    Set<KeyScope> scopes = EnumSet.noneOf(KeyScope.class);
    stringList(document, SCOPES).forEach(scope -> scopes.add(KeyScope.valueOf(scope)));
    return new ApiKeyRecord(string(document, ID), string(document, PROJECT_ID),
        string(document, NAME), string(document, HASH), string(document, HINT), scopes,
        instant(document, CREATED_AT), optionalInstant(document, EXPIRES_AT),
        optionalInstant(document, REVOKED_AT), optionalInstant(document, LAST_USED_AT),
        field(document, USAGE_COUNT).asNumber().longValue());
  }

  static BsonDateTime date(Instant instant) {
    return new BsonDateTime(instant.toEpochMilli());
  }

  // ---------------------------------------------------------------- embeddings

  /** Float32 little-endian, bit for bit (negative zero and subnormals included). */
  static BsonBinary embedding(float[] vector) {
    ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES)
        .order(ByteOrder.LITTLE_ENDIAN);
    for (float value : vector) {
      buffer.putInt(Float.floatToRawIntBits(value));
    }
    return new BsonBinary(buffer.array());
  }

  static float[] floats(byte[] bytes) {
    if (bytes.length % Float.BYTES != 0) {
      throw corrupt(EMBEDDING, "has " + bytes.length + " bytes, not a whole number of float32");
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    float[] vector = new float[bytes.length / Float.BYTES];
    for (int i = 0; i < vector.length; i++) {
      vector[i] = Float.intBitsToFloat(buffer.getInt());
    }
    return vector;
  }

  // ---------------------------------------------------------------- metadata

  /**
   * Metadata as BSON: integers as int64, decimals as double, maps as documents whose keys are
   * escaped so that any key a record accepts ({@code $x}, {@code a.b}) is a legal field name.
   */
  static BsonValue metadataValue(Object value) {
    if (value instanceof String text) {
      return new BsonString(text);
    }
    if (value instanceof Boolean flag) {
      return BsonBoolean.valueOf(flag);
    }
    if (value instanceof Long number) {
      return new BsonInt64(number);
    }
    if (value instanceof Double number) {
      return new BsonDouble(number);
    }
    if (value instanceof Map<?, ?> map) {
      BsonDocument document = new BsonDocument();
      map.forEach((key, child) -> document.append(escapeKey((String) key), metadataValue(child)));
      return document;
    }
    if (value instanceof List<?> list) {
      BsonArray array = new BsonArray(new ArrayList<>(list.size()));
      list.forEach(child -> array.add(metadataValue(child)));
      return array;
    }
    // MemoryRecord admits only the types above.
    throw new IllegalArgumentException("unsupported metadata value " + value.getClass());
  }

  private static Map<String, Object> metadata(BsonDocument document) {
    @SuppressWarnings("unchecked")
    Map<String, Object> metadata = (Map<String, Object>) metadataJava(field(document, METADATA));
    return metadata;
  }

  private static Object metadataJava(BsonValue value) {
    return switch (value.getBsonType()) {
      case STRING -> value.asString().getValue();
      case BOOLEAN -> value.asBoolean().getValue();
      case INT64, INT32 -> value.asNumber().longValue();
      case DOUBLE -> value.asDouble().getValue();
      case DOCUMENT -> {
        Map<String, Object> map = new LinkedHashMap<>();
        value.asDocument().forEach((key, child) -> map.put(unescapeKey(key), metadataJava(child)));
        yield map;
      }
      case ARRAY -> value.asArray().stream().map(Documents::metadataJava).toList();
      default -> throw corrupt(METADATA, "holds a value of BSON type " + value.getBsonType());
    };
  }

  /** Escapes {@code %}, {@code .}, {@code $} and NUL as {@code %XX}; reversible. */
  static String escapeKey(String key) {
    StringBuilder escaped = null;
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      boolean special = c == '%' || c == '.' || c == '$' || c == '\0';
      if (special && escaped == null) {
        escaped = new StringBuilder(key.length() + 8).append(key, 0, i);
      }
      if (special) {
        escaped.append('%').append(Character.forDigit(c >> 4, 16))
            .append(Character.forDigit(c & 0xF, 16));
      } else if (escaped != null) {
        escaped.append(c);
      }
    }
    return escaped == null ? key : escaped.toString();
  }

  static String unescapeKey(String key) {
    if (key.indexOf('%') < 0) {
      return key;
    }
    StringBuilder plain = new StringBuilder(key.length());
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '%' && i + 2 < key.length()) {
        plain.append((char) Integer.parseInt(key.substring(i + 1, i + 3), 16));
        i += 2;
      } else if (c == '%') {
        throw corrupt(METADATA, "has a key with a truncated escape: " + key);
      } else {
        plain.append(c);
      }
    }
    return plain.toString();
  }

  // ---------------------------------------------------------------- fields

  private static BsonArray strings(List<String> values) {
    BsonArray array = new BsonArray(new ArrayList<>(values.size()));
    values.forEach(value -> array.add(new BsonString(value)));
    return array;
  }

  static void putIfPresent(BsonDocument document, String name,
      @Nullable Instant instant) {
    if (instant != null) {
      document.append(name, date(instant));
    }
  }

  static void putIfPresent(BsonDocument document, String name, @Nullable String value) {
    if (value != null) {
      document.append(name, new BsonString(value));
    }
  }

  static BsonValue field(BsonDocument document, String name) {
    BsonValue value = document.get(name);
    if (value == null) {
      throw corrupt(name, "is missing");
    }
    return value;
  }

  static String string(BsonDocument document, String name) {
    BsonValue value = field(document, name);
    if (!value.isString()) {
      throw corrupt(name, "is a " + value.getBsonType() + ", not a string");
    }
    return value.asString().getValue();
  }

  /** A string field's value; {@code null} when the field is absent or null. */
  static @Nullable String optionalString(BsonDocument document, String name) {
    BsonValue value = document.get(name);
    return value == null || value.isNull() ? null : string(document, name);
  }

  static List<String> stringList(BsonDocument document, String name) {
    return field(document, name).asArray().stream().map(value -> value.asString().getValue())
        .toList();
  }

  static Instant instant(BsonDocument document, String name) {
    return Instant.ofEpochMilli(field(document, name).asDateTime().getValue());
  }

  static @Nullable Instant optionalInstant(BsonDocument document, String name) {
    BsonValue value = document.get(name);
    return value == null || value.isNull() ? null : Instant.ofEpochMilli(
        value.asDateTime().getValue());
  }

  private static StorageException corrupt(String field, String problem) {
    return new StorageException("A document in MongoDB is not in the InMemory format: field '"
        + field + "' " + problem + ". Was it written by something else? Restore it from a backup"
        + " or remove the document.");
  }
}
