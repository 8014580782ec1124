package io.inmemory.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.inmemory.AddRequest;
import io.inmemory.InvalidRequestException;
import io.inmemory.MemoryRecord;
import io.inmemory.SearchHit;
import io.inmemory.SearchRequest;
import io.inmemory.SearchResult;
import io.inmemory.SearchResult.Ranking;
import io.inmemory.TagMatch;
import io.inmemory.TimeRange;
import io.inmemory.UpdateRequest;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * The search contract: ranking by meaning, limits and thresholds, every filter alone and
 * combined, the true top-k under a very selective filter, listing by recency, and time phrases.
 */
public abstract class SearchContract extends ClientContractSupport {

  private static final Instant PAST = Instant.parse("2023-05-01T10:00:00Z");

  // ---------------------------------------------------------------- relevance

  @Test
  void theMemoryThatAnswersTheQuestionRanksFirst() {
    String user = newUserId();
    client.addAll(TckData.CORPUS.stream().map(content -> AddRequest.of(content, user)).toList());

    SoftAssertions softly = new SoftAssertions();
    TckData.QUESTIONS.forEach((question, answer) -> {
      SearchResult result = client.search(question, user, 3);
      softly.assertThat(result.ranking()).isEqualTo(Ranking.RELEVANCE);
      softly.assertThat(result.timeRange()).isEmpty();
      softly.assertThat(result.hits()).hasSize(3);
      softly.assertThat(contents(result)).as(question).first().isEqualTo(answer);
      softly.assertThat(scores(result)).as(question).isSortedAccordingTo(Comparator.reverseOrder());
      softly.assertThat(scores(result)).as(question).allSatisfy(score ->
          assertThat(score).isBetween(-1.0, 1.0));
    });
    softly.assertAll();
  }

  @Test
  void theBestHitScoresClearlyAboveTheWorst() {
    String user = newUserId();
    client.addAll(TckData.CORPUS.stream().map(content -> AddRequest.of(content, user)).toList());

    List<Double> scores = scores(client.search("What food does John like?", user, 8));

    assertThat(scores).hasSize(8);
    assertThat(scores.get(0)).isGreaterThan(scores.get(7) + 0.05);
  }

  @Test
  void aSmallerLimitReturnsTheTopOfTheLargerResult() {
    String user = newUserId();
    client.addAll(TckData.CORPUS.stream().map(content -> AddRequest.of(content, user)).toList());
    String query = "Who am I meeting tomorrow?";

    SearchResult all = client.search(query, user);
    SearchResult top3 = client.search(query, user, 3);
    SearchResult top1 = client.search(query, user, 1);

    assertThat(all.hits()).hasSize(TckData.CORPUS.size());
    assertThat(ids(top3)).containsExactlyElementsOf(ids(all).subList(0, 3));
    assertThat(ids(top1)).containsExactlyElementsOf(ids(all).subList(0, 1));
    assertThat(scores(top3).get(0)).isCloseTo(scores(all).get(0), within(1e-5));
  }

  @Test
  void aThresholdKeepsExactlyTheHitsScoringAtLeastIt() {
    String user = newUserId();
    client.addAll(TckData.CORPUS.stream().map(content -> AddRequest.of(content, user)).toList());
    String query = "Tell me about my pet dog";
    SearchResult all = client.search(query, user, 8);
    double threshold = widestGapMidpoint(scores(all));

    SearchResult above = client.search(SearchRequest.builder(user).query(query).limit(8)
        .threshold(threshold).build());

    List<String> expected = all.hits().stream().filter(hit -> hit.score() >= threshold)
        .map(hit -> hit.memory().id()).toList();
    assertThat(expected).isNotEmpty().hasSizeLessThan(8);
    assertThat(ids(above)).containsExactlyElementsOf(expected);
    assertThat(scores(above)).allSatisfy(score -> assertThat(score).isGreaterThanOrEqualTo(threshold));
    assertThat(ids(client.search(SearchRequest.builder(user).query(query).limit(8).threshold(-1.0)
        .build()))).containsExactlyElementsOf(ids(all));
  }

