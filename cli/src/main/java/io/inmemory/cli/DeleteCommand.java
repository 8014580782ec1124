package io.inmemory.cli;

import io.inmemory.MemoryClient;
import io.inmemory.Scope;
import io.inmemory.wire.ResultJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code inmemory delete ID…} or {@code delete --all --yes}: each id deleted on its own (one
 * absent id does not stop the others); exit status 0 when all were deleted, 4 when none was
 * found, 6 when some were.
 */
@Command(name = "delete", description = "Delete memories by id, or all of a scope's.")
final class DeleteCommand extends MemoryCommand {
  /** {@code --json}: the ids deleted and those the scope did not hold, in the order given. */
  static final String DELETED = "deleted";
  static final String NOT_FOUND = "not_found";

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
    List<String> deleted = new ArrayList<>();
    List<String> absent = new ArrayList<>();
    for (String id : ids) {
      (client.delete(id, target) ? deleted : absent).add(id);
    }
    Map<String, Object> document = new LinkedHashMap<>();
    document.put(DELETED, deleted);
    document.put(NOT_FOUND, absent);
    print(document, () -> ids.forEach(id -> out().println(
        (absent.contains(id) ? "not found " : "deleted ") + id)));
    if (absent.isEmpty()) {
      return ExitCodes.OK;
    }
    return absent.size() == ids.size() ? ExitCodes.NOT_FOUND : ExitCodes.PARTIAL;
  }

  private ParameterException usage(String message) {
    return new ParameterException(Objects.requireNonNull(spec).commandLine(), message);
  }
}
