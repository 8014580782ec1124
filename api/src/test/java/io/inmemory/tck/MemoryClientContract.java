package io.inmemory.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.inmemory.AddRequest;
import io.inmemory.AddResult;
import io.inmemory.ContentTooLargeException;
import io.inmemory.Health;
import io.inmemory.HistoryEntry;
import io.inmemory.HistoryEntry.Event;
import io.inmemory.InvalidRequestException;
import io.inmemory.InvalidRequestException.Violation;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryRecord;
import io.inmemory.NotFoundException;
import io.inmemory.Page;
import io.inmemory.SearchRequest;
import io.inmemory.UpdateRequest;
import io.inmemory.UserStats;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The core contract of {@link io.inmemory.MemoryClient}: adding, reading, listing, updating and
 * deleting memories, their history, user statistics, health, and the validation of every argument.
 * Search is covered by {@link SearchContract}, threads by {@link ConcurrencyContract}.
 */
public abstract class MemoryClientContract extends ClientContractSupport {

  private static final Instant PAST = Instant.parse("2021-03-04T05:06:07.891Z");

  // ---------------------------------------------------------------- add and get

  @Test
  void addReturnsTheStoredMemoryWhichGetReturnsAgain() {
    String user = newUserId();
    AddResult added = client.add(AddRequest.builder("Meeting with Bob about the roadmap", user)
        .tags("work", "planning").people("Bob").topic("meetings")
        .metadata(Map.of("room", "4.12")).build());

    MemoryRecord memory = added.memory();
    assertThat(added.id()).isEqualTo(memory.id()).isNotBlank();
    assertThat(memory.userId()).isEqualTo(user);
    assertThat(memory.content()).isEqualTo("Meeting with Bob about the roadmap");
    assertThat(memory.tags()).containsExactly("work", "planning");
    assertThat(memory.people()).containsExactly("Bob");
    assertThat(memory.topic()).isEqualTo("meetings");
    assertThat(memory.metadata()).isEqualTo(Map.of("room", "4.12"));
    assertThat(client.get(memory.id(), user)).contains(memory);
  }

  @Test
  void plainAddHasNoTagsPeopleTopicOrMetadata() {
    String user = newUserId();
    MemoryRecord memory = client.add("My dog is called Rex", user).memory();

    assertThat(memory.tags()).isEmpty();
    assertThat(memory.people()).isEmpty();
    assertThat(memory.topic()).isNull();
    assertThat(memory.metadata()).isEmpty();
    assertThat(client.get(memory.id(), user)).contains(memory);
  }

  @Test
  void contentIsKeptExactlyAsGiven() {
    String user = newUserId();
    String content = "  Ünïcödé café 🚀 \"quoted\" <b>bold</b> \\ back\nsecond line\t ";
    MemoryRecord memory = client.add(content, user).memory();

    assertThat(memory.content()).isEqualTo(content);
    assertThat(client.get(memory.id(), user)).map(MemoryRecord::content).contains(content);
  }

  @Test
  void createdAtDefaultsToNowAndUpdatedAtEqualsIt() {
    String user = newUserId();
    Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    MemoryRecord memory = client.add("I started a new job today", user).memory();
    Instant after = Instant.now();

    // A second of slack for a server whose clock is read a moment apart from the test's.
    assertThat(memory.createdAt())
        .isBetween(before.minusSeconds(1), after.plusSeconds(1));
    assertThat(memory.updatedAt()).isEqualTo(memory.createdAt());
  }

  @Test
  void createdAtOfAnImportIsKeptToTheMillisecond() {
    String user = newUserId();
    MemoryRecord memory = client.add(AddRequest.builder("We moved to Lisbon", user)
        .createdAt(PAST.plusNanos(234_567)).build()).memory();

    assertThat(memory.createdAt()).isEqualTo(PAST);
    assertThat(memory.updatedAt()).isEqualTo(PAST);
    assertThat(client.get(memory.id(), user).orElseThrow().createdAt()).isEqualTo(PAST);
  }

  /** The extremes a request accepts (epoch milliseconds of a long) every store keeps exactly. */
  @Test
  void theExtremeInstantsARequestAcceptsAreKept() {
    String user = newUserId();
    Instant first = Instant.ofEpochMilli(Long.MIN_VALUE);
    Instant last = Instant.ofEpochMilli(Long.MAX_VALUE);
    MemoryRecord memory = client.add(AddRequest.builder("Dinosaurs roamed here", user)
        .createdAt(first).validFrom(last).build()).memory();

    MemoryRecord read = client.get(memory.id(), user).orElseThrow();
    assertThat(read.createdAt()).isEqualTo(first);
    assertThat(read.validFrom()).isEqualTo(last);
  }

  @Test
  void tagsPeopleAndTopicAreNormalized() {
    String user = newUserId();
    MemoryRecord memory = client.add(AddRequest.builder("Dinner with Bob and Carol", user)
        .tags(" Food", "food", "SOCIAL ", "Social").people("Bob", "bob", " Carol ", "BOB")
        .topic("  Evenings Out ").build()).memory();

    assertThat(memory.tags()).containsExactly("food", "social");
    assertThat(memory.people()).containsExactly("Bob", "Carol");
    assertThat(memory.topic()).isEqualTo("evenings out");
    assertThat(memory.mentions("CAROL")).isTrue();
    assertThat(client.get(memory.id(), user)).contains(memory);
  }

