package io.inmemory.wire;

import static io.inmemory.wire.Answers.list;
import static io.inmemory.wire.Answers.optionalString;
import static io.inmemory.wire.Answers.text;
import static io.inmemory.wire.Schemas.bool;
import static io.inmemory.wire.Schemas.integer;
import static io.inmemory.wire.Schemas.str;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inmemory.ArchivedEmbedding;
import io.inmemory.ArchivedMemory;
import io.inmemory.ExportRequest;
import io.inmemory.HistoryEntry;
import io.inmemory.InMemoryException;
import io.inmemory.InvalidRequestException;
import io.inmemory.MemoryClients;
import io.inmemory.MemoryRecord;
import io.inmemory.RestoreResult;
import io.inmemory.Scope;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The export file's lines: JSON Lines, UTF-8, one JSON object per line, each naming its
 * {@code kind}: a {@code header} first, then one {@code memory} or {@code deleted} line per
 * memory, then an {@code end} line with the counts, so that a reader detects a cut file. The
 * export endpoint, the import endpoint and the command-line tool all use these lines. Stateless
 * and thread-safe.
 *
 * <p>A memory line holds every member of a memory as the API writes it, its {@code history}
 * (entries as the history endpoint writes them) and optionally its {@code embedding}
 * ({@code embedder_id}, {@code dimensions}, {@code f32le}: the vector as little-endian float32,
 * Base64). A deleted line holds {@code id}, {@code user_id}, {@code agent_id} and the history.
 * Readers take hand-written lines too: a memory's {@code tags}, {@code people_mentioned},
 * {@code metadata}, {@code updated_at} and scope members may be left out. A member whose name
 * starts with {@code x_} is ignored; any other member the line's kind does not know makes the line
 * invalid (nothing is silently dropped).
 *
 * <p>Stateless and thread-safe; the line records are immutable values, their members non-null
 * unless marked {@code @Nullable}.
 */
public final class ArchiveJson {
  /** The {@code format} of the header line. */
  public static final String FORMAT = "inmemory-export";
  /** The version of the line format this codec writes and the newest it reads. */
  public static final int FORMAT_VERSION = 1;
  /** The media type of an export: JSON Lines. */
  public static final String MEDIA_TYPE = "application/x-ndjson";

  public static final Member KIND = new Member("kind",
      Schemas.oneOf("header", "memory", "deleted", "end"));
  public static final Member HISTORY = new Member("history", Schemas.array(Schemas.anyObject()));
  public static final Member EMBEDDING = new Member("embedding", Schemas.anyObject());
  public static final Member EMBEDDER_ID = new Member("embedder_id", "embedderId", str());
  public static final Member DIMENSIONS = new Member("dimensions", integer());
  public static final Member F32LE = new Member("f32le", "vector", str());
  public static final Member FORMAT_MEMBER = new Member("format", str());
  public static final Member FORMAT_VERSION_MEMBER = new Member("format_version",
      "formatVersion", integer());
  public static final Member INMEMORY_VERSION = new Member("inmemory_version", "version", str());
  public static final Member EXPORTED_AT = new Member("exported_at", "exportedAt",
      Schemas.instant());
  public static final Member NAMESPACE = new Member("namespace", Schemas.nullable("string"));
  public static final Member SCOPE = new Member("scope", Schemas.anyObject());
  public static final Member EMBEDDINGS = new Member("embeddings", bool());
  public static final Member HISTORIES = new Member("history", bool());
  public static final Member DELETED = new Member("deleted", bool());
  public static final Member MEMORIES_COUNT = new Member("memories", integer());
  public static final Member DELETED_COUNT = new Member("deleted", integer());

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private static final Set<String> MEMORY_MEMBERS = names(KIND, HISTORY, EMBEDDING, MemoryJson.ID,
      MemoryJson.USER_ID, MemoryJson.CONTENT, LabelsJson.TAGS, LabelsJson.PEOPLE,
      LabelsJson.TOPIC, LabelsJson.METADATA, MemoryJson.CREATED_AT, MemoryJson.UPDATED_AT,
      MemoryJson.AGENT_ID, MemoryJson.SESSION_ID, MemoryJson.ROLE, MemoryJson.VALID_FROM,
      MemoryJson.INVALID_AT, MemoryJson.SUPERSEDED_BY);
  private static final Set<String> DELETED_MEMBERS = names(KIND, HISTORY, MemoryJson.ID,
      MemoryJson.USER_ID, MemoryJson.AGENT_ID);
  private static final Set<String> HEADER_MEMBERS = names(KIND, FORMAT_MEMBER,
      FORMAT_VERSION_MEMBER, INMEMORY_VERSION, EXPORTED_AT, NAMESPACE, SCOPE, EMBEDDINGS,
      HISTORIES, DELETED);
  private static final Set<String> END_MEMBERS = names(KIND, MEMORIES_COUNT, DELETED_COUNT);
  private static final Set<String> EMBEDDING_MEMBERS = names(EMBEDDER_ID, DIMENSIONS, F32LE);
  private static final Set<String> SCOPE_MEMBERS = names(MemoryJson.USER_ID, MemoryJson.AGENT_ID,
      MemoryJson.SESSION_ID);

