package io.inmemory.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.AddRequest;
import io.inmemory.InvalidRequestException;
import io.inmemory.MemoryRecord;
import io.inmemory.SearchRequest;
import io.inmemory.SearchResult;
import io.inmemory.SearchResult.Ranking;
import io.inmemory.TimeRange;
import io.inmemory.UserStats;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Time-aware memory: imports of past conversations keep their timestamps, and time phrases beyond
 * single days (weeks, parts of the day, weekends, ranges) select exactly the memories they name,
 * resolved against a per-request reference instant and zone, alone or with other filters. Every
 * form the README documents is sent through the client ({@link TimePhrases}); a phrase the grammar
 * cannot read, and a reference instant at which a phrase names no representable period, are
 * invalid requests naming their field.
 */
public abstract class TemporalContract extends ClientContractSupport {

  /** Wednesday 2024-06-12 12:00 in Berlin (10:00 UTC). */
  private static final Instant REFERENCE = Instant.parse("2024-06-12T10:00:00Z");
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  private record Imported(MemoryRecord lastWeekEvening, MemoryRecord lastWeekMorning,
      MemoryRecord lastWeekendEvening, MemoryRecord thisWeekEvening, MemoryRecord lastMonth) {}

  /** Imports a small past conversation with Berlin local times. */
  private Imported importConversation(String user) {
    List<MemoryRecord> added = client.addAll(List.of(
        at(user, "Dinner with Anna at the Italian place", "2024-06-05T19:30", "food"),
        at(user, "Morning run along the river", "2024-06-04T07:15", "sport"),
        at(user, "Watched a movie with Tom on Saturday night", "2024-06-08T20:00", "leisure"),
        at(user, "Evening call with my sister about the trip", "2024-06-10T18:45", "family"),
        at(user, "Booked flights to Lisbon", "2024-05-20T09:00", "travel")))
        .stream().map(result -> result.memory()).toList();
    return new Imported(added.get(0), added.get(1), added.get(2), added.get(3), added.get(4));
  }

  private static AddRequest at(String user, String content, String berlinLocalTime, String tag) {
    return AddRequest.builder(content, user).tags(tag)
        .createdAt(java.time.LocalDateTime.parse(berlinLocalTime).atZone(BERLIN).toInstant())
        .build();
  }

  private SearchResult within(String user, String phrase) {
    return client.search(SearchRequest.builder(user).temporal(phrase).referenceTime(REFERENCE)
        .zone(BERLIN).limit(50).build());
  }

  @Test
  void importedMemoriesKeepTheirCreationTimesEverywhere() {
    String user = newUserId();
    Imported imported = importConversation(user);

    assertThat(imported.lastMonth().createdAt()).isEqualTo(Instant.parse("2024-05-20T07:00:00Z"));
    assertThat(imported.lastMonth().updatedAt()).isEqualTo(imported.lastMonth().createdAt());
    assertThat(client.get(imported.lastMonth().id(), user).orElseThrow().createdAt())
        .isEqualTo(imported.lastMonth().createdAt());
    UserStats stats = client.getUserStats(user);
    assertThat(stats.firstCreatedAt()).isEqualTo(imported.lastMonth().createdAt());
    assertThat(stats.lastCreatedAt()).isEqualTo(imported.thisWeekEvening().createdAt());
    assertThat(client.getAll(user, 10, 0).items()).extracting(MemoryRecord::id).containsExactly(
        imported.thisWeekEvening().id(), imported.lastWeekendEvening().id(),
        imported.lastWeekEvening().id(), imported.lastWeekMorning().id(),
        imported.lastMonth().id());
  }

  @Test
  void lastWeekIsTheWholePreviousCalendarWeekNewestFirst() {
    String user = newUserId();
    Imported imported = importConversation(user);

    SearchResult lastWeek = within(user, "last week");

    assertThat(lastWeek.ranking()).isEqualTo(Ranking.RECENCY);
    assertThat(lastWeek.memories()).containsExactly(imported.lastWeekendEvening(),
        imported.lastWeekEvening(), imported.lastWeekMorning());
    assertThat(lastWeek.timeRange()).contains(new TimeRange(
        Instant.parse("2024-06-02T22:00:00Z"), Instant.parse("2024-06-09T22:00:00Z")));
  }

  @Test
  void partsOfTheDayAndWeekendsFilterInsideAPeriod() {
    String user = newUserId();
    Imported imported = importConversation(user);

    assertThat(within(user, "last week evenings").memories())
        .containsExactly(imported.lastWeekendEvening(), imported.lastWeekEvening());
    assertThat(within(user, "last_week MORNINGS").memories())
        .containsExactly(imported.lastWeekMorning());
    assertThat(within(user, "weekends in june").memories())
        .containsExactly(imported.lastWeekendEvening());
  }