  @Test
  void metadataRoundTripsWithJsonTypes() {
    String user = newUserId();
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("list", List.of(1, "two", 3.5, true, List.of(), Map.of("k", "v")));
    nested.put("deeper", Map.of("deepest", Map.of("flag", false)));
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("string", "value with ünïcode");
    metadata.put("int", 42);
    metadata.put("long", 9_007_199_254_740_993L);
    metadata.put("double", 2.5);
    metadata.put("negative", -0.125);
    metadata.put("bool", true);
    metadata.put("nested", nested);
    MemoryRecord memory = client.add(AddRequest.builder("Metadata holder", user)
        .metadata(metadata).build()).memory();

    Map<String, Object> expected = Map.of(
        "string", "value with ünïcode",
        "int", 42L,
        "long", 9_007_199_254_740_993L,
        "double", 2.5,
        "negative", -0.125,
        "bool", true,
        "nested", Map.of(
            "list", List.of(1L, "two", 3.5, true, List.of(), Map.of("k", "v")),
            "deeper", Map.of("deepest", Map.of("flag", false))));
    MemoryRecord stored = client.get(memory.id(), user).orElseThrow();
    assertThat(memory.metadata()).isEqualTo(expected);
    assertThat(stored.metadata()).isEqualTo(expected);
    assertThat(stored.metadata().get("int")).isInstanceOf(Long.class);
    assertThat(stored.metadata().get("double")).isInstanceOf(Double.class);
    assertThat(stored.metadata().get("bool")).isInstanceOf(Boolean.class);
  }

  @Test
  void everyAddCreatesADistinctMemoryEvenForTheSameContent() {
    String user = newUserId();
    List<String> ids = IntStream.range(0, 4)
        .mapToObj(i -> client.add("I drink coffee every morning", user).id()).toList();

    assertThat(new HashSet<>(ids)).hasSize(4);
    assertThat(client.getAll(user, 10, 0).total()).isEqualTo(4);
  }

  @Test
  void addAllStoresEveryRequestAndAnswersInRequestOrder() {
    String user = newUserId();
    List<AddRequest> requests = IntStream.range(0, 12)
        .mapToObj(i -> AddRequest.builder("Batch memory number " + i, user).tags("batch")
            .metadata(Map.of("index", i)).build())
        .toList();

    List<AddResult> results = client.addAll(requests);

    assertThat(results).hasSize(12);
    for (int i = 0; i < 12; i++) {
      MemoryRecord memory = results.get(i).memory();
      assertThat(memory.content()).isEqualTo("Batch memory number " + i);
      assertThat(memory.metadata()).isEqualTo(Map.of("index", (long) i));
      assertThat(client.get(memory.id(), user)).contains(memory);
    }
    assertThat(results.stream().map(AddResult::id).distinct()).hasSize(12);
    assertThat(client.getAll(user, 100, 0).total()).isEqualTo(12);
  }

  // ---------------------------------------------------------------- validation

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", " ", "\n\t  "})
  void blankContentIsRejected(String content) {
    String user = newUserId();

    assertInvalid(() -> client.add(content, user), "content");
    assertInvalid(() -> client.add(AddRequest.builder(content, user).tags("x").build()), "content");
    assertThat(client.getAll(user, 10, 0).total()).isZero();
  }

  @Test
  void everyProblemOfARequestIsListed() {
    InvalidRequestException invalid = assertInvalid(
        () -> client.add(AddRequest.builder(" ", "bad user").tags("ok", " ").build()),
        "content", "userId", "tags");

    assertThat(invalid.violations()).hasSizeGreaterThanOrEqualTo(3);
    assertThat(invalid.getMessage()).contains("content", "userId", "tags");
  }