  private ArchiveJson() {}

  /** One line of an export, as {@link #read(String)} gives it back. */
  public sealed interface Line permits Header, Entry, End {}

  /**
   * The first line: what the export covers.
   *
   * @param namespace the project (or local namespace) exported, or {@code null} when not told
   * @param scope the scope exported, or {@code null} for every owner
   * @param embeddings whether memories carry their embeddings
   * @param history whether memories carry their histories
   * @param deleted whether deleted memories' histories are included
   * @param exportedAt when the export began
   * @param version the InMemory version that wrote it
   */
  public record Header(@Nullable String namespace, @Nullable Scope scope, boolean embeddings,
      boolean history, boolean deleted, Instant exportedAt, String version) implements Line {
    public Header {
      Objects.requireNonNull(exportedAt, "exportedAt");
      Objects.requireNonNull(version, "version");
    }

    /** The header of an export of {@code request} by this InMemory version. */
    public static Header of(@Nullable String namespace, ExportRequest request,
        Instant exportedAt) {
      return new Header(namespace, request.scope(), request.embeddings(), request.history(),
          request.includesDeleted(), exportedAt, MemoryClients.version());
    }
  }

  /** A memory or deleted memory's line. */
  public record Entry(ArchivedMemory memory) implements Line {
    public Entry {
      Objects.requireNonNull(memory, "memory");
    }
  }

  /**
   * The last line: how many memory and deleted lines came before it.
   *
   * @param memories the number of memory lines
   * @param deleted the number of deleted lines
   */
  public record End(long memories, long deleted) implements Line {
    public End {
      if (memories < 0 || deleted < 0) {
        throw new IllegalArgumentException("counts are not negative");
      }
    }
  }

  /**
   * What an import did with one line.
   *
   * @param line the line's number in the request body, from 1 (blank lines counted)
   * @param memoryId the line's memory id, or {@code null} when the line could not be read
   * @param outcome what happened
   * @param problem why, when it did not succeed; {@code null} otherwise
   */
  public record LineResult(int line, @Nullable String memoryId, RestoreResult.Outcome outcome,
      @Nullable String problem) {
    public LineResult {
      Objects.requireNonNull(outcome, "outcome");
    }

    /** The result of {@code line} that a restore gave. */
    public static LineResult of(int line, RestoreResult result) {
      return new LineResult(line, result.memoryId(), result.outcome(), result.problem());
    }
  }

  public static final Member LINE = new Member("line", integer());
  public static final Member OUTCOME = new Member("outcome", Schemas.oneOf(
      Stream.of(RestoreResult.Outcome.values()).map(ArchiveJson::label).toArray(String[]::new)));
  public static final Member PROBLEM = new Member("problem", Schemas.nullable("string"));
  public static final Member RESULTS = new Member("results", Schemas.array(Schemas.object(
      List.of(LINE, OUTCOME), LINE, ResultJson.MEMORY_ID, OUTCOME, PROBLEM)));
  public static final Member COUNTS = new Member("counts", Schemas.counts());

  /** The name of the import body's schema: JSON Lines, not JSON. */
  public static final String LINES_SCHEMA = "ImportLines";

