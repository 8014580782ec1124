package io.inmemory.cli;

import io.inmemory.ExportRequest;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryClients;
import io.inmemory.Scope;
import io.inmemory.wire.ArchiveJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code inmemory export}: every memory (or one scope's) as InMemory JSON Lines — a header, one
 * line per memory with its history and embedding, one per deleted memory with its history, and an
 * {@code end} line with the counts, by which a reader tells a whole file from a cut one. To a file
 * it writes {@code FILE.part} and renames it to {@code FILE} only when complete.
 */
@Command(name = "export", description = "Export memories as InMemory JSON Lines (for import"
    + " into any store, or a backup).")
final class ExportCommand extends MemoryCommand {
  @Option(names = {"-o", "--output"}, paramLabel = "FILE",
      description = "Where to write; - (default) for standard output.")
  String output = "-";

  @Option(names = {"-u", "--user"}, paramLabel = "USER", description = "Only this user's.")
  @Nullable String user;

  @Option(names = "--agent", paramLabel = "AGENT",
      description = "Only this agent's (with --user: what it recorded about the user).")
  @Nullable String agent;

  @Option(names = "--session", paramLabel = "SESSION", description = "Only this session's.")
  @Nullable String session;

  @Option(names = "--no-embeddings", negatable = false,
      description = "Leave embeddings out (an import computes them again).")
  boolean noEmbeddings;

  @Option(names = "--no-history", negatable = false,
      description = "Leave histories out (and so deleted memories).")
  boolean noHistory;

  @Option(names = "--no-deleted", negatable = false, description = "Leave deleted memories out.")
  boolean noDeleted;

  @Option(names = "--no-progress", negatable = false, description = "Show no progress.")
  boolean noProgress;

  @Override
  int run(MemoryClient client) {
    Scope scope = user == null && agent == null ? null : new Scope(user, agent, session);
    ExportRequest request = new ExportRequest(scope, !noDeleted, !noEmbeddings, !noHistory);
    if (output.equals("-")) {
      write(out(), client, request, Progress.off());
      return ExitCodes.OK;
    }
    Path target = Path.of(output);
    Path part = target.resolveSibling(target.getFileName() + ".part");
    long[] counts;
    try (PrintWriter lines = new PrintWriter(Files.newBufferedWriter(part, StandardCharsets.UTF_8));
        Progress progress = noProgress ? Progress.off()
            : Progress.of("export", -1, "memories", err())) {
      counts = write(lines, client, request, progress);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + part + ": " + e.getMessage(), e);
    }
    try {
      Files.move(part, target, StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rename " + part + " to " + target, e);
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("file", target.toString());
    summary.put("memories", counts[0]);
    summary.put("deleted", counts[1]);
    print(summary, () -> out().println("exported " + counts[0] + " memories and " + counts[1]
        + " deleted ones to " + target));
    return ExitCodes.OK;
  }

  /** Writes the export's lines; the counts of memories and deleted ones. */
  private static long[] write(PrintWriter lines, MemoryClient client, ExportRequest request,
      Progress progress) {
    long[] counts = new long[2];
    lines.println(ArchiveJson.header(ArchiveJson.Header.of(null, request, Instant.now())));
    MemoryClients.archive(client).export(request, memory -> {
      lines.println(ArchiveJson.write(memory));
      counts[memory.isDeleted() ? 1 : 0]++;
      progress.step(1);
    });
    lines.println(ArchiveJson.end(new ArchiveJson.End(counts[0], counts[1])));
    lines.flush();
    if (lines.checkError()) {
      throw new UncheckedIOException(new IOException("writing the export failed"));
    }
    return counts;
  }
}