  /**
   * Text with a lone UTF-16 surrogate has no UTF-8 form, so neither JSON (as RFC 7493 requires)
   * nor BSON nor the file store can carry it: stored, it came back as {@code ?} or U+FFFD, and two
   * metadata keys differing only there became one. Every client refuses it in every text, naming
   * the field, and stores nothing; surrogate pairs (emoji) are text like any other.
   */
  @Test
  void textWithALoneSurrogateIsRejectedInEveryFieldAndNothingIsStored() {
    String user = newUserId();
    String lone = "abc \ud800 def";

    assertInvalid(() -> client.add(lone, user), "content");
    assertInvalid(() -> client.add(AddRequest.builder("fine", user).tags("ok", "t\udc00")
        .people("B\ud800b").topic("x\udfff").build()), "tags", "people", "topic");
    InvalidRequestException keys = assertInvalid(() -> client.add(AddRequest.builder("fine", user)
        .metadata(Map.of("k\ud800", 1, "k\udc00", 2)).build()), "metadata");
    assertThat(keys.violations()).as("both keys are named").hasSize(2);
    assertInvalid(() -> client.add(AddRequest.builder("fine", user)
        .metadata(Map.of("n", Map.of("deep", List.of("ok", "v\ud83d")))).build()),
        "metadata.n.deep[1]");
    assertInvalid(() -> client.add("fine", "u\ud800"), "userId");
    assertInvalid(() -> client.search(lone, user), "query");
    assertInvalid(() -> client.temporalSearch("last \udc00week", user), "temporal");
    assertInvalid(() -> client.searchByTags(List.of("t\ud800"), user, null, true, 10), "tags");
    assertInvalid(() -> client.searchByPeople(List.of("B\ud800"), user, lone, 10),
        "people", "query");
    assertThat(client.getAll(user, 10, 0).total()).isZero();

    MemoryRecord kept = client.add("fine", user).memory();
    assertInvalid(() -> client.update(kept.id(), user, UpdateRequest.builder().content(lone)
        .metadata(Map.of("k\ud800", 1)).build()), "content", "metadata");
    assertThat(client.get(kept.id(), user)).contains(kept);

    String rocket = "\ud83d\ude80";
    MemoryRecord pairs = client.add(AddRequest.builder("launch " + rocket, user).tags(rocket)
        .people(rocket + " Bob").topic(rocket).metadata(Map.of("k" + rocket, "v" + rocket))
        .build()).memory();
    assertThat(pairs.content()).isEqualTo("launch " + rocket);
    assertThat(pairs.metadata()).containsEntry("k" + rocket, "v" + rocket);
    assertThat(client.get(pairs.id(), user)).contains(pairs);
  }

  @Test
  void contentOverTheMaximumSizeIsRejectedAndNothingIsStored() {
    String user = newUserId();
    long max = maxMemorySize();
    String tooLarge = "a".repeat(Math.toIntExact(max + 1));

    Throwable thrown = catchThrowable(() -> client.add(tooLarge, user));

    assertThat(thrown).isInstanceOf(ContentTooLargeException.class);
    ContentTooLargeException tooLargeException = (ContentTooLargeException) thrown;
    assertThat(tooLargeException.size()).isEqualTo(max + 1);
    assertThat(tooLargeException.maxSize()).isEqualTo(max);
    assertThat(tooLargeException.violations())
        .extracting(InvalidRequestException.Violation::field).contains("content");
    assertThat(client.getAll(user, 10, 0).total()).isZero();
  }

  @Test
  void contentSizeIsCountedInUtf8Bytes() {
    String user = newUserId();
    long max = maxMemorySize();
    // Two bytes per character: fewer characters than the maximum, more bytes.
    String content = "é".repeat(Math.toIntExact(max / 2 + 1));

    Throwable thrown = catchThrowable(() -> client.add(content, user));

    assertThat(thrown).isInstanceOf(ContentTooLargeException.class);
    assertThat(((ContentTooLargeException) thrown).size()).isEqualTo(2 * (max / 2 + 1));
    assertThat(client.getAll(user, 10, 0).total()).isZero();
  }

  @Test
  void contentOfExactlyTheMaximumSizeIsAccepted() {
    String user = newUserId();
    String content = "b".repeat(Math.toIntExact(maxMemorySize()));

    MemoryRecord memory = client.add(content, user).memory();

    assertThat(client.get(memory.id(), user).orElseThrow().content()).isEqualTo(content);
  }

  @Test
  void anOversizedRequestInAddAllRejectsTheWholeBatch() {
    String user = newUserId();
    List<AddRequest> requests = List.of(
        AddRequest.of("First of the batch", user),
        AddRequest.of("x".repeat(Math.toIntExact(maxMemorySize() + 1)), user),
        AddRequest.of("Third of the batch", user));

    assertThatThrownBy(() -> client.addAll(requests))
        .isInstanceOf(ContentTooLargeException.class);
    assertThat(client.getAll(user, 10, 0).total()).isZero();
    assertThat(client.getUserStats(user).memoryCount()).isZero();
  }

  @ParameterizedTest
  @NullSource
  @FieldSource("io.inmemory.tck.TckData#BAD_USER_IDS")
  void badUserIdsAreRejectedByEveryOperation(String badUser) {
    String id = unknownMemoryId();
    UpdateRequest update = UpdateRequest.builder().content("new").build();

    assertInvalid(() -> client.add("Some content", badUser), "userId");
    assertInvalid(() -> client.addAll(List.of(AddRequest.of("Some content", badUser))), "userId");
    assertInvalid(() -> client.search("query", badUser), "userId");
    assertInvalid(() -> client.getAll(badUser, 10, 0), "userId");
    assertInvalid(() -> client.get(id, badUser), "userId");
    assertInvalid(() -> client.update(id, badUser, update), "userId");
    assertInvalid(() -> client.delete(id, badUser), "userId");
    assertInvalid(() -> client.deleteAll(badUser), "userId");
    assertInvalid(() -> client.history(id, badUser), "userId");
    assertInvalid(() -> client.getUserStats(badUser), "userId");
    assertInvalid(() -> client.temporalSearch("today", badUser), "userId");
    assertInvalid(() -> client.searchByTags(List.of("x"), badUser, null, true, 10), "userId");
    assertInvalid(() -> client.searchByPeople(List.of("Bob"), badUser, null, 10), "userId");
  }

