package io.inmemory.cli;

import io.inmemory.BatchDelete;
import io.inmemory.BatchItemResult;
import io.inmemory.MemoryClient;
import io.inmemory.Scope;
import io.inmemory.wire.ResultJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code inmemory delete ID…} or {@code delete --all --yes}: the ids deleted by batch deletes of
 * up to the batch limit each, with a result per id (one absent or failing id does not stop the
 * others); exit status 0 when all were deleted, 4 when none was found and none failed, 6
 * otherwise.
 */
@Command(name = "delete", description = "Delete memories by id, or all of a scope's.")
final class DeleteCommand extends MemoryCommand {
  /** {@code --json}: the ids deleted and those the scope did not hold, in the order given. */
  static final String DELETED = "deleted";
  static final String NOT_FOUND = "not_found";
  static final String FAILED = "failed";

  @Parameters(paramLabel = "ID", arity = "0..*", description = "The ids to delete.")
  List<String> ids = new ArrayList<>();

  @Mixin
  ScopeOptions scope = new ScopeOptions();

  @Option(names = "--all", description = "Delete every memory of the scope (needs --yes).")
  boolean all;

  @Option(names = "--yes", description = "Confirm --all.")
  boolean yes;

  @Override
  int run(MemoryClient client) {
    if (all == !ids.isEmpty()) {
      throw usage("Give the ids to delete, or --all (not both)");
    }
    Scope target = scope.scope();
    if (all) {
      if (!yes) {
        throw usage("--all deletes every memory of the scope: add --yes to confirm");
      }
      long count = client.deleteAll(target);
      print(ResultJson.deletedCount(count), () -> out().println("deleted " + count));
      return ExitCodes.OK;
    }
    List<String> unique = List.copyOf(new LinkedHashSet<>(ids));
    List<String> deleted = new ArrayList<>();
    List<String> absent = new ArrayList<>();
    Map<String, String> failed = new LinkedHashMap<>();
    int chunk = limits().maxBatchSize();
    for (int from = 0; from < unique.size(); from += chunk) {
      List<BatchDelete> batch = unique.subList(from, Math.min(unique.size(), from + chunk))
          .stream().map(id -> new BatchDelete(id, target)).toList();
      for (BatchItemResult result : client.deleteMany(batch)) {
        switch (result.status()) {
          case DELETED -> deleted.add(result.memoryId());
          case NOT_FOUND -> absent.add(result.memoryId());
          default -> failed.put(result.memoryId(), String.valueOf(
              Objects.requireNonNull(result.error(), "a failed item's error").getMessage()));
        }
      }
    }
    Map<String, Object> document = new LinkedHashMap<>();
    document.put(DELETED, deleted);
    document.put(NOT_FOUND, absent);
    document.put(FAILED, failed);
    print(document, () -> unique.forEach(id -> out().println(failed.containsKey(id)
        ? "failed " + id + ": " + failed.get(id)
        : (absent.contains(id) ? "not found " : "deleted ") + id)));
    if (deleted.size() == unique.size()) {
      return ExitCodes.OK;
    }
    return absent.size() == unique.size() ? ExitCodes.NOT_FOUND : ExitCodes.PARTIAL;
  }

  private ParameterException usage(String message) {
    return new ParameterException(Objects.requireNonNull(spec).commandLine(), message);
  }
}
