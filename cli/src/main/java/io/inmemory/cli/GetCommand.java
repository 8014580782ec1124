package io.inmemory.cli;

import io.inmemory.MemoryClient;
import io.inmemory.MemoryRecord;
import io.inmemory.NotFoundException;
import io.inmemory.wire.MemoryJson;
import picocli.CommandLine.Command;

/** {@code inmemory get ID}: one memory; exit status 4 when the scope holds none of that id. */
@Command(name = "get", description = "Show one memory.")
final class GetCommand extends OneMemoryCommand {
  @Override
  int run(MemoryClient client) {
    MemoryRecord memory = client.get(id, scope.scope())
        .orElseThrow(() -> new NotFoundException("no memory " + id + " in this scope"));
    print(MemoryJson.write(memory), () -> out().println(Lines.memory(memory)));
    return ExitCodes.OK;
  }
}