  @Test
  void userIdsMayUseEveryAllowedCharacterUpTo128() {
    String longest = (newUserId() + "x".repeat(128)).substring(0, 128);
    String symbols = "a.b_c@d:e+f-" + newUserId();

    for (String user : List.of(longest, symbols)) {
      MemoryRecord memory = client.add("Memory of " + user, user).memory();
      assertThat(memory.userId()).isEqualTo(user);
      assertThat(client.get(memory.id(), user)).contains(memory);
      assertThat(client.getAll(user, 10, 0).items()).containsExactly(memory);
      assertThat(client.deleteAll(user)).isOne();
    }
    assertThat(longest).hasSize(128);
  }

  @Test
  void userIdsAreExactSoCaseMakesADifferentUser() {
    String lower = newUserId();
    String upper = lower.toUpperCase();
    MemoryRecord memory = client.add("Alice's memory", upper).memory();

    assertThat(memory.userId()).isEqualTo(upper);
    assertThat(client.get(memory.id(), lower)).isEmpty();
    assertThat(client.getAll(lower, 10, 0).total()).isZero();
    assertThat(client.getAll(upper, 10, 0).total()).isOne();
    assertThat(client.getUserStats(lower).memoryCount()).isZero();
    assertThat(client.deleteAll(lower)).isZero();
    assertThat(client.get(memory.id(), upper)).contains(memory);
  }

  @Test
  void pageArgumentsAreValidated() {
    String user = newUserId();

    assertInvalid(() -> client.getAll(user, 0, 0), "limit");
    assertInvalid(() -> client.getAll(user, -1, 0), "limit");
    assertInvalid(() -> client.getAll(user, SearchRequest.MAX_LIMIT + 1, 0), "limit");
    assertInvalid(() -> client.getAll(user, 10, -1), "offset");
    assertInvalid(() -> client.getAll(user, 0, -1), "limit", "offset");
    assertThat(client.getAll(user, SearchRequest.MAX_LIMIT, 0).items()).isEmpty();
  }

  @ParameterizedTest
  @NullSource
  @FieldSource("io.inmemory.tck.TckData#MALFORMED_MEMORY_IDS")
  void malformedMemoryIdsAreRejected(String badId) {
    String user = newUserId();
    client.add("A memory that must survive", user);
    UpdateRequest update = UpdateRequest.builder().content("new").build();

    assertInvalid(() -> client.get(badId, user), "memoryId");
    assertInvalid(() -> client.update(badId, user, update), "memoryId");
    assertInvalid(() -> client.delete(badId, user), "memoryId");
    assertInvalid(() -> client.history(badId, user), "memoryId");
    assertThat(client.getAll(user, 10, 0).total()).isOne();
  }

  @Test
  void unknownMemoryIds() {
    String user = newUserId();
    String unknown = unknownMemoryId();

    assertThat(client.get(unknown, user)).isEmpty();
    assertThatThrownBy(() -> client.update(unknown, user,
        UpdateRequest.builder().content("new").build())).isInstanceOf(NotFoundException.class);
    assertThat(client.delete(unknown, user)).isFalse();
    assertThatThrownBy(() -> client.history(unknown, user)).isInstanceOf(NotFoundException.class);
  }

  @Test
  void anotherUsersMemoryBehavesExactlyLikeAnUnknownOne() {
    String owner = newUserId();
    String other = newUserId();
    MemoryRecord memory = client.add("The owner's secret", owner).memory();
    client.add("The other user's own memory", other);

    assertThat(client.get(memory.id(), other)).isEmpty();
    assertThatThrownBy(() -> client.update(memory.id(), other,
        UpdateRequest.builder().content("hijacked").build()))
        .isInstanceOf(NotFoundException.class);
    assertThat(client.delete(memory.id(), other)).isFalse();
    assertThatThrownBy(() -> client.history(memory.id(), other))
        .isInstanceOf(NotFoundException.class);
    assertThat(client.getAll(other, 10, 0).items()).extracting(MemoryRecord::id)
        .doesNotContain(memory.id());

    assertThat(client.get(memory.id(), owner)).contains(memory);
    assertThat(client.history(memory.id(), owner)).hasSize(1);

    client.delete(memory.id(), owner);
    assertThatThrownBy(() -> client.history(memory.id(), other))
        .isInstanceOf(NotFoundException.class);
  }

  // ---------------------------------------------------------------- limits

  @Test
  void aQueryOverItsLimitIsRejectedByEverySearchNamingItsSizeAndTheLimit() {
    String user = newUserId();
    int max = limits().maxQueryLength();
    String query = "q".repeat(max + 1);

    ContentTooLargeException e = assertOverLimits(() -> client.search(query, user),
        SearchRequest.builder(user).query(query).build());
    assertOverLimits(() -> client.temporalSearch("today", user, query, 10),
        SearchRequest.forTime("today", user, query, 10));
    assertOverLimits(() -> client.searchByTags(List.of("t"), user, query, true, 10),
        SearchRequest.forTags(List.of("t"), user, query, true, 10));
    assertOverLimits(() -> client.searchByPeople(List.of("Bob"), user, query, 10),
        SearchRequest.forPeople(List.of("Bob"), user, query, 10));

    assertThat(e.violations()).extracting(Violation::field).containsExactly("query");
    assertThat(e.size()).isEqualTo(max + 1);
    assertThat(e.maxSize()).isEqualTo(max);
  }

