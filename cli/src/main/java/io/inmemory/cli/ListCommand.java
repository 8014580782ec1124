package io.inmemory.cli;

import io.inmemory.ListRequest;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryRecord;
import io.inmemory.Page;
import io.inmemory.SearchRequest;
import io.inmemory.wire.ResultJson;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code inmemory list}: a page of a scope's memories, newest first. */
@Command(name = "list", description = "List memories, newest first, a page at a time.")
final class ListCommand extends MemoryCommand {
  @Mixin
  ScopeOptions scope = new ScopeOptions();

  @Option(names = {"-n", "--limit"}, paramLabel = "N",
      description = "The page size (default ${DEFAULT-VALUE}).")
  int limit = SearchRequest.DEFAULT_LIMIT;

  @Option(names = "--offset", paramLabel = "N", description = "How many to skip first.")
  int offset;

  @Option(names = "--filter", paramLabel = "JSON|@FILE",
      description = "A condition in the REST API's filter language.")
  @Nullable String filter;

  @Option(names = "--include-superseded", description = "List superseded memories too.")
  boolean includeSuperseded;

  @Override
  int run(MemoryClient client) {
    Page<MemoryRecord> page = client.list(ListRequest.builder(scope.scope())
        .filter(filter == null ? null : Json.filter(filter, limits()))
        .includeSuperseded(includeSuperseded).limit(limit).offset(offset).build());
    print(ResultJson.page(page), () -> {
      page.items().forEach(memory -> out().println(Lines.memory(memory)));
      out().println("(" + page.items().size() + " of " + page.total() + " from offset "
          + page.offset() + ")");
    });
    return ExitCodes.OK;
  }
}
