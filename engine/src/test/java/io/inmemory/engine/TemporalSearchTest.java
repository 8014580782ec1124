package io.inmemory.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.inmemory.AddRequest;
import io.inmemory.ConfigurationException;
import io.inmemory.InMemoryConfig;
import io.inmemory.InvalidRequestException;
import io.inmemory.InvalidRequestException.Violation;
import io.inmemory.SearchRequest;
import io.inmemory.SearchResult;
import io.inmemory.TimeRange;
import io.inmemory.engine.tck.HashingEmbedder;
import io.inmemory.engine.temporal.TemporalParser;
import io.inmemory.tck.TimePhrases;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Time phrases through {@link Memory#search}: every documented form selects exactly its memories
 * (the contract suite runs the same table on every store and through the server), recurring
 * phrases are not mistaken for an empty range, and references at the ends of the time-line are
 * invalid requests, never another exception.
 */
class TemporalSearchTest {
  private static Memory memory() {
    return Memory.builder().config(InMemoryConfig.builder().isolated().build())
        .store(new VolatileMemoryStore()).embedder(new HashingEmbedder()).build();
  }

  @Test
  void everyDocumentedFormSelectsExactlyItsMemories() {
    try (Memory memory = memory()) {
      TimePhrases.assertEveryFormSelectsExactlyItsMemories(memory, "alice");
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"weekends", "weekdays", "mondays", "nights", "mornings", "evening",
      "weekend evenings"})
  void recurringPhrasesWithoutBoundsFindTheirMemories(String phrase) {
    try (Memory memory = memory()) {
      // Saturday 9 March 2024 20:30 in New York: a weekend, a night's eve, an evening
      Instant saturdayEvening = Instant.parse("2024-03-10T01:30:00Z");
      Instant mondayNight = Instant.parse("2024-03-05T03:30:00Z");
      Instant mondayMorning = Instant.parse("2024-03-04T14:00:00Z");
      memory.addAll(List.of(
          AddRequest.builder("saturday evening", "bob").createdAt(saturdayEvening).build(),
          AddRequest.builder("monday night", "bob").createdAt(mondayNight).build(),
          AddRequest.builder("monday morning", "bob").createdAt(mondayMorning).build()));
      for (String query : new String[] {null, "saturday monday evening night morning"}) {
        SearchResult result = memory.search(SearchRequest.builder("bob").temporal(phrase)
            .query(query).referenceTime(TimePhrases.REFERENCE).zone(TimePhrases.ZONE).build());
        assertThat(result.timeRange()).isEmpty();
        assertThat(result.hits()).as("%s, query %s", phrase, query).isNotEmpty()
            .allSatisfy(hit -> assertThat(hit.memory().content()).contains(
                switch (phrase) {
                  case "weekends", "evening", "weekend evenings" -> "saturday evening";
                  case "nights" -> "monday night";
                  case "mornings" -> "monday morning";
                  default -> "monday";
                }));
      }
    }
  }

  @Test
  void recentlyReachesTheConfiguredNumberOfDaysBack() {
    InMemoryConfig config = InMemoryConfig.builder().isolated()
        .set(TemporalParser.RECENT_DAYS.name(), "3").build();
    try (Memory memory = Memory.builder().config(config).store(new VolatileMemoryStore())
        .embedder(new HashingEmbedder()).build()) {
      SearchResult result = memory.search(SearchRequest.builder("frank").temporal("recently")
          .referenceTime(TimePhrases.REFERENCE).zone(TimePhrases.ZONE).build());
      assertThat(result.timeRange()).contains(new TimeRange(
          TimePhrases.instant("2024-03-07T15:30"), TimePhrases.REFERENCE));
    }
    InMemoryConfig invalid = InMemoryConfig.builder().isolated()
        .set(TemporalParser.RECENT_DAYS.name(), "0").build();
    assertThat(catchThrowable(() -> Memory.builder().config(invalid)
        .store(new VolatileMemoryStore()).embedder(new HashingEmbedder()).build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("inmemory.recent-days");
  }

  @Test
  void aPhraseAndExplicitBoundsThatExcludeEachOtherFindNothing() {
    try (Memory memory = memory()) {
      memory.add(AddRequest.builder("old", "carol")
          .createdAt(Instant.parse("2024-03-01T12:00:00Z")).build());
      SearchResult result = memory.search(SearchRequest.builder("carol").temporal("yesterday")
          .createdBefore(Instant.parse("2024-03-02T00:00:00Z"))
          .referenceTime(TimePhrases.REFERENCE).zone(TimePhrases.ZONE).build());
      assertThat(result.hits()).isEmpty();
      assertThat(result.timeRange()).isEmpty();
    }
  }

  static Stream<Instant> extremeReferences() {
    return Stream.of(Instant.MIN, Instant.MAX,
        Instant.parse("+999999999-12-31T23:59:59Z"), Instant.parse("-999999999-01-01T00:00:00Z"),
        LocalDateTime.MAX.toInstant(ZoneOffset.MIN), LocalDateTime.MIN.toInstant(ZoneOffset.MAX),
        Instant.parse("+999999999-06-15T12:00:00Z"), Instant.parse("-999999999-06-15T12:00:00Z"));
  }

  /**
   * Each documented form in zones from UTC-12 to UTC+14 at a reference at or near an end of the
   * time-line either resolves or is an invalid request: on {@code referenceTime} when what it
   * names cannot be represented, on {@code temporal} when it is impossible there as anywhere
   * ("earlier today" at midnight).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("extremeReferences")
  void referencesAtTheEndsOfTheTimeLineResolveOrAreInvalidRequests(Instant reference) {
    List<ZoneId> zones = List.of(ZoneOffset.UTC, ZoneOffset.MAX, ZoneOffset.MIN,
        ZoneId.of("Pacific/Kiritimati"), ZoneId.of("Etc/GMT+12"), TimePhrases.ZONE,
        ZoneId.of("Asia/Tokyo"));
    try (Memory memory = memory()) {
      memory.add("a memory", "dave");
      for (ZoneId zone : zones) {
        for (String phrase : TimePhrases.phrases().toList()) {
          SearchRequest request = SearchRequest.builder("dave").temporal(phrase)
              .referenceTime(reference).zone(zone).build();
          Throwable thrown = catchThrowable(() -> memory.search(request));
          if (thrown == null) {
            continue;
          }
          assertThat(thrown).as("%s at %s in %s", phrase, reference, zone)
              .isInstanceOf(InvalidRequestException.class);
          Violation violation = ((InvalidRequestException) thrown).violations().get(0);
          assertThat(violation.field().equals("referenceTime")
              ? violation.problem().contains("\"" + phrase + "\" cannot be resolved at "
                  + reference + " in " + zone + ": the period it names lies beyond")
              : violation.problem().startsWith("impossible time phrase"))
              .as("%s at %s in %s: %s", phrase, reference, zone, violation).isTrue();
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z"})
  void phrasesThatStayWithinTheTimeLineResolveAtItsEnds(String reference) {
    try (Memory memory = memory()) {
      Instant at = Instant.parse(reference);
      memory.add(AddRequest.builder("a memory", "erin")
          .createdAt(Instant.parse("2024-03-01T12:00:00Z")).build());
      String phrase = at.isAfter(Instant.EPOCH) ? "before 2024-06" : "after 2023";
      for (String recurring : List.of(phrase, "weekends " + phrase, "weekdays")) {
        SearchResult result = memory.search(SearchRequest.builder("erin").temporal(recurring)
            .referenceTime(at).zone(ZoneOffset.UTC).build());
        assertThat(result.hits()).as(recurring).hasSize(recurring.startsWith("weekends") ? 0 : 1);
      }
    }
  }
}