  @Test
  void aQueryOfExactlyItsLimitIsSearched() {
    String user = newUserId();
    String id = client.add("The limits of a search query", user).id();
    String words = "search query limits ".repeat(limits().maxQueryLength() / 20 + 1);

    SearchRequest request = SearchRequest.builder(user)
        .query(words.substring(0, limits().maxQueryLength())).build();

    assertThat(ids(client.search(request))).containsExactly(id);
  }

  @Test
  void aTemporalPhraseOverItsLimitIsRejectedBeforeItIsParsed() {
    String user = newUserId();
    // Spaces are tolerated by the grammar: only the length is wrong.
    String phrase = "yesterday" + " ".repeat(limits().maxTemporalLength());

    ContentTooLargeException e = assertOverLimits(
        () -> client.temporalSearch(phrase, user, null, 10),
        SearchRequest.forTime(phrase, user, null, 10));

    assertThat(e.violations()).extracting(Violation::field).containsExactly("temporal");
  }

  @Test
  void tagAndPeopleListsOverTheirLimitsAreRejectedAndNothingIsStored() {
    String user = newUserId();
    List<String> tags = IntStream.rangeClosed(0, limits().maxTags()).mapToObj(i -> "t" + i)
        .toList();
    List<String> people = IntStream.rangeClosed(0, limits().maxPeople())
        .mapToObj(i -> "P" + i).toList();
    String longTag = "t".repeat(limits().maxTagLength() + 1);
    AddRequest add = AddRequest.builder("Tagged", user).tags(tags).people(people).build();
    String id = client.add("Kept as it is", user).id();
    UpdateRequest update = UpdateRequest.builder().tags(List.of(longTag)).build();

    ContentTooLargeException e = assertOverLimits(() -> client.add(add), add);
    assertOverLimits(() -> client.addAll(List.of(add)), add);
    assertOverLimits(() -> client.update(id, user, update), update);
    assertOverLimits(() -> client.searchByTags(tags, user, null, false, 10),
        SearchRequest.forTags(tags, user, null, false, 10));
    assertOverLimits(() -> client.searchByPeople(people, user, null, 10),
        SearchRequest.forPeople(people, user, null, 10));

    assertThat(e.violations()).extracting(Violation::field).containsExactly("tags", "people");
    assertThat(client.getAll(user, 10, 0).items()).extracting(MemoryRecord::content)
        .containsExactly("Kept as it is");
    assertThat(client.get(id, user).orElseThrow().tags()).isEmpty();
  }

  @Test
  void metadataOverItsLimitIsRejectedAsAValueAndAsAFilter() {
    String user = newUserId();
    Map<String, Object> metadata = Map.of("notes",
        "n".repeat(Math.toIntExact(limits().maxMetadataSize())));
    AddRequest add = AddRequest.builder("With notes", user).metadata(metadata).build();
    SearchRequest filter = SearchRequest.builder(user).metadata(metadata).build();

    assertOverLimits(() -> client.add(add), add);
    ContentTooLargeException e = assertOverLimits(() -> client.search(filter), filter);

    assertThat(e.violations()).extracting(Violation::field).containsExactly("metadata");
    assertThat(client.getAll(user, 10, 0).total()).isZero();
  }

  @Test
  void aBatchOverItsLimitIsRejectedWholeAndNothingIsStored() {
    String user = newUserId();
    List<AddRequest> batch = IntStream.rangeClosed(0, limits().maxBatchSize())
        .mapToObj(i -> AddRequest.of("Batched " + i, user)).toList();

    ContentTooLargeException e = assertOverLimits(() -> client.addAll(batch),
        () -> limits().checkAll(batch));

    assertThat(e.violations()).extracting(Violation::field).containsExactly("requests");
    assertThat(e.size()).isEqualTo(limits().maxBatchSize() + 1);
    assertThat(client.getAll(user, 10, 0).total()).isZero();
  }

  // ---------------------------------------------------------------- update

  @Test
  void updatingContentKeepsEverythingElse() {
    String user = newUserId();
    MemoryRecord original = client.add(AddRequest.builder("I live in Paris", user)
        .tags("home").people("Anna").topic("places").metadata(Map.of("k", 1))
        .createdAt(PAST).build()).memory();

    MemoryRecord updated = client.update(original.id(), user,
        UpdateRequest.builder().content("I live in Berlin").build());

    assertThat(updated.id()).isEqualTo(original.id());
    assertThat(updated.userId()).isEqualTo(user);
    assertThat(updated.content()).isEqualTo("I live in Berlin");
    assertThat(updated.tags()).isEqualTo(original.tags());
    assertThat(updated.people()).isEqualTo(original.people());
    assertThat(updated.topic()).isEqualTo(original.topic());
    assertThat(updated.metadata()).isEqualTo(original.metadata());
    assertThat(updated.createdAt()).isEqualTo(PAST);
    assertThat(updated.updatedAt()).isAfter(PAST);
    assertThat(client.get(original.id(), user)).contains(updated);
  }