  @Test
  void rangesSinceAndBetweenAreHalfOpenOnWholePeriods() {
    String user = newUserId();
    Imported imported = importConversation(user);

    assertThat(within(user, "since 2024-06-05").memories()).containsExactly(
        imported.thisWeekEvening(), imported.lastWeekendEvening(), imported.lastWeekEvening());
    assertThat(within(user, "between may and 2024-06-04").memories())
        .containsExactly(imported.lastWeekMorning(), imported.lastMonth());
    assertThat(within(user, "before june").memories()).containsExactly(imported.lastMonth());
  }

  @Test
  void aQueryRanksByMeaningWithinTheRangeAndOtherFiltersStillApply() {
    String user = newUserId();
    Imported imported = importConversation(user);

    SearchResult ranked = client.search(SearchRequest.builder(user).query("eating out")
        .temporal("last week").referenceTime(REFERENCE).zone(BERLIN).limit(2).build());
    SearchResult tagged = client.search(SearchRequest.builder(user).query("eating out")
        .temporal("this month").referenceTime(REFERENCE).zone(BERLIN)
        .tags(List.of("family")).build());

    assertThat(ranked.ranking()).isNotEqualTo(Ranking.RECENCY);
    assertThat(ranked.memories()).hasSize(2).first().isEqualTo(imported.lastWeekEvening());
    assertThat(ranked.memories()).doesNotContain(imported.thisWeekEvening(), imported.lastMonth());
    assertThat(tagged.memories()).containsExactly(imported.thisWeekEvening());
  }

  @Test
  void theSameInstantIsAnotherDayInAnotherZone() {
    String user = newUserId();
    Imported imported = importConversation(user);

    // 2024-06-10 18:45 in Berlin is already 2024-06-11 in Tokyo.
    SearchResult tokyo = client.search(SearchRequest.builder(user).temporal("2024-06-11")
        .referenceTime(REFERENCE).zone(ZoneId.of("Asia/Tokyo")).build());
    SearchResult berlin = client.search(SearchRequest.builder(user).temporal("2024-06-11")
        .referenceTime(REFERENCE).zone(BERLIN).build());

    assertThat(tokyo.memories()).containsExactly(imported.thisWeekEvening());
    assertThat(berlin.memories()).isEmpty();
  }

  @Test
  void everyDocumentedFormSelectsExactlyItsMemories() {
    TimePhrases.assertEveryFormSelectsExactlyItsMemories(client, newUserId());
  }

  @Test
  void recurringPhrasesAloneFindTheirMemoriesWithAndWithoutAQuery() {
    String user = newUserId();
    Imported imported = importConversation(user);

    // "weekends", "evenings" and "mornings" bound no period: they match at any time
    assertThat(client.search(SearchRequest.builder(user).temporal("weekends").zone(BERLIN)
        .build()).memories()).containsExactly(imported.lastWeekendEvening());
    assertThat(client.search(SearchRequest.builder(user).temporal("evenings").query("dinner")
        .zone(BERLIN).build()).memories()).containsExactlyInAnyOrder(imported.thisWeekEvening(),
        imported.lastWeekendEvening(), imported.lastWeekEvening());
    assertThat(client.search(SearchRequest.builder(user).temporal("Mornings?").zone(BERLIN)
        .build()).memories()).containsExactly(imported.lastWeekMorning(), imported.lastMonth());
  }

  @Test
  void anUnreadablePhraseNamesTheWordAndTheClosestForms() {
    String user = newUserId();

    InvalidRequestException invalid = assertInvalid(
        () -> client.temporalSearch("the day befor yesterday", user), "temporal");
    assertThat(invalid.getMessage()).contains("\"befor\"", "\"the day before yesterday\"",
        "README");
    assertThat(invalid.getMessage().length()).isLessThan(400);
    assertThat(assertInvalid(() -> client.temporalSearch("past 0 days", user), "temporal")
        .getMessage()).contains("\"0\" is out of range");
  }

  @Test
  void aReferenceAtTheEndOfTheTimeLineIsAnInvalidReferenceTime() {
    String user = newUserId();
    client.add("a memory", user);

    List<SearchRequest.Builder> requests = List.of(
        SearchRequest.builder(user).temporal("tomorrow")
            .referenceTime(Instant.parse("+999999999-12-31T23:59:59Z"))
            .zone(ZoneId.of("Pacific/Kiritimati")),
        SearchRequest.builder(user).temporal("yesterday")
            .referenceTime(Instant.parse("-999999999-01-01T00:00:00Z")).zone(ZoneId.of("UTC")));
    for (SearchRequest.Builder request : requests) {
      InvalidRequestException invalid =
          assertInvalid(() -> client.search(request.build()), "referenceTime");
      assertThat(invalid.getMessage()).contains("cannot be resolved");
    }
    assertThat(client.search(SearchRequest.builder(user).temporal("before 2024")
        .referenceTime(Instant.parse("+999999999-12-31T23:59:59Z")).zone(ZoneId.of("UTC"))
        .build()).hits()).isEmpty();
  }
}