  /** The named schemas of the import body and answer, for the OpenAPI document. */
  static Map<String, Object> schemas() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put(LINES_SCHEMA, Schemas.map("type", "string", "description", "JSON Lines ("
        + MEDIA_TYPE + "): the lines of an export, at most inmemory.max-batch-size memory"
        + " lines; header and end lines are optional."));
    s.put("ImportResults", Schemas.object(List.of(RESULTS, COUNTS), RESULTS, COUNTS));
    return s;
  }

  /** The import endpoint's answer: each line's result, and how many had each outcome. */
  public static Map<String, Object> importResults(List<LineResult> results) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (RestoreResult.Outcome outcome : RestoreResult.Outcome.values()) {
      counts.put(label(outcome), results.stream().filter(r -> r.outcome() == outcome).count());
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put(RESULTS.name(), results.stream().map(result -> {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put(LINE.name(), result.line());
      line.put(ResultJson.MEMORY_ID.name(), result.memoryId());
      line.put(OUTCOME.name(), label(result.outcome()));
      line.put(PROBLEM.name(), result.problem());
      return line;
    }).toList());
    json.put(COUNTS.name(), counts);
    return json;
  }

  /** The lines' results an import endpoint answered. */
  public static List<LineResult> readImportResults(JsonNode json) {
    return list(Answers.member(json, RESULTS), line -> new LineResult(
        Answers.member(line, LINE).asInt(), optionalString(line, ResultJson.MEMORY_ID),
        RestoreResult.Outcome.valueOf(Answers.string(line, OUTCOME).toUpperCase(Locale.ROOT)),
        optionalString(line, PROBLEM)));
  }

  private static String label(RestoreResult.Outcome outcome) {
    return outcome.name().toLowerCase(Locale.ROOT);
  }

  // ------------------------------------------------------------------ writing

  /** The header line, without its line break. */
  public static String header(Header header) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put(KIND.name(), "header");
    json.put(FORMAT_MEMBER.name(), FORMAT);
    json.put(FORMAT_VERSION_MEMBER.name(), FORMAT_VERSION);
    json.put(INMEMORY_VERSION.name(), header.version());
    json.put(EXPORTED_AT.name(), text(header.exportedAt()));
    json.put(NAMESPACE.name(), header.namespace());
    json.put(SCOPE.name(), header.scope() == null ? null : scope(header.scope()));
    json.put(EMBEDDINGS.name(), header.embeddings());
    json.put(HISTORIES.name(), header.history());
    json.put(DELETED.name(), header.deleted());
    return line(json);
  }

  /** A memory's or deleted memory's line, without its line break. */
  public static String write(ArchivedMemory archived) {
    Map<String, Object> json = new LinkedHashMap<>();
    if (archived.memory() == null) {
      json.put(KIND.name(), "deleted");
      json.put(MemoryJson.ID.name(), archived.id());
      json.put(MemoryJson.USER_ID.name(), archived.userId());
      json.put(MemoryJson.AGENT_ID.name(), archived.agentId());
    } else {
      json.put(KIND.name(), "memory");
      json.putAll(MemoryJson.write(archived.memory()));
    }
    json.put(HISTORY.name(), archived.history().stream().map(ResultJson::historyEntry).toList());
    if (archived.embedding() != null) {
      json.put(EMBEDDING.name(), embedding(archived.embedding()));
    }
    return line(json);
  }

  /** The end line, without its line break. */
  public static String end(End end) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put(KIND.name(), "end");
    json.put(MEMORIES_COUNT.name(), end.memories());
    json.put(DELETED_COUNT.name(), end.deleted());
    return line(json);
  }

  private static Map<String, Object> scope(Scope scope) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put(MemoryJson.USER_ID.name(), scope.userId());
    json.put(MemoryJson.AGENT_ID.name(), scope.agentId());
    json.put(MemoryJson.SESSION_ID.name(), scope.sessionId());
    return json;
  }

  private static Map<String, Object> embedding(ArchivedEmbedding embedding) {
    float[] vector = embedding.vector();
    ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES)
        .order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(vector);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put(EMBEDDER_ID.name(), embedding.embedderId());
    json.put(DIMENSIONS.name(), vector.length);
    json.put(F32LE.name(), Base64.getEncoder().encodeToString(bytes.array()));
    return json;
  }

  private static String line(Map<String, Object> json) {
    try {
      return MAPPER.writeValueAsString(json);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ------------------------------------------------------------------ reading

  /**
   * One line of an export (without its line break).
   *
   * @throws InvalidRequestException when the line is not JSON, names an unknown kind or member,
   *     lacks a member its kind needs, or holds a memory the API's records reject; fields are
   *     named as the API's records name them, else {@code line}
   */
  public static Line read(String line) {
    JsonNode json;
    try {
      json = MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      throw invalid("is not one JSON object: " + e.getOriginalMessage());
    }
    if (json == null || !json.isObject()) {
      throw invalid("is not one JSON object");
    }
    String kind = optionalString(json, KIND);
    try {
      return switch (kind == null ? "" : kind) {
        case "header" -> readHeader(known(json, HEADER_MEMBERS));
        case "memory" -> new Entry(readMemory(known(json, MEMORY_MEMBERS)));
        case "deleted" -> new Entry(readDeleted(known(json, DELETED_MEMBERS)));
        case "end" -> new End(required(known(json, END_MEMBERS), MEMORIES_COUNT).asLong(),
            required(json, DELETED_COUNT).asLong());
        default -> throw invalid("has kind " + (kind == null ? "none" : JsonBody.quoted(kind))
            + ", not header, memory, deleted or end");
      };
    } catch (InvalidRequestException e) {
      throw e;
    } catch (InMemoryException | IllegalArgumentException | DateTimeException
        | NullPointerException e) {
      // the records' own checks: a missing required value or a malformed one
      throw invalid("holds a bad value: " + e.getMessage());
    }
  }

  private static Header readHeader(JsonNode json) {
    String format = optionalString(json, FORMAT_MEMBER);
    if (!FORMAT.equals(format)) {
      throw invalid("is a header of format " + format + ", not " + FORMAT);
    }
    int version = required(json, FORMAT_VERSION_MEMBER).asInt();
    if (version < 1 || version > FORMAT_VERSION) {
      throw invalid("has format_version " + version + ": this InMemory reads 1 to "
          + FORMAT_VERSION + " (a newer InMemory wrote it?)");
    }
    JsonNode scope = json.path(SCOPE.name());
    return new Header(optionalString(json, NAMESPACE),
        scope.isObject() ? readScope(known(scope, SCOPE_MEMBERS)) : null,
        json.path(EMBEDDINGS.name()).asBoolean(false), json.path(HISTORIES.name()).asBoolean(true),
        json.path(DELETED.name()).asBoolean(true),
        Instant.parse(required(json, EXPORTED_AT).asText()),
        required(json, INMEMORY_VERSION).asText());
  }

  private static Scope readScope(JsonNode json) {
    return new Scope(optionalString(json, MemoryJson.USER_ID),
        optionalString(json, MemoryJson.AGENT_ID), optionalString(json, MemoryJson.SESSION_ID));
  }

  private static ArchivedMemory readMemory(JsonNode line) {
    ObjectNode json = (ObjectNode) line.deepCopy();
    required(json, MemoryJson.ID);
    required(json, MemoryJson.CONTENT);
    JsonNode created = required(json, MemoryJson.CREATED_AT);
    // a hand-written line may leave out what a new memory does not have
    putIfAbsent(json, LabelsJson.TAGS, JsonNodeFactory.instance.arrayNode());
    putIfAbsent(json, LabelsJson.PEOPLE, JsonNodeFactory.instance.arrayNode());
    putIfAbsent(json, LabelsJson.METADATA, JsonNodeFactory.instance.objectNode());
    putIfAbsent(json, MemoryJson.UPDATED_AT, created);
    MemoryRecord memory = MemoryJson.read(json);
    JsonNode embedding = json.path(EMBEDDING.name());
    return ArchivedMemory.of(memory, history(json),
        embedding.isMissingNode() || embedding.isNull() ? null
            : readEmbedding(known(embedding, EMBEDDING_MEMBERS)));
  }

  private static ArchivedMemory readDeleted(JsonNode json) {
    return new ArchivedMemory(null, required(json, MemoryJson.ID).asText(),
        optionalString(json, MemoryJson.USER_ID), optionalString(json, MemoryJson.AGENT_ID),
        history(json), null);
  }

  private static List<HistoryEntry> history(JsonNode json) {
    JsonNode history = json.path(HISTORY.name());
    if (history.isMissingNode() || history.isNull()) {
      return List.of();
    }
    if (!history.isArray()) {
      throw new InvalidRequestException(HISTORY.field(), "must be an array");
    }
    return list(history, ResultJson::readHistoryEntry);
  }

  private static ArchivedEmbedding readEmbedding(JsonNode json) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(required(json, F32LE).asText());
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("embedding.vector", "is not Base64: " + e.getMessage());
    }
    int dimensions = required(json, DIMENSIONS).asInt();
    if (bytes.length != dimensions * Float.BYTES) {
      throw new InvalidRequestException("embedding.vector", "holds " + bytes.length
          + " bytes, not the " + dimensions * Float.BYTES + " of " + dimensions + " dimensions");
    }
    float[] vector = new float[dimensions];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
    return new ArchivedEmbedding(required(json, EMBEDDER_ID).asText(), vector);
  }

  private static JsonNode known(JsonNode json, Set<String> members) {
    if (!json.isObject()) {
      throw invalid("holds a non-object where an object belongs");
    }
    List<String> unknown = new ArrayList<>();
    json.fieldNames().forEachRemaining(name -> {
      if (!members.contains(name) && !name.startsWith("x_")) {
        unknown.add(name);
      }
    });
    if (!unknown.isEmpty()) {
      throw invalid("has unknown members " + unknown + " (names starting with x_ are ignored)");
    }
    return json;
  }

  private static JsonNode required(JsonNode json, Member member) {
    JsonNode value = json.get(member.name());
    if (value == null || value.isNull()) {
      throw new InvalidRequestException(member.field(), "is required");
    }
    return value;
  }

  private static void putIfAbsent(ObjectNode json, Member member, JsonNode value) {
    if (!json.hasNonNull(member.name())) {
      json.set(member.name(), value);
    }
  }

  private static InvalidRequestException invalid(String problem) {
    return new InvalidRequestException("line", problem);
  }

  private static Set<String> names(Member... members) {
    return Stream.of(members).map(Member::name).collect(Collectors.toUnmodifiableSet());
  }
}