  @Test
  void updatingFieldsReplacesThemAndKeepsTheContent() {
    String user = newUserId();
    MemoryRecord original = client.add(AddRequest.builder("Lunch with the team", user)
        .tags("work", "food").people("Anna", "Ben").topic("meals")
        .metadata(Map.of("a", 1, "b", 2)).build()).memory();

    MemoryRecord updated = client.update(original.id(), user, UpdateRequest.builder()
        .tags(" Social ", "SOCIAL").people("Carl", "carl").topic(" Team Events")
        .metadata(Map.of("c", 3.5)).build());

    assertThat(updated.content()).isEqualTo("Lunch with the team");
    assertThat(updated.tags()).containsExactly("social");
    assertThat(updated.people()).containsExactly("Carl");
    assertThat(updated.topic()).isEqualTo("team events");
    assertThat(updated.metadata()).isEqualTo(Map.of("c", 3.5));
    assertThat(updated.createdAt()).isEqualTo(original.createdAt());
    assertThat(updated.updatedAt()).isAfterOrEqualTo(original.updatedAt());
    assertThat(client.get(original.id(), user)).contains(updated);
  }

  @Test
  void emptyValuesClearTagsPeopleTopicAndMetadata() {
    String user = newUserId();
    MemoryRecord original = client.add(AddRequest.builder("Book club on Thursdays", user)
        .tags("books").people("Dana").topic("hobbies").metadata(Map.of("day", "thu")).build())
        .memory();

    MemoryRecord updated = client.update(original.id(), user, UpdateRequest.builder()
        .tags(List.of()).people(List.of()).topic("").metadata(Map.of()).build());

    assertThat(updated.tags()).isEmpty();
    assertThat(updated.people()).isEmpty();
    assertThat(updated.topic()).isNull();
    assertThat(updated.metadata()).isEmpty();
    assertThat(updated.content()).isEqualTo("Book club on Thursdays");
    assertThat(client.get(original.id(), user)).contains(updated);
  }

  @Test
  void invalidUpdatesAreRejected() {
    assertInvalid(() -> UpdateRequest.builder().build(), "request");
    assertInvalid(() -> UpdateRequest.builder().content("  ").build(), "content");
    assertInvalid(() -> UpdateRequest.builder().tags("ok", "").build(), "tags");
  }

  @Test
  void aFailedUpdateLeavesTheMemoryUnchanged() {
    String user = newUserId();
    MemoryRecord original = client.add(AddRequest.builder("Original content", user)
        .tags("keep").build()).memory();
    String tooLarge = "z".repeat(Math.toIntExact(maxMemorySize() + 1));

    assertThatThrownBy(() -> client.update(original.id(), user,
        UpdateRequest.builder().content(tooLarge).tags("changed").build()))
        .isInstanceOf(ContentTooLargeException.class);

    assertThat(client.get(original.id(), user)).contains(original);
    assertThat(client.history(original.id(), user)).extracting(HistoryEntry::event)
        .containsExactly(Event.ADD);
  }

  @Test
  void updatingADeletedMemoryIsNotFound() {
    String user = newUserId();
    String id = client.add("Soon gone", user).id();
    client.delete(id, user);

    assertThatThrownBy(() -> client.update(id, user, UpdateRequest.builder().content("x").build()))
        .isInstanceOf(NotFoundException.class);
    assertThat(client.get(id, user)).isEmpty();
  }

  // ---------------------------------------------------------------- delete

  @Test
  void deleteRemovesOnlyThatMemory() {
    String user = newUserId();
    MemoryRecord kept = client.add("Keep me", user).memory();
    MemoryRecord gone = client.add("Delete me", user).memory();

    assertThat(client.delete(gone.id(), user)).isTrue();

    assertThat(client.get(gone.id(), user)).isEmpty();
    assertThat(client.delete(gone.id(), user)).isFalse();
    assertThat(client.getAll(user, 10, 0).items()).containsExactly(kept);
    assertThat(client.getUserStats(user).memoryCount()).isOne();
    assertThat(client.search("Delete me", user).memories()).extracting(MemoryRecord::id)
        .containsExactly(kept.id());
  }

  @Test
  void deleteAllRemovesEveryMemoryOfTheUserAndNoOtherUsers() {
    String user = newUserId();
    String neighbour = newUserId();
    client.addAll(IntStream.range(0, 5).mapToObj(i -> AddRequest.of("Mine " + i, user)).toList());
    MemoryRecord theirs = client.add("Theirs", neighbour).memory();

    assertThat(client.deleteAll(user)).isEqualTo(5);

    assertThat(client.getAll(user, 10, 0).total()).isZero();
    assertThat(client.getUserStats(user).memoryCount()).isZero();
    assertThat(client.search(SearchRequest.builder(user).build()).hits()).isEmpty();
    assertThat(client.deleteAll(user)).isZero();
    assertThat(client.getAll(neighbour, 10, 0).items()).containsExactly(theirs);
    // The user can start again.
    String id = client.add("A fresh start", user).id();
    assertThat(client.getAll(user, 10, 0).items()).extracting(MemoryRecord::id).containsExactly(id);
  }

  // ---------------------------------------------------------------- history

