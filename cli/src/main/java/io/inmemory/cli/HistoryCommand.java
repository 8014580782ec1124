package io.inmemory.cli;

import io.inmemory.HistoryEntry;
import io.inmemory.MemoryClient;
import io.inmemory.wire.ResultJson;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code inmemory history ID}: every change of a memory, deleted ones too; 4 when unknown. */
@Command(name = "history", description = "Show every change of a memory, oldest first.")
final class HistoryCommand extends OneMemoryCommand {
  @Override
  int run(MemoryClient client) {
    List<HistoryEntry> entries = client.history(id, scope.scope());
    print(ResultJson.history(entries),
        () -> entries.forEach(entry -> out().println(Lines.history(entry))));
    return ExitCodes.OK;
  }
}