  /** A threshold between the two consecutive scores that differ most. */
  private static double widestGapMidpoint(List<Double> scores) {
    int best = 0;
    for (int i = 1; i < scores.size() - 1; i++) {
      if (scores.get(i) - scores.get(i + 1) > scores.get(best) - scores.get(best + 1)) {
        best = i;
      }
    }
    return (scores.get(best) + scores.get(best + 1)) / 2;
  }

  @Test
  void searchSeesOnlyTheUsersOwnMemories() {
    String user = newUserId();
    String other = newUserId();
    client.add("I love pizza but hate broccoli", other);
    client.add("My dog is called Rex", user);

    SearchResult result = client.search("What food do I like?", user);

    assertThat(result.memories()).extracting(MemoryRecord::userId).containsOnly(user);
    assertThat(contents(result)).containsExactly("My dog is called Rex");
    assertThat(client.search("What food do I like?", newUserId()).hits()).isEmpty();
    assertThat(client.search(SearchRequest.builder(user.toUpperCase()).build()).hits()).isEmpty();
  }

  @Test
  void searchFollowsUpdatesAndDeletes() {
    String user = newUserId();
    client.addAll(TckData.CORPUS.stream().map(content -> AddRequest.of(content, user)).toList());
    String id = client.add("I am allergic to cats", user).id();

    client.update(id, user, UpdateRequest.builder().content("I drive a red Toyota pickup truck")
        .build());
    SearchResult afterUpdate = client.search("What car do I drive?", user, 3);
    assertThat(ids(afterUpdate).get(0)).isEqualTo(id);
    assertThat(afterUpdate.hits().get(0).memory().content())
        .isEqualTo("I drive a red Toyota pickup truck");

    client.delete(id, user);
    assertThat(ids(client.search("What car do I drive?", user, 20))).doesNotContain(id)
        .hasSize(TckData.CORPUS.size());
  }

  // ---------------------------------------------------------------- recency

  @Test
  void withoutAQueryMemoriesAreListedNewestFirstWithScoreOne() {
    String user = newUserId();
    List<AddRequest> requests = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      int hour = (i * 5) % 12;
      requests.add(AddRequest.builder("Note of hour " + hour, user)
          .createdAt(PAST.plus(hour, ChronoUnit.HOURS)).build());
    }
    client.addAll(requests);

    SearchResult result = client.search(SearchRequest.builder(user).limit(5).build());