  @Test
  void historyRecordsAddUpdatesAndDeleteAndOutlivesTheMemory() {
    String user = newUserId();
    String id = client.add("I like tea", user).id();
    client.update(id, user, UpdateRequest.builder().content("I like coffee").build());
    client.update(id, user, UpdateRequest.builder().tags("drinks").build());
    assertThat(client.delete(id, user)).isTrue();

    List<HistoryEntry> history = client.history(id, user);

    assertThat(history).extracting(HistoryEntry::event)
        .containsExactly(Event.ADD, Event.UPDATE, Event.UPDATE, Event.DELETE);
    assertThat(history).allSatisfy(entry -> {
      assertThat(entry.memoryId()).isEqualTo(id);
      assertThat(entry.userId()).isEqualTo(user);
    });
    assertThat(history.get(0).previousContent()).isNull();
    assertThat(history.get(0).newContent()).isEqualTo("I like tea");
    assertThat(history.get(1).previousContent()).isEqualTo("I like tea");
    assertThat(history.get(1).newContent()).isEqualTo("I like coffee");
    assertThat(history.get(2).previousContent()).isEqualTo("I like coffee");
    assertThat(history.get(2).newContent()).isEqualTo("I like coffee");
    assertThat(history.get(3).previousContent()).isEqualTo("I like coffee");
    assertThat(history.get(3).newContent()).isNull();
    assertThat(history).extracting(HistoryEntry::at).isSortedAccordingTo(Comparator.naturalOrder());
  }

  @Test
  void historyOfAnImportStartsWhenItWasAdded() {
    String user = newUserId();
    Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(1);
    String id = client.add(AddRequest.builder("Imported long ago", user).createdAt(PAST).build())
        .id();

    List<HistoryEntry> history = client.history(id, user);

    assertThat(history).singleElement().satisfies(entry -> {
      assertThat(entry.event()).isEqualTo(Event.ADD);
      // The history says when the change was made, not when the memory claims to be from.
      assertThat(entry.at()).isAfterOrEqualTo(before);
    });
  }

  @Test
  void deleteAllRecordsADeleteInEveryHistory() {
    String user = newUserId();
    List<String> ids = client.addAll(List.of(AddRequest.of("One", user), AddRequest.of("Two", user)))
        .stream().map(AddResult::id).toList();

    client.deleteAll(user);

    for (String id : ids) {
      assertThat(client.history(id, user)).extracting(HistoryEntry::event)
          .containsExactly(Event.ADD, Event.DELETE);
    }
  }

  // ---------------------------------------------------------------- listing

  @Test
  void getAllListsNewestFirstInStablePages() {
    String user = newUserId();
    List<AddRequest> requests = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      // Added in a scrambled order so that insertion order cannot pass for creation order.
      int minute = (i * 7) % 23;
      requests.add(AddRequest.builder("Diary entry " + minute, user)
          .createdAt(PAST.plus(minute, ChronoUnit.MINUTES)).build());
    }
    client.addAll(requests);

    List<MemoryRecord> listed = new ArrayList<>();
    for (int offset = 0; offset < 23; offset += 5) {
      Page<MemoryRecord> page = client.getAll(user, 5, offset);
      assertThat(page.offset()).isEqualTo(offset);
      assertThat(page.limit()).isEqualTo(5);
      assertThat(page.total()).isEqualTo(23);
      assertThat(page.items()).hasSize(Math.min(5, 23 - offset));
      assertThat(page.hasMore()).isEqualTo(offset + 5 < 23);
      listed.addAll(page.items());
    }

