package io.inmemory.cli;

import io.inmemory.AddRequest;
import io.inmemory.AddResult;
import io.inmemory.EventType;
import io.inmemory.MemoryClient;
import io.inmemory.Role;
import io.inmemory.wire.ResultJson;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code inmemory add TEXT}: stores one memory as given (no extraction). */
@Command(name = "add", description = "Store a memory.")
final class AddCommand extends MemoryCommand {
  @Parameters(paramLabel = "TEXT", description = "What to remember.")
  String content = "";

  @Mixin
  ScopeOptions scope = new ScopeOptions();

  @Mixin
  LabelOptions labels = new LabelOptions();

  @Option(names = "--role", paramLabel = "ROLE", description = "Who said it: ${COMPLETION-CANDIDATES}.")
  @Nullable Role role;

  @Option(names = "--created-at", paramLabel = "INSTANT",
      description = "When it was said (ISO-8601, e.g. 2024-05-01T10:00:00Z); default now.")
  @Nullable Instant createdAt;

  @Option(names = "--valid-from", paramLabel = "INSTANT",
      description = "Since when it holds; default its creation.")
  @Nullable Instant validFrom;

  @Option(names = "--dedup",
      description = "Store nothing when an equivalent memory exists (event none).")
  boolean deduplicate;

  @Override
  int run(MemoryClient client) {
    AddRequest request = labels.applyTo(AddRequest.builder(content, scope.scope()))
        .role(role).createdAt(createdAt).validFrom(validFrom).deduplicate(deduplicate).build();
    AddResult result = client.add(request);
    print(ResultJson.addResult(result), () -> out().println(
        (result.event() == EventType.ADD ? "added " : "already known ") + result.memory().id()));
    return ExitCodes.OK;
  }
}
