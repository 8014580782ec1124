package io.inmemory.transport.http;

import io.inmemory.ArchivedMemory;
import io.inmemory.ExportRequest;
import io.inmemory.InvalidRequestException;
import io.inmemory.RestoreResult;
import io.inmemory.Scope;
import io.inmemory.TransportException;
import io.inmemory.wire.ArchiveJson;
import io.inmemory.wire.MemoryJson;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Export and restore through the server's {@code GET /v1/export} and {@code POST /v1/import}, in
 * the JSON Lines of {@link ArchiveJson}. Stateless and thread-safe.
 */
final class Archives {
  private Archives() {}

  static void export(HttpCore core, ExportRequest request, Consumer<ArchivedMemory> sink) {
    long[] read = new long[2];
    ArchiveJson.End[] end = new ArchiveJson.End[1];
    core.lines(Call.idempotent("GET", "/v1/export" + query(request), null), line -> {
      if (line.isBlank()) {
        return;
      }
      if (end[0] != null) {
        throw new TransportException("The export went on after its end line", (Throwable) null);
      }
      ArchiveJson.Line parsed;
      try {
        parsed = ArchiveJson.read(line);
      } catch (InvalidRequestException e) {
        throw new TransportException("The server's export holds a line this client cannot read ("
            + e.getMessage() + "): is the server of a newer version?", e);
      }
      if (parsed instanceof ArchiveJson.Entry entry) {
        read[entry.memory().isDeleted() ? 1 : 0]++;
        sink.accept(entry.memory());
      } else if (parsed instanceof ArchiveJson.End last) {
        end[0] = last;
      }
    });
    if (end[0] == null) {
      throw new TransportException("The export was cut off after " + (read[0] + read[1])
          + " memories: the server failed part way", (Throwable) null);
    }
    if (end[0].memories() != read[0] || end[0].deleted() != read[1]) {
      throw new TransportException("The export's end line counts " + end[0] + ", but "
          + read[0] + " memories and " + read[1] + " deleted ones came", (Throwable) null);
    }
  }

  static CompletableFuture<List<RestoreResult>> restore(HttpCore core,
      List<ArchivedMemory> memories) {
    Objects.requireNonNull(memories, "memories");
    if (memories.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < memories.size(); i++) {
      lines.append(ArchiveJson.write(Objects.requireNonNull(memories.get(i),
          "memories[" + i + "]"))).append('\n');
    }
    Call.Raw body = new Call.Raw(ArchiveJson.MEDIA_TYPE,
        lines.toString().getBytes(StandardCharsets.UTF_8));
    return core.send(Call.storing("/v1/import", body, UUID.randomUUID().toString()))
        .thenApply(json -> {
          List<RestoreResult> results = new ArrayList<>(memories.size());
          for (ArchiveJson.LineResult line : ArchiveJson.readImportResults(json)) {
            String id = line.memoryId() != null ? line.memoryId()
                : memories.get(line.line() - 1).id();
            results.add(new RestoreResult(id, line.outcome(), line.problem()));
          }
          return results;
        });
  }

  /** The export's query string, with its {@code ?}. */
  private static String query(ExportRequest request) {
    StringBuilder query = new StringBuilder("?include_deleted=").append(request.deleted())
        .append("&include_embeddings=").append(request.embeddings())
        .append("&include_history=").append(request.history());
    Scope scope = request.scope();
    if (scope != null) {
      parameter(query, MemoryJson.USER_ID.name(), scope.userId());
      parameter(query, MemoryJson.AGENT_ID.name(), scope.agentId());
      parameter(query, MemoryJson.SESSION_ID.name(), scope.sessionId());
    }
    return query.toString();
  }

  private static void parameter(StringBuilder query, String name, String value) {
    if (value != null) {
      query.append('&').append(name).append('=')
          .append(URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"));
    }
  }
}
