package io.inmemory.cli;

import io.inmemory.HistoryEntry;
import io.inmemory.MemoryClient;
import io.inmemory.wire.ResultJson;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code inmemory history ID}: every change of a memory, deleted ones too; 4 when unknown. */
@Command(name = "history", description = "Show every change of a memory, oldest first.")
final class HistoryCommand extends MemoryCommand {
  @Parameters(paramLabel = "ID", description = "The memory's id.")
  String id = "";

  @Mixin
  ScopeOptions scope = new ScopeOptions();

  @Override
  int run(MemoryClient client) {
    List<HistoryEntry> entries = client.history(id, scope.scope());
    print(ResultJson.history(entries),
        () -> entries.forEach(entry -> out().println(Lines.history(entry))));
    return ExitCodes.OK;
  }
}