    assertThat(result.ranking()).isEqualTo(Ranking.RECENCY);
    assertThat(contents(result)).containsExactly(
        "Note of hour 11", "Note of hour 10", "Note of hour 9", "Note of hour 8", "Note of hour 7");
    assertThat(scores(result)).containsOnly(1.0);
    assertThat(client.search(null, user, 50).hits()).hasSize(12);
  }

  // ---------------------------------------------------------------- filters

  /** Five memories at distinct times; the names are what the tests refer to them by. */
  private Map<String, MemoryRecord> filterFixture(String user) {
    List<AddRequest> requests = List.of(
        AddRequest.builder("Lunch with Alice at the Italian trattoria", user)
            .tags("food", "work").people("Alice").topic("meals")
            .metadata(Map.of("rating", 5, "place", "trattoria")).createdAt(hours(1)).build(),
        AddRequest.builder("Bought vegetables at the farmers market", user)
            .tags("food").topic("shopping").metadata(Map.of("rating", 4)).createdAt(hours(2))
            .build(),
        AddRequest.builder("Code review with Bob for the payments service", user)
            .tags("work").people("Bob").topic("engineering").metadata(Map.of("rating", 3))
            .createdAt(hours(3)).build(),
        AddRequest.builder("Dinner with alice and BOB at home", user)
            .tags("food", "social").people("ALICE", "bob").topic("meals")
            .metadata(Map.of("rating", 5, "place", "home")).createdAt(hours(4)).build(),
        AddRequest.builder("Went hiking alone in the mountains", user)
            .tags("outdoors").topic("leisure").createdAt(hours(5)).build());
    List<String> names = List.of("lunch", "market", "review", "dinner", "hike");
    List<MemoryRecord> added = client.addAll(requests).stream().map(r -> r.memory()).toList();
    Map<String, MemoryRecord> byName = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      byName.put(names.get(i), added.get(i));
    }
    return byName;
  }

  private static Instant hours(int hours) {
    return PAST.plus(hours, ChronoUnit.HOURS);
  }

  /**
   * Asserts that the filter selects exactly the named fixture memories: newest first without a
   * query, best first with one.
   */
  private void assertFilter(
      String user, Map<String, MemoryRecord> fixture, UnaryOperator<SearchRequest.Builder> filter,
      String... expected) {
    List<MemoryRecord> matching = new ArrayList<>();
    for (String name : expected) {
      matching.add(fixture.get(name));
    }
    matching.sort(Comparator.comparing(MemoryRecord::createdAt).reversed());

    SearchResult listed = client.search(filter.apply(SearchRequest.builder(user).limit(20))
        .build());
    assertThat(listed.ranking()).isEqualTo(Ranking.RECENCY);
    assertThat(listed.memories()).containsExactlyElementsOf(matching);

    SearchResult ranked = client.search(filter.apply(SearchRequest.builder(user).limit(20))
        .query("Who did I eat with?").build());
    assertThat(ranked.ranking()).isEqualTo(Ranking.RELEVANCE);
    assertThat(ranked.memories()).containsExactlyInAnyOrderElementsOf(matching);
    assertThat(scores(ranked)).isSortedAccordingTo(Comparator.reverseOrder());
  }

  @Test
  void aTagFilterRequiresEveryTagByDefault() {
    String user = newUserId();
    Map<String, MemoryRecord> fixture = filterFixture(user);

    assertFilter(user, fixture, b -> b.tags(List.of("food")), "lunch", "market", "dinner");
    assertFilter(user, fixture, b -> b.tags(List.of("food", "work")), "lunch");
    assertFilter(user, fixture, b -> b.tags(List.of("  FOOD ", "Social")), "dinner");
    assertFilter(user, fixture, b -> b.tags(List.of("food", "outdoors")));
    assertFilter(user, fixture, b -> b.tags(List.of("unknown-tag")));
  }

  @Test
  void aTagFilterCanAcceptAnyTag() {
    String user = newUserId();
    Map<String, MemoryRecord> fixture = filterFixture(user);

    assertFilter(user, fixture, b -> b.tags(List.of("work", "outdoors"), TagMatch.ANY),
        "lunch", "review", "hike");
    assertFilter(user, fixture, b -> b.tags(List.of("SOCIAL", "unknown-tag"), TagMatch.ANY),
        "dinner");
  }

  @Test
  void searchByTagsMatchesAllOrAnyTags() {
    String user = newUserId();
    Map<String, MemoryRecord> fixture = filterFixture(user);

    SearchResult all = client.searchByTags(List.of("food", "social"), user, null, true, 10);
    SearchResult any = client.searchByTags(List.of("social", "work"), user, null, false, 10);
    SearchResult ranked = client.searchByTags(List.of("food"), user, "vegetables", false, 10);

    assertThat(all.memories()).containsExactly(fixture.get("dinner"));
    assertThat(all.ranking()).isEqualTo(Ranking.RECENCY);
    assertThat(any.memories()).containsExactly(
        fixture.get("dinner"), fixture.get("review"), fixture.get("lunch"));
    assertThat(ranked.ranking()).isEqualTo(Ranking.RELEVANCE);
    assertThat(ranked.memories()).first().isEqualTo(fixture.get("market"));
    assertThat(ranked.memories()).hasSize(3);
    assertThat(client.searchByTags(List.of("food"), user, null, true, 2).memories())
        .containsExactly(fixture.get("dinner"), fixture.get("market"));
  }

  @Test
  void aPeopleFilterMatchesAnyPersonCaseInsensitively() {
    String user = newUserId();
    Map<String, MemoryRecord> fixture = filterFixture(user);

    assertFilter(user, fixture, b -> b.people(List.of("alice")), "lunch", "dinner");
    assertFilter(user, fixture, b -> b.people(List.of("BOB")), "review", "dinner");
    assertFilter(user, fixture, b -> b.people(List.of("Alice", "bob")), "lunch", "review",
        "dinner");
    assertFilter(user, fixture, b -> b.people(List.of("Carol")));
    assertFilter(user, fixture, b -> b.people(List.of("Ali")));
  }

  @Test
  void searchByPeopleMatchesAnyPersonCaseInsensitively() {
    String user = newUserId();
    Map<String, MemoryRecord> fixture = filterFixture(user);

    assertThat(client.searchByPeople(List.of("aLiCe"), user, null, 10).memories())
        .containsExactly(fixture.get("dinner"), fixture.get("lunch"));
    assertThat(client.searchByPeople(List.of("bob", "nobody"), user, "code review", 10).memories())
        .containsExactly(fixture.get("review"), fixture.get("dinner"));
  }

  @Test
  void aTopicFilterMatchesTheWholeTopicIgnoringCase() {
    String user = newUserId();
    Map<String, MemoryRecord> fixture = filterFixture(user);

    assertFilter(user, fixture, b -> b.topic("meals"), "lunch", "dinner");
    assertFilter(user, fixture, b -> b.topic(" MEALS "), "lunch", "dinner");
    assertFilter(user, fixture, b -> b.topic("meal"));
    assertFilter(user, fixture, b -> b.topic("engineering"), "review");
  }

  @Test
  void aMetadataFilterRequiresEveryEntryToBeEqual() {
    String user = newUserId();
    Map<String, MemoryRecord> fixture = filterFixture(user);

    assertFilter(user, fixture, b -> b.metadata(Map.of("rating", 5)), "lunch", "dinner");
    assertFilter(user, fixture, b -> b.metadata(Map.of("rating", 5L)), "lunch", "dinner");
    assertFilter(user, fixture, b -> b.metadata(Map.of("rating", 5.0)), "lunch", "dinner");
    assertFilter(user, fixture, b -> b.metadata(Map.of("rating", 5, "place", "trattoria")),
        "lunch");
    assertFilter(user, fixture, b -> b.metadata(Map.of("rating", 3)), "review");
    assertFilter(user, fixture, b -> b.metadata(Map.of("rating", 5, "place", "office")));
    assertFilter(user, fixture, b -> b.metadata(Map.of("rating", "5")));
    assertFilter(user, fixture, b -> b.metadata(Map.of("missing", "key")));
  }

  @Test
  void creationTimeBoundsAreInclusiveAfterAndExclusiveBefore() {
    String user = newUserId();
    Map<String, MemoryRecord> fixture = filterFixture(user);

    assertFilter(user, fixture, b -> b.createdAfter(hours(4)), "dinner", "hike");
    assertFilter(user, fixture, b -> b.createdBefore(hours(2)), "lunch");
    assertFilter(user, fixture, b -> b.createdAfter(hours(2)).createdBefore(hours(4)),
        "market", "review");
    assertFilter(user, fixture, b -> b.createdAfter(hours(5).plusMillis(1)));
    assertFilter(user, fixture, b -> b.createdBefore(hours(1)));
  }

  @Test
  void filtersCombineWithAnd() {
    String user = newUserId();
    Map<String, MemoryRecord> fixture = filterFixture(user);

    assertFilter(user, fixture, b -> b.tags(List.of("food")).people(List.of("bob")), "dinner");
    assertFilter(user, fixture, b -> b.topic("meals").metadata(Map.of("place", "trattoria")),
        "lunch");
    assertFilter(user, fixture, b -> b.tags(List.of("food", "work"), TagMatch.ANY)
        .people(List.of("alice")).createdAfter(hours(2)), "dinner");
    assertFilter(user, fixture, b -> b.tags(List.of("work")).topic("meals")
        .people(List.of("Bob")));
  }

  @Test
  void aSelectiveFilterStillReturnsTheTrueTopHits() {
    String user = newUserId();
    List<String> dishes = List.of("spaghetti carbonara", "lasagne", "risotto", "penne arrabbiata",
        "ravioli", "gnocchi", "tagliatelle", "pizza margherita", "minestrone", "fettuccine");
    List<String> sides = List.of("a green salad", "garlic bread", "roasted peppers",
        "grilled courgettes", "a glass of red wine", "parmesan", "olives", "focaccia",
        "tomato soup", "steamed spinach", "mushrooms", "fresh basil", "rocket", "beans",
        "bruschetta");
    List<AddRequest> requests = new ArrayList<>();
    for (int i = 0; i < 297; i++) {
      requests.add(AddRequest.builder("Dinner note " + i + ": I cooked "
              + dishes.get(i % dishes.size()) + " with " + sides.get(i % sides.size()), user)
          .tags("cooking").people("Marco").topic("food").metadata(Map.of("kind", "filler"))
          .createdAt(PAST.plusSeconds(i)).build());
    }
    List<String> needles = List.of("The car needs new winter tyres before December",
        "I must renew my passport before the trip to Japan",
        "The garden fence was broken by the storm");
    for (String needle : needles) {
      requests.add(AddRequest.builder(needle, user).tags("chores").people("Nina").topic("errands")
          .metadata(Map.of("kind", "needle")).createdAt(PAST.plus(400, ChronoUnit.DAYS)).build());
    }
    client.addAll(requests);
    String query = "Which pasta did I cook for dinner with garlic bread?";

    assertThat(contents(client.search(query, user, 10))).doesNotContainAnyElementsOf(needles);
    for (UnaryOperator<SearchRequest.Builder> filter : List.<UnaryOperator<SearchRequest.Builder>>of(
        b -> b.tags(List.of("chores")),
        b -> b.people(List.of("nina")),
        b -> b.topic("errands"),
        b -> b.metadata(Map.of("kind", "needle")),
        b -> b.createdAfter(PAST.plus(300, ChronoUnit.DAYS)))) {
      SearchResult needleHits = client.search(filter.apply(SearchRequest.builder(user)
          .query(query).limit(10)).build());
      assertThat(contents(needleHits)).containsExactlyInAnyOrderElementsOf(needles);

      SearchResult tyres = client.search(filter.apply(SearchRequest.builder(user)
          .query("When do I need new tyres for the car?").limit(2)).build());
      assertThat(contents(tyres)).hasSize(2).first().isEqualTo(needles.get(0));
    }
  }

  // ---------------------------------------------------------------- time phrases

  /** Noon UTC on a Saturday; the fixture's times are relative to it. */
  private static final Instant REFERENCE = Instant.parse("2024-06-15T12:00:00Z");

  private Map<String, MemoryRecord> temporalFixture(String user) {
    Map<String, Instant> times = new LinkedHashMap<>();
    times.put("this morning", Instant.parse("2024-06-15T09:00:00Z"));
    times.put("yesterday evening", Instant.parse("2024-06-14T20:00:00Z"));
    times.put("monday", Instant.parse("2024-06-10T08:00:00Z"));
    times.put("tomorrow night", Instant.parse("2024-06-16T01:00:00Z"));
    times.put("last year", Instant.parse("2023-06-15T12:00:00Z"));
    Map<String, MemoryRecord> byName = new LinkedHashMap<>();
    times.forEach((name, at) -> byName.put(name, client.add(AddRequest.builder(
        "Something that happened " + name, user).createdAt(at).build()).memory()));
    return byName;
  }

  private SearchResult temporal(String user, String phrase, ZoneId zone) {
    return client.search(SearchRequest.builder(user).temporal(phrase).referenceTime(REFERENCE)
        .zone(zone).limit(50).build());
  }

  @Test
  void timePhrasesSelectMemoriesCreatedInTheirRange() {
    String user = newUserId();
    Map<String, MemoryRecord> fixture = temporalFixture(user);

    SearchResult today = temporal(user, "today", ZoneOffset.UTC);
    SearchResult yesterday = temporal(user, "yesterday", ZoneOffset.UTC);
    SearchResult tomorrow = temporal(user, "tomorrow", ZoneOffset.UTC);
    SearchResult isoDate = temporal(user, "2024-06-10", ZoneOffset.UTC);

    assertThat(today.memories()).containsExactly(fixture.get("this morning"));
    assertThat(yesterday.memories()).containsExactly(fixture.get("yesterday evening"));
    assertThat(tomorrow.memories()).containsExactly(fixture.get("tomorrow night"));
    assertThat(isoDate.memories()).containsExactly(fixture.get("monday"));
    assertThat(today.ranking()).isEqualTo(Ranking.RECENCY);
    assertThat(today.timeRange()).hasValueSatisfying(range -> {
      assertThat(range.contains(Instant.parse("2024-06-15T00:00:00Z"))).isTrue();
      assertThat(range.contains(Instant.parse("2024-06-14T23:59:59.999Z"))).isFalse();
      assertThat(range.contains(Instant.parse("2024-06-16T00:00:00Z"))).isFalse();
    });
    assertThat(yesterday.timeRange()).contains(new TimeRange(
        Instant.parse("2024-06-14T00:00:00Z"), Instant.parse("2024-06-15T00:00:00Z")));
    assertThat(isoDate.timeRange()).contains(new TimeRange(
        Instant.parse("2024-06-10T00:00:00Z"), Instant.parse("2024-06-11T00:00:00Z")));
  }

  @Test
  void timePhrasesAreResolvedInTheRequestedZone() {
    String user = newUserId();
    Map<String, MemoryRecord> fixture = temporalFixture(user);

    // At the reference instant it is 21:00 in Tokyo, where yesterday 20:00 UTC was 05:00 today.
    SearchResult today = temporal(user, "today", ZoneId.of("Asia/Tokyo"));

    assertThat(today.memories()).containsExactly(
        fixture.get("this morning"), fixture.get("yesterday evening"));
  }

  @Test
  void aTimePhraseCombinesWithAQueryAndOtherFilters() {
    String user = newUserId();
    temporalFixture(user);
    MemoryRecord dentist = client.add(AddRequest.builder("Dentist appointment went well", user)
        .tags("health").createdAt(Instant.parse("2024-06-14T10:00:00Z")).build()).memory();

    SearchResult ranked = client.search(SearchRequest.builder(user).query("dentist")
        .temporal("yesterday").referenceTime(REFERENCE).zone(ZoneOffset.UTC).build());
    SearchResult tagged = client.search(SearchRequest.builder(user).tags(List.of("health"))
        .temporal("today").referenceTime(REFERENCE).zone(ZoneOffset.UTC).build());

    assertThat(ranked.ranking()).isEqualTo(Ranking.RELEVANCE);
    assertThat(ranked.memories()).hasSize(2).first().isEqualTo(dentist);
    assertThat(tagged.hits()).isEmpty();
    assertThat(client.search(SearchRequest.builder(user).tags(List.of("health"))
        .temporal("yesterday").referenceTime(REFERENCE).zone(ZoneOffset.UTC).build()).memories())
        .containsExactly(dentist);
  }

  @Test
  void temporalSearchResolvesAgainstNow() {
    String user = newUserId();
    MemoryRecord recent = client.add("Had a great coffee just now", user).memory();
    MemoryRecord old = client.add(AddRequest.builder("Had a coffee long ago", user)
        .createdAt(Instant.now().minus(3, ChronoUnit.DAYS)).build()).memory();

    SearchResult today = client.temporalSearch("today", user);
    SearchResult ranked = client.temporalSearch("today", user, "coffee", 5);

    assertThat(today.memories()).containsExactly(recent);
    assertThat(ranked.memories()).containsExactly(recent);
    assertThat(ranked.ranking()).isEqualTo(Ranking.RELEVANCE);
    assertThat(client.temporalSearch("yesterday", user).memories()).doesNotContain(recent, old);
  }

  @Test
  void anUnknownTimePhraseIsRejectedWithTheSupportedForms() {
    String user = newUserId();
    client.add("Something", user);

    InvalidRequestException invalid =
        assertInvalid(() -> client.temporalSearch("when pigs fly", user), "temporal");
    assertThat(invalid.getMessage()).contains("yesterday");
    assertInvalid(() -> client.search(SearchRequest.builder(user).query("x")
        .temporal("the day after the big party").build()), "temporal");
  }

  // ---------------------------------------------------------------- validation

  @Test
  void searchArgumentsAreValidated() {
    String user = newUserId();

    assertInvalid(() -> client.search("query", user, 0), "limit");
    assertInvalid(() -> client.search("query", user, -5), "limit");
    assertInvalid(() -> client.search("query", user, SearchRequest.MAX_LIMIT + 1), "limit");
    assertInvalid(() -> client.search("  ", user), "query");
    assertInvalid(() -> client.search(SearchRequest.builder(user).threshold(0.5).build()),
        "threshold");
    assertInvalid(() -> client.search(SearchRequest.builder(user).query("q").threshold(1.5)
        .build()), "threshold");
    assertInvalid(() -> client.search(SearchRequest.builder(user).createdAfter(PAST)
        .createdBefore(PAST).build()), "createdBefore");
    assertInvalid(() -> client.search(SearchRequest.builder(user).tags(List.of("a", " "))
        .build()), "tags");
    assertInvalid(() -> client.search(SearchRequest.builder(user).referenceTime(PAST).build()),
        "referenceTime");
    assertInvalid(() -> client.searchByTags(List.of(), user, null, true, 10), "tags");
    assertInvalid(() -> client.searchByTags(null, user, null, false, 10), "tags");
    assertInvalid(() -> client.searchByPeople(List.of(), user, null, 10), "people");
    assertInvalid(() -> client.temporalSearch("today", user, null, 0), "limit");
    assertInvalid(() -> client.temporalSearch("  ", user, null, 10), "temporal");
  }

  @Test
  void theLargestLimitIsAcceptedAndAnUnknownUserHasNoHits() {
    String user = newUserId();

    SearchResult result = client.search("anything at all", user, SearchRequest.MAX_LIMIT);

    assertThat(result.hits()).isEmpty();
    assertThat(result.ranking()).isEqualTo(Ranking.RELEVANCE);
    assertThat(client.getAll(user, 10, 0).total()).isZero();
  }

  @Test
  void hitsCarryTheWholeStoredMemory() {
    String user = newUserId();
    MemoryRecord stored = client.add(AddRequest.builder("My dog is called Rex", user)
        .tags("pets").people("Rex").topic("animals").metadata(Map.of("age", 3))
        .createdAt(PAST).build()).memory();

    SearchHit hit = client.search("dog", user).hits().get(0);

    assertThat(hit.memory()).isEqualTo(stored);
    assertThat(client.search(SearchRequest.builder(user).build()).hits().get(0).memory())
        .isEqualTo(stored);
  }
}
