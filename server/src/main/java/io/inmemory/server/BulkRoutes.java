package io.inmemory.server;

import io.inmemory.ArchivedMemory;
import io.inmemory.BatchDelete;
import io.inmemory.BatchItemResult;
import io.inmemory.BatchUpdate;
import io.inmemory.ExportRequest;
import io.inmemory.InMemoryException;
import io.inmemory.InvalidRequestException;
import io.inmemory.InvalidRequestException.Violation;
import io.inmemory.PermissionDeniedException;
import io.inmemory.RestoreResult;
import io.inmemory.Scope;
import io.inmemory.engine.Memory;
import io.inmemory.engine.tenant.KeyScope;
import io.inmemory.engine.tenant.Project;
import io.inmemory.server.ImportListener.ImportSummary;
import io.inmemory.server.Route.Access;
import io.inmemory.server.Route.Param;
import io.inmemory.wire.ArchiveJson;
import io.inmemory.wire.ArchiveJson.LineResult;
import io.inmemory.wire.BatchJson;
import io.inmemory.wire.BatchJson.Parsed;
import io.inmemory.wire.ProblemJson;
import io.inmemory.wire.ProblemType;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes that change or move many memories at once: batch update and delete (a result per
 * item; each owner's items applied together or not at all), export of a project or scope as JSON
 * Lines (streamed), and import of such lines in chunks (idempotent by memory id, a result per
 * line). Declared here, added to the route table by {@link Api}. Thread-safe.
 */
final class BulkRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(BulkRoutes.class);
  private static final Param PROJECT_ID = new Param("project_id", "string", false,
      "The project to export (admin keys only); default the caller's.");
  private static final Param INCLUDE_DELETED = new Param("include_deleted", "boolean", false,
      "Also deleted memories' histories (default true).");
  private static final Param INCLUDE_EMBEDDINGS = new Param("include_embeddings", "boolean",
      false, "Also the memories' embeddings (default true).");
  private static final Param INCLUDE_HISTORY = new Param("include_history", "boolean", false,
      "Also the memories' histories (default true; without them no deleted memories).");
  private static final Param IMPORT_RUN = new Param("import_run", "string", false,
      "An id the client gives every chunk of one import, 1 to 128 characters.");
  private static final Param FINAL = new Param("final", "boolean", false,
      "Whether this is the run's last chunk (with import_run): the import is then finished.");
  /** How many unfinished import runs' counts are kept; the oldest are dropped beyond. */
  private static final int RUNS_KEPT = 1000;

  private final Memory memory;
  private final Admission admission;
  private final ImportListener listener;
  private final Clock clock;
  private final Map<List<String>, Map<RestoreResult.Outcome, Long>> runs =
      new LinkedHashMap<>(16, 0.75f, true);

  BulkRoutes(Memory memory, Admission admission, ImportListener listener, Clock clock) {
    this.memory = memory;
    this.admission = admission;
    this.listener = listener;
    this.clock = clock;
  }

  List<Route> routes() {
    List<Param> export = new ArrayList<>(ScopedCalls.SCOPE);
    export.addAll(List.of(INCLUDE_DELETED, INCLUDE_EMBEDDINGS, INCLUDE_HISTORY, PROJECT_ID));
    return List.of(
        new Route("PUT", "/v1/memories/batch", "updateMemories",
            "Changes up to max-batch-size memories, a result per item; each owner's items are"
                + " applied together or not at all.", "memories", Access.WRITE, List.of(),
            "UpdateMemoriesRequest", 200, "BatchResults", admission.costly(this::updateMany),
            true),
        new Route("POST", "/v1/memories/batch/delete", "deleteMemories",
            "Deletes up to max-batch-size memories, a result per item (histories kept).",
            "memories", Access.WRITE, List.of(), "DeleteMemoriesRequest", 200, "BatchResults",
            this::deleteMany, true),
        new Route("GET", "/v1/export", "exportMemories",
            "The memories of the project, or of a scope, as JSON Lines (application/x-ndjson),"
                + " streamed: a header line, one line per memory, an end line with the counts.",
            "memories", Access.READ, export, null, 200, null, this::export),
        new Route("POST", "/v1/import", "importMemories",
            "Restores exported JSON Lines (a chunk of at most max-batch-size memory lines),"
                + " idempotently by memory id, with a result per line.", "memories",
            Access.WRITE, List.of(IMPORT_RUN, FINAL), ArchiveJson.LINES_SCHEMA, 200,
            "ImportResults", admission.costly(this::importLines), true));
  }

  // ------------------------------------------------------------------ batch

  private Object updateMany(Call call) {
    Memory project = memory.namespace(call.project());
    List<Parsed<BatchUpdate>> items = BatchJson.updates(call.body(),
        size -> project.limits().checkBatchSize(size));
    return answer(call, items, project::updateMany);
  }

  private Object deleteMany(Call call) {
    Memory project = memory.namespace(call.project());
    List<Parsed<BatchDelete>> items = BatchJson.deletes(call.body(),
        size -> project.limits().checkBatchSize(size));
    return answer(call, items, project::deleteMany);
  }

  /** Applies the items read, and answers a result per item, in the body's order. */
  private static <T> Map<String, Object> answer(Call call, List<Parsed<T>> items,
      Function<List<T>, List<BatchItemResult>> apply) {
    List<T> valid = items.stream().map(Parsed::item).filter(item -> item != null).toList();
    Iterator<BatchItemResult> applied = apply.apply(valid).iterator();
    List<Map<String, Object>> results = new ArrayList<>(items.size());
    for (Parsed<T> item : items) {
      if (item.invalid() != null) {
        results.add(BatchJson.result(item.memoryId(), ProblemType.VALIDATION.status(), null,
            problem(call, item.invalid())));
        continue;
      }
      BatchItemResult result = applied.next();
      InMemoryException error = result.error();
      results.add(error == null ? BatchJson.result(result.memoryId(), 200, result.memory(), null)
          : BatchJson.result(result.memoryId(), ProblemType.of(error).status(), null,
              problem(call, error)));
    }
    return BatchJson.results(results);
  }

  /** An item's problem document, as the single call's answer would have been. */
  private static Map<String, Object> problem(Call call, InMemoryException error) {
    ProblemType type = ProblemType.of(error);
    String detail = error.getMessage();
    if (type == ProblemType.STORAGE_UNAVAILABLE) {
      LOG.warn("Storage failure of a batch item (request {}): {}", call.requestId(),
          error.toString());
      detail = "The store is unavailable; retry later (request id " + call.requestId() + ")";
    }
    return ProblemJson.write(type, type.status(), detail, null, call.requestId(),
        error instanceof InvalidRequestException invalid ? ProblemJson.violations(invalid)
            : Map.of());
  }

  // ------------------------------------------------------------------ export

  private Object export(Call call) {
    List<Violation> problems = new ArrayList<>();
    String userId = call.query(ScopedCalls.USER_ID.name());
    String agentId = call.query(ScopedCalls.AGENT_ID.name());
    String sessionId = call.query(ScopedCalls.SESSION_ID.name());
    boolean deleted = flag(call, INCLUDE_DELETED, problems);
    boolean embeddings = flag(call, INCLUDE_EMBEDDINGS, problems);
    boolean history = flag(call, INCLUDE_HISTORY, problems);
    if (!problems.isEmpty()) {
      throw new InvalidRequestException(problems);
    }
    Scope scope = userId == null && agentId == null && sessionId == null ? null
        : new Scope(userId, agentId, sessionId);
    ExportRequest request = new ExportRequest(scope, deleted, embeddings, history);
    String projectId = exportedProject(call);
    Memory project = memory.namespace(projectId);
    ArchiveJson.Header header = ArchiveJson.Header.of(projectId, request, clock.instant());
    return Reply.stream(ArchiveJson.MEDIA_TYPE, out -> write(out, header, project, request));
  }

  private static boolean flag(Call call, Param param, List<Violation> problems) {
    return ScopedCalls.bool(call, param.name(), param.name(), problems, true);
  }

  /** The caller's project, or the one an admin key names. */
  private static String exportedProject(Call call) {
    String named = call.query(PROJECT_ID.name());
    if (named == null) {
      return call.project();
    }
    if (!call.principal().has(KeyScope.ADMIN) && !named.equals(call.principal().projectId())) {
      throw new PermissionDeniedException("Only an admin key may export another project");
    }
    if (!Project.isValidId(named)) {
      throw new InvalidRequestException(PROJECT_ID.name(), "must be " + Project.ID_RULE);
    }
    return named;
  }

  /**
   * The lines of the export; a failure part way ends the stream without the end line, so the
   * client sees it cut off.
   */
  private static void write(OutputStream out, ArchiveJson.Header header, Memory project,
      ExportRequest request) throws IOException {
    long[] counts = new long[2];
    line(out, ArchiveJson.header(header));
    try {
      project.export(request, archived -> {
        counts[archived.isDeleted() ? 1 : 0]++;
        try {
          line(out, ArchiveJson.write(archived));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    line(out, ArchiveJson.end(new ArchiveJson.End(counts[0], counts[1])));
  }

  private static void line(OutputStream out, String line) throws IOException {
    out.write(line.getBytes(StandardCharsets.UTF_8));
    out.write('\n');
  }

  // ------------------------------------------------------------------ import

  private Object importLines(Call call) {
    Memory project = memory.namespace(call.project());
    String run = call.query(IMPORT_RUN.name());
    List<Violation> problems = new ArrayList<>();
    boolean last = ScopedCalls.bool(call, FINAL.name(), FINAL.name(), problems, false);
    if (run != null && (run.isBlank() || run.length() > 128)) {
      problems.add(new Violation(IMPORT_RUN.name(), "must be 1 to 128 characters"));
    }
    if (last && run == null) {
      problems.add(new Violation(FINAL.name(), "needs import_run: which run is finished?"));
    }
    if (!problems.isEmpty()) {
      throw new InvalidRequestException(problems);
    }
    List<LineResult> results = new ArrayList<>();
    List<ArchivedMemory> entries = new ArrayList<>();
    List<Integer> entryLines = new ArrayList<>();
    String[] lines = text(call.bytes()).split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      try {
        if (ArchiveJson.read(line) instanceof ArchiveJson.Entry entry) {
          entries.add(entry.memory());
          entryLines.add(i + 1);
        }
      } catch (InvalidRequestException e) {
        results.add(new LineResult(i + 1, null, RestoreResult.Outcome.INVALID, e.getMessage()));
      }
    }
    project.limits().checkBatchSize(entries.size() + results.size());
    List<RestoreResult> restored = project.restore(entries);
    for (int i = 0; i < restored.size(); i++) {
      results.add(LineResult.of(entryLines.get(i), restored.get(i)));
    }
    results.sort((a, b) -> Integer.compare(a.line(), b.line()));
    if (run != null) {
      counted(call.project(), run, results, last);
    }
    return ArchiveJson.importResults(results);
  }

  /** The body as UTF-8 text; a malformed byte is the client's mistake, not a replacement. */
  private static String text(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new InvalidRequestException("body", "is not UTF-8 text: " + e.getMessage());
    }
  }

  /** Adds a chunk's outcomes to its run's; the last chunk tells the listener and forgets it. */
  private void counted(String projectId, String run, List<LineResult> results, boolean last) {
    Map<RestoreResult.Outcome, Long> counts;
    synchronized (runs) {
      counts = runs.computeIfAbsent(List.of(projectId, run),
          key -> new EnumMap<>(RestoreResult.Outcome.class));
      results.forEach(result -> counts.merge(result.outcome(), 1L, Long::sum));
      if (last) {
        runs.remove(List.of(projectId, run));
      } else if (runs.size() > RUNS_KEPT) {
        Iterator<List<String>> oldest = runs.keySet().iterator();
        oldest.next();
        oldest.remove();
      }
    }
    if (last) {
      listener.finished(projectId, new ImportSummary(run, counts));
    }
  }
}
