package io.inmemory.cli;

import io.inmemory.MemoryClient;
import io.inmemory.UserStats;
import io.inmemory.wire.ResultJson;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code inmemory stats}: how many memories a scope holds, since when, and their labels. */
@Command(name = "stats", description = "Count a scope's memories and their labels.")
final class StatsCommand extends MemoryCommand {
  @Mixin
  ScopeOptions scope = new ScopeOptions();

  @Override
  int run(MemoryClient client) {
    UserStats stats = client.stats(scope.scope());
    print(ResultJson.userStats(stats), () -> {
      out().println("memories:   " + stats.memoryCount());
      out().println("superseded: " + stats.supersededCount());
      out().println("first:      " + stats.firstCreatedAt());
      out().println("last:       " + stats.lastCreatedAt());
      counts("tags", stats.tagCounts());
      counts("people", stats.peopleCounts());
      counts("topics", stats.topicCounts());
    });
    return ExitCodes.OK;
  }

  private void counts(String what, Map<String, Long> counts) {
    if (!counts.isEmpty()) {
      out().println(what + ": " + String.join(", ", counts.entrySet().stream()
          .map(count -> count.getKey() + " " + count.getValue()).toList()));
    }
  }
}