    assertThat(listed).extracting(MemoryRecord::content).containsExactlyElementsOf(
        IntStream.iterate(22, i -> i >= 0, i -> i - 1).mapToObj(i -> "Diary entry " + i).toList());
    assertThat(client.getAll(user, 23, 0).items()).containsExactlyElementsOf(listed);
  }

  @Test
  void memoriesCreatedAtTheSameInstantAreOrderedById() {
    String user = newUserId();
    List<AddRequest> requests = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      requests.add(AddRequest.builder("Same instant " + i, user).createdAt(PAST).build());
    }
    requests.add(AddRequest.builder("Newer", user).createdAt(PAST.plusSeconds(1)).build());
    requests.add(AddRequest.builder("Older", user).createdAt(PAST.minusSeconds(1)).build());
    client.addAll(requests);

    List<MemoryRecord> whole = client.getAll(user, 100, 0).items();
    List<MemoryRecord> paged = new ArrayList<>();
    for (int offset = 0; offset < 10; offset += 3) {
      paged.addAll(client.getAll(user, 3, offset).items());
    }

    assertThat(paged).containsExactlyElementsOf(whole);
    assertThat(ids(paged)).doesNotHaveDuplicates();
    assertThat(whole.get(0).content()).isEqualTo("Newer");
    assertThat(whole.get(9).content()).isEqualTo("Older");
    List<String> tiedIds = ids(whole.subList(1, 9));
    assertThat(tiedIds).satisfiesAnyOf(
        ties -> assertThat(ties).isSortedAccordingTo(Comparator.naturalOrder()),
        ties -> assertThat(ties).isSortedAccordingTo(Comparator.reverseOrder()));
    assertThat(client.getAll(user, 100, 0).items()).containsExactlyElementsOf(whole);
  }

  @Test
  void pagesPastTheEndAreEmptyButCountTheTotal() {
    String user = newUserId();
    client.addAll(List.of(AddRequest.of("One", user), AddRequest.of("Two", user)));

    Page<MemoryRecord> page = client.getAll(user, 10, 5);

    assertThat(page.items()).isEmpty();
    assertThat(page.total()).isEqualTo(2);
    assertThat(page.hasMore()).isFalse();
    assertThat(client.getAll(newUserId(), 10, 0).items()).isEmpty();
  }

  // ---------------------------------------------------------------- statistics

  @Test
  void statsCountTagsPeopleAndTopicsAndSpanCreationTimes() {
    String user = newUserId();
    client.addAll(List.of(
        AddRequest.builder("Oldest", user).tags("food", "work").people("Bob").topic("meals")
            .createdAt(PAST).build(),
        AddRequest.builder("Middle", user).tags("food").people("BOB", "Carol").topic("meals")
            .createdAt(PAST.plus(1, ChronoUnit.DAYS)).build(),
        AddRequest.builder("Newest", user).tags("food").people("carol").topic("travel")
            .createdAt(PAST.plus(2, ChronoUnit.DAYS)).build(),
        AddRequest.builder("Plain", user).createdAt(PAST.plus(1, ChronoUnit.HOURS)).build()));

    UserStats stats = client.getUserStats(user);

    assertThat(stats.userId()).isEqualTo(user);
    assertThat(stats.memoryCount()).isEqualTo(4);
    assertThat(stats.firstCreatedAt()).isEqualTo(PAST);
    assertThat(stats.lastCreatedAt()).isEqualTo(PAST.plus(2, ChronoUnit.DAYS));
    assertThat(stats.tagCounts()).containsExactly(Map.entry("food", 3L), Map.entry("work", 1L));
    assertThat(stats.peopleCounts())
        .containsExactly(Map.entry("Bob", 2L), Map.entry("Carol", 2L));
    assertThat(stats.topicCounts())
        .containsExactly(Map.entry("meals", 2L), Map.entry("travel", 1L));
  }

  @Test
  void statsOfAnUnknownUserAreEmpty() {
    String user = newUserId();

    UserStats stats = client.getUserStats(user);

    assertThat(stats.userId()).isEqualTo(user);
    assertThat(stats.memoryCount()).isZero();
    assertThat(stats.firstCreated()).isEmpty();
    assertThat(stats.lastCreated()).isEmpty();
    assertThat(stats.tagCounts()).isEmpty();
    assertThat(stats.peopleCounts()).isEmpty();
    assertThat(stats.topicCounts()).isEmpty();
  }

  @Test
  void statsFollowUpdatesAndDeletes() {
    String user = newUserId();
    String first = client.add(AddRequest.builder("First", user).tags("a").createdAt(PAST).build())
        .id();
    client.add(AddRequest.builder("Second", user).tags("a", "b")
        .createdAt(PAST.plusSeconds(60)).build());

    client.update(first, user, UpdateRequest.builder().tags("c").build());
    assertThat(client.getUserStats(user).tagCounts())
        .containsExactly(Map.entry("a", 1L), Map.entry("b", 1L), Map.entry("c", 1L));

    client.delete(first, user);
    UserStats stats = client.getUserStats(user);
    assertThat(stats.memoryCount()).isOne();
    assertThat(stats.tagCounts()).containsExactly(Map.entry("a", 1L), Map.entry("b", 1L));
    assertThat(stats.firstCreatedAt()).isEqualTo(PAST.plusSeconds(60));
    assertThat(stats.lastCreatedAt()).isEqualTo(PAST.plusSeconds(60));
  }

  // ---------------------------------------------------------------- health

  @Test
  void healthIsUpWithEveryComponentProbed() {
    Instant before = Instant.now().minusSeconds(1);

    Health health = client.healthCheck();

    assertThat(health.status()).isEqualTo(Health.Status.UP);
    assertThat(health.isUp()).isTrue();
    assertThat(health.version()).isNotBlank();
    assertThat(health.checkedAt()).isAfterOrEqualTo(before);
    assertThat(health.components()).containsKeys(expectedHealthComponents().toArray(String[]::new));
    assertThat(health.components().values()).allSatisfy(component -> {
      assertThat(component.status()).isEqualTo(Health.Status.UP);
      assertThat(component.latency()).isGreaterThanOrEqualTo(Duration.ZERO);
      assertThat(component.detail()).isNotBlank();
    });
  }

  // ---------------------------------------------------------------- close

  @Test
  void closeIsIdempotentAndLaterCallsThrowIllegalState() {
    String user = newUserId();
    MemoryClient own = createClient();
    String id = own.add("Written before close", user).id();

    own.close();
    own.close();

    assertThatThrownBy(() -> own.add("After close", user))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> own.get(id, user)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> own.search("anything", user))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> own.getAll(user, 10, 0)).isInstanceOf(IllegalStateException.class);
    assertThat(client.healthCheck().isUp()).as("the shared client is not affected").isTrue();
  }

  /** The components a health check must report; the local engine's store and embedder. */
  protected Set<String> expectedHealthComponents() {
    return Set.of("store", "embedder");
  }
}
