package io.inmemory.cli;

import io.inmemory.MemoryClient;
import io.inmemory.SearchHit;
import io.inmemory.SearchRequest;
import io.inmemory.SearchResult;
import io.inmemory.TagMatch;
import io.inmemory.wire.ResultJson;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code inmemory search [QUERY]}: one option per {@link SearchRequest} component; without a
 * query, the memories that pass the filters, newest first.
 */
@Command(name = "search", description = "Search memories by meaning, labels, time and filters.")
final class SearchCommand extends MemoryCommand {
  @Parameters(paramLabel = "QUERY", arity = "0..1",
      description = "What to look for by meaning; none: newest first.")
  @Nullable String query;

  @Mixin
  ScopeOptions scope = new ScopeOptions();

  @Mixin
  LabelOptions labels = new LabelOptions();

  @Option(names = {"-n", "--limit"}, paramLabel = "N",
      description = "How many hits at most (default ${DEFAULT-VALUE}).")
  int limit = SearchRequest.DEFAULT_LIMIT;

  @Option(names = "--threshold", paramLabel = "SCORE",
      description = "The minimum score of a hit (needs a query).")
  @Nullable Double threshold;

  @Option(names = "--match", paramLabel = "all|any",
      description = "Whether hits carry all the --tag values or any (default all).")
  TagMatch match = TagMatch.ALL;

  @Option(names = "--after", paramLabel = "INSTANT",
      description = "Created at or after (ISO-8601).")
  @Nullable Instant after;

  @Option(names = "--before", paramLabel = "INSTANT", description = "Created before (ISO-8601).")
  @Nullable Instant before;

  @Option(names = "--when", paramLabel = "PHRASE",
      description = "A time phrase such as \"yesterday\" or \"last week\".")
  @Nullable String when;

  @Option(names = "--at", paramLabel = "INSTANT",
      description = "The instant --when is resolved against (default now).")
  @Nullable Instant at;

  @Option(names = "--zone", paramLabel = "ZONE",
      description = "The time zone --when is resolved in (default inmemory.time-zone).")
  @Nullable ZoneId zone;

  @Option(names = "--filter", paramLabel = "JSON|@FILE",
      description = "A condition in the REST API's filter language, e.g."
          + " '{\"metadata\":{\"price\":{\"gt\":3}}}'.")
  @Nullable String filter;

  @Option(names = "--include-superseded",
      description = "Search memories a newer fact superseded too.")
  boolean includeSuperseded;

  @Override
  int run(MemoryClient client) {
    SearchRequest request = labels.applyTo(SearchRequest.builder(scope.scope()))
        .tags(labels.tags, match)
        .query(query).limit(limit).threshold(threshold)
        .createdAfter(after).createdBefore(before)
        .temporal(when).referenceTime(at).zone(zone)
        .filter(filter == null ? null : Json.filter(filter, limits()))
        .includeSuperseded(includeSuperseded)
        .build();
    SearchResult result = client.search(request);
    print(ResultJson.searchResult(result), () -> {
      for (SearchHit hit : result.hits()) {
        out().println(String.format(Locale.ROOT, "%.3f  ", hit.score())
            + Lines.memory(hit.memory()));
      }
    });
    return ExitCodes.OK;
  }
}
