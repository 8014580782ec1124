package io.inmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.InMemoryConfig;
import io.inmemory.SearchRequest;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code search} has an option for every {@link SearchRequest} component: a component added to
 * the api without one fails here, so the command never silently lacks a search feature.
 */
class SearchOptionsTest {
  /** Component → the option (or positional parameter label) that sets it. */
  private static final Map<String, String> OPTIONS = new TreeMap<>(Map.ofEntries(
      Map.entry("query", "QUERY"),
      Map.entry("userId", "--user"),
      Map.entry("agentId", "--agent"),
      Map.entry("sessionId", "--session"),
      Map.entry("limit", "--limit"),
      Map.entry("threshold", "--threshold"),
      Map.entry("tags", "--tag"),
      Map.entry("tagMatch", "--match"),
      Map.entry("people", "--person"),
      Map.entry("topic", "--topic"),
      Map.entry("metadata", "--meta"),
      Map.entry("createdAfter", "--after"),
      Map.entry("createdBefore", "--before"),
      Map.entry("temporal", "--when"),
      Map.entry("referenceTime", "--at"),
      Map.entry("zone", "--zone"),
      Map.entry("filter", "--filter"),
      Map.entry("includeSuperseded", "--include-superseded")));

  @Test
  void everySearchRequestComponentHasAnOption() {
    assertThat(Arrays.stream(SearchRequest.class.getRecordComponents())
        .map(RecordComponent::getName)).containsExactlyInAnyOrderElementsOf(OPTIONS.keySet());
    CommandSpec search = InMemoryCli.commandLine(InMemoryConfig::builder)
        .getSubcommands().get("search").getCommandSpec();
    OPTIONS.forEach((component, option) -> {
      boolean present = option.startsWith("-") ? search.findOption(option) != null
          : search.positionalParameters().stream()
              .anyMatch(parameter -> parameter.paramLabel().equals(option));
      assertThat(present).as("%s for SearchRequest.%s", option, component).isTrue();
    });
  }
}
