package io.inmemory.cli;

import io.inmemory.ArchivedMemory;
import io.inmemory.ConversationRequest;
import io.inmemory.ConversationResult;
import io.inmemory.EventType;
import io.inmemory.InvalidRequestException;
import io.inmemory.ListRequest;
import io.inmemory.MemoryArchive;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryClients;
import io.inmemory.MemoryFilter;
import io.inmemory.RestoreResult;
import io.inmemory.cli.ConversationFile.Unit;
import io.inmemory.cli.FormatSniffer.Format;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code inmemory import FILE}: an InMemory export or a mem0 export restored memory by memory
 * (idempotent by id: a memory already held is unchanged, one held otherwise a conflict, never
 * overwritten; a file cut short is imported and then reported, exit status 1), or conversations
 * (a LoCoMo dataset, {@code {"messages": […]}} objects) stored through conversation ingestion,
 * unit by unit (a session, a conversation).
 *
 * <p><b>Resumable.</b> Each unit is one atomic {@code add(ConversationRequest)} whose memories
 * carry the metadata {@value #MARKER} = {@code <first 8 hex of the file's SHA-256>:<unit>}; a unit
 * is skipped when the checkpoint lists it or, after a crash between the store and the
 * checkpoint, when a memory with its marker exists. So an import interrupted and run again stores
 * nothing twice. A unit that is invalid is reported and the others go on (exit status 6).
 */
@Command(name = "import", description = "Import an InMemory export, a mem0 export or"
    + " conversations (LoCoMo, {\"messages\": [...]} files), resumably, with progress and a"
    + " summary.")
final class ImportCommand extends MemoryCommand {
  /** The metadata key naming the import unit a memory came from. */
  static final String MARKER = "import_unit";
  /** The most archived memories restored in one call (fewer when the batch size is smaller). */
  static final int CHUNK = 500;

  @Parameters(paramLabel = "FILE", description = "The file to import.")
  Path file = Path.of("");

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "auto (default: from the content), inmemory, locomo, messages or mem0.")
  String format = "auto";

  @Option(names = {"-u", "--user"}, paramLabel = "USER",
      description = "The user of conversations that name none (LoCoMo: instead of each sample's).")
  @Nullable String user;

  @Option(names = "--checkpoint", paramLabel = "FILE",
      description = "Where progress is kept (default FILE.<target>.inmemory-checkpoint).")
  @Nullable Path checkpoint;

  @Option(names = "--restart", description = "Ignore the checkpoint and start over (units"
      + " already stored are still found by their marker and not stored twice).")
  boolean restart;

  @Option(names = "--no-progress", negatable = false, description = "Show no progress.")
  boolean noProgress;

  @Override
  int run(MemoryClient client) {
    byte[] content = read(file);
    String digest = sha256(content);
    Format kind = format(content);
    String target =
        sha256(Connection.describe(config()).getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    String header = "inmemory-checkpoint 1 sha256=" + digest + " size=" + content.length
        + " format=" + kind.option() + " target=" + target;
    // one per target: the same file may be imported into several stores
    Path where = checkpoint != null ? checkpoint
        : file.resolveSibling(file.getFileName() + "." + target + ".inmemory-checkpoint");
    boolean archive = kind == Format.INMEMORY || kind == Format.MEM0;
    List<Unit> units = archive ? List.of() : units(kind, content);
    ArchiveFile memories = archive ? archive(kind, content) : null;
    int total = archive ? memories.memories().size() : units.size();
    Summary summary = new Summary(file, kind, total);
    try (Checkpoint done = open(where, header);
        Progress progress = noProgress ? Progress.off()
            : Progress.of("import", total, archive ? "memories" : "units", err())) {
      if (archive) {
        restore(MemoryClients.archive(client), memories, done, progress, summary);
      } else {
        for (Unit unit : units) {
          importUnit(client, unit, digest.substring(0, 8) + ":" + unit.key(), done, summary);
          progress.step(1);
        }
      }
    }
    print(summary.json(), summary::print);
    if (memories != null && memories.truncated()) {
      throw new IllegalStateException(file + " ends without its end line: the export was cut"
          + " short (what it held was imported)");
    }
    return summary.failed.isEmpty() ? ExitCodes.OK : ExitCodes.PARTIAL;
  }

  /**
   * Restores the memories chunk by chunk (restore is idempotent by id: a memory held identically
   * is unchanged, one held otherwise a conflict, never overwritten).
   */
  private void restore(MemoryArchive target, ArchiveFile file, Checkpoint done, Progress progress,
      Summary summary) {
    file.invalid().forEach((line, problem) -> summary.failed.put("line " + line, problem));
    int size = Math.min(CHUNK, limits().maxBatchSize());
    for (Map.Entry<String, List<ArchivedMemory>> chunk : file.chunks(size).entrySet()) {
      if (done.done(chunk.getKey())) {
        summary.checkpointed += chunk.getValue().size();
      } else {
        for (RestoreResult result : target.restore(chunk.getValue())) {
          switch (result.outcome()) {
            case RESTORED, COMPLETED -> {
              summary.imported++;
              summary.memories++;
            }
            case UNCHANGED -> summary.found++;
            default -> summary.failed.put(result.memoryId(),
                result.outcome().name().toLowerCase(Locale.ROOT) + ": " + result.problem());
          }
        }
        done.record(chunk.getKey());
      }
      progress.step(chunk.getValue().size());
    }
  }

  private void importUnit(MemoryClient client, Unit unit, String marker, Checkpoint done,
      Summary summary) {
    if (unit.request() == null) {
      summary.failed.put(unit.key(), Objects.requireNonNull(unit.problem()));
      return;
    }
    if (done.done(unit.key())) {
      summary.checkpointed++;
      return;
    }
    ConversationRequest request = marked(unit.request(), marker);
    if (stored(client, request, marker)) {
      summary.found++;
    } else {
      try {
        ConversationResult result = client.add(request);
        summary.imported++;
        summary.memories += result.events().stream()
            .filter(event -> event.type() == EventType.ADD).count();
      } catch (InvalidRequestException e) {
        summary.failed.put(unit.key(), InMemoryCli.message(e));
        return;
      }
    }
    done.record(unit.key());
  }

  /** Whether a memory of the unit {@code marker} names is in the store already. */
  private static boolean stored(MemoryClient client, ConversationRequest request, String marker) {
    return !client.list(ListRequest.builder(request.scope())
        .filter(MemoryFilter.metadata(MARKER).eq(marker)).includeSuperseded(true).limit(1)
        .build()).items().isEmpty();
  }

  private static ConversationRequest marked(ConversationRequest request, String marker) {
    Map<String, Object> metadata = new HashMap<>(request.metadata());
    metadata.put(MARKER, marker);
    return new ConversationRequest(request.messages(), request.scope(), request.tags(),
        request.topic(), metadata, request.roles(), request.infer(), request.instructions(),
        request.storeRawOnFailure(), request.zone());
  }

  private Format format(byte[] content) {
    if (format.equals("auto")) {
      try {
        return FormatSniffer.sniff(content);
      } catch (IllegalArgumentException e) {
        throw new InvalidRequestException("file", e.getMessage());
      }
    }
    for (Format known : Format.values()) {
      if (known.option().equals(format)) {
        return known;
      }
    }
    throw usage("--format must be auto, inmemory, locomo, messages or mem0, was " + format);
  }

  private List<Unit> units(Format kind, byte[] content) {
    try {
      return kind == Format.LOCOMO ? ConversationFile.locomo(content, user)
          : ConversationFile.messages(content, user, limits());
    } catch (IOException | IllegalArgumentException e) {
      throw invalidFile(kind, e);
    }
  }

  private ArchiveFile archive(Format kind, byte[] content) {
    try {
      return kind == Format.MEM0 ? Mem0Export.read(content) : ArchiveFile.read(content);
    } catch (IOException | IllegalArgumentException e) {
      throw invalidFile(kind, e);
    }
  }

  private InvalidRequestException invalidFile(Format kind, Exception e) {
    return new InvalidRequestException("file", file + " is not a valid " + kind.option()
        + " file: " + e.getMessage());
  }

  private Checkpoint open(Path where, String header) {
    try {
      return Checkpoint.open(where, header, restart);
    } catch (IllegalStateException e) {
      throw usage(e.getMessage());
    }
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(Objects.requireNonNull(spec).commandLine(), message);
  }

  /** What an import did. Not thread-safe. */
  private final class Summary {
    private final Path file;
    private final Format format;
    private final int units;
    private int imported;
    private int checkpointed;
    private int found;
    private long memories;
    private final Map<String, String> failed = new LinkedHashMap<>();

    Summary(Path file, Format format, int units) {
      this.file = file;
      this.format = format;
      this.units = units;
    }

    Map<String, Object> json() {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("file", file.toString());
      json.put("format", format.option());
      json.put("units", units);
      json.put("imported", imported);
      json.put("skipped_checkpointed", checkpointed);
      json.put("skipped_already_stored", found);
      json.put("failed", failed.size());
      json.put("memories_added", memories);
      List<Map<String, Object>> problems = new ArrayList<>();
      failed.forEach((unit, problem) -> problems.add(Map.of("unit", unit, "problem", problem)));
      json.put("problems", problems);
      return json;
    }

    void print() {
      out().println("imported " + imported + " of " + units + " " + format.option() + " units from "
          + file + " (" + memories + " memories added)");
      if (checkpointed + found > 0) {
        out().println("skipped " + (checkpointed + found) + " units imported before ("
            + checkpointed + " by the checkpoint, " + found + " found in the store)");
      }
      failed.forEach((unit, problem) -> out().println("failed unit " + unit + ": " + problem));
    }
  }
}
