package io.inmemory.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.inmemory.AddRequest;
import io.inmemory.AddResult;
import io.inmemory.AsyncMemoryClient;
import io.inmemory.ContentTooLargeException;
import io.inmemory.Health;
import io.inmemory.HistoryEntry;
import io.inmemory.HistoryEntry.Event;
import io.inmemory.InMemoryException;
import io.inmemory.InvalidRequestException;
import io.inmemory.Limits;
import io.inmemory.MemoryRecord;
import io.inmemory.NotFoundException;
import io.inmemory.Page;
import io.inmemory.SearchRequest;
import io.inmemory.SearchResult;
import io.inmemory.SearchResult.Ranking;
import io.inmemory.UpdateRequest;
import io.inmemory.UserStats;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The contract of {@link AsyncMemoryClient}: every operation completes with what the synchronous
 * client would return, and every failure completes the future exceptionally with the
 * {@link InMemoryException} subclass the synchronous client would throw (invalid arguments may
 * also throw at once; both are accepted). One client per class, from {@link #createAsyncClient()}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AsyncMemoryClientContract {

  private static final long TIMEOUT_SECONDS = 60;
  private static final Instant PAST = Instant.parse("2022-09-01T08:00:00Z");

  /** The client under test, open for the whole class. */
  protected AsyncMemoryClient client;

  /**
   * Creates a client: once per test class for the shared {@link #client}, and again by the test of
   * {@code close()}, which closes what it gets. Every call must return a new, open client.
   */
  protected abstract AsyncMemoryClient createAsyncClient();

  /** The maximum content size in UTF-8 bytes the client was configured with. */
  protected long maxMemorySize() {
    return ClientContractSupport.DEFAULT_MAX_MEMORY_SIZE;
  }

  @BeforeAll
  final void openClient() {
    client = createAsyncClient();
    assertThat(client).as("createAsyncClient()").isNotNull();
  }

  @AfterAll
  final void closeClient() {
    if (client != null) {
      client.close();
    }
  }

  private static String newUserId() {
    return "tck-async-" + UUID.randomUUID();
  }

  /** The future's value, failing the test if it does not complete in time. */
  protected static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new AssertionError("the future failed", e.getCause());
    } catch (Exception e) {
      throw new AssertionError("the future did not complete within " + TIMEOUT_SECONDS + " s", e);
    }
  }

  /**
   * The exception the call fails with, whether it throws at once or completes its future
   * exceptionally, unwrapped from {@link CompletionException} and {@link ExecutionException}.
   */
  protected static <E extends InMemoryException> E failure(
      Supplier<? extends CompletableFuture<?>> call, Class<E> type) {
    Throwable thrown = catchThrowable(() -> call.get().get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    while ((thrown instanceof CompletionException || thrown instanceof ExecutionException)
        && thrown.getCause() != null) {
      thrown = thrown.getCause();
    }
    assertThat(thrown).isInstanceOf(type);
    return type.cast(thrown);
  }

  private static void assertInvalid(Supplier<? extends CompletableFuture<?>> call, String field) {
    assertThat(failure(call, InvalidRequestException.class).violations())
        .extracting(InvalidRequestException.Violation::field).contains(field);
  }

  @Test
  void addGetUpdateDeleteAndHistory() {
    String user = newUserId();
    MemoryRecord added = await(client.add(AddRequest.builder("I like tea", user)
        .tags(" Drinks ").people("Anna").topic("Habits").metadata(Map.of("cups", 2))
        .createdAt(PAST).build())).memory();

    assertThat(added.tags()).containsExactly("drinks");
    assertThat(added.topic()).isEqualTo("habits");
    assertThat(added.metadata()).isEqualTo(Map.of("cups", 2L));
    assertThat(added.createdAt()).isEqualTo(PAST);
    assertThat(await(client.get(added.id(), user))).contains(added);

    MemoryRecord updated = await(client.update(added.id(), user,
        UpdateRequest.builder().content("I like coffee").build()));
    assertThat(updated.content()).isEqualTo("I like coffee");
    assertThat(updated.tags()).isEqualTo(added.tags());
    assertThat(updated.createdAt()).isEqualTo(PAST);
    assertThat(updated.updatedAt()).isAfter(PAST);
    assertThat(await(client.get(added.id(), user))).contains(updated);

    assertThat(await(client.delete(added.id(), user))).isTrue();
    assertThat(await(client.delete(added.id(), user))).isFalse();
    assertThat(await(client.get(added.id(), user))).isEmpty();

    List<HistoryEntry> history = await(client.history(added.id(), user));
    assertThat(history).extracting(HistoryEntry::event)
        .containsExactly(Event.ADD, Event.UPDATE, Event.DELETE);
    assertThat(history.get(1).previousContent()).isEqualTo("I like tea");
    assertThat(history.get(1).newContent()).isEqualTo("I like coffee");
    assertThat(history.get(2).newContent()).isNull();
  }

  @Test
  void addAllAndPagesNewestFirst() {
    String user = newUserId();
    List<AddRequest> requests = IntStream.range(0, 9)
        .mapToObj(i -> AddRequest.builder("Entry " + i, user)
            .createdAt(PAST.plus((i * 4) % 9, ChronoUnit.MINUTES)).build())
        .toList();

    List<AddResult> results = await(client.addAll(requests));
    assertThat(results).extracting(result -> result.memory().content())
        .containsExactlyElementsOf(requests.stream().map(AddRequest::content).toList());

    List<MemoryRecord> listed = new ArrayList<>();
    for (int offset = 0; offset < 9; offset += 4) {
      Page<MemoryRecord> page = await(client.getAll(user, 4, offset));
      assertThat(page.total()).isEqualTo(9);
      listed.addAll(page.items());
    }
    assertThat(listed).extracting(MemoryRecord::createdAt)
        .containsExactlyElementsOf(IntStream.iterate(8, i -> i >= 0, i -> i - 1)
            .mapToObj(i -> PAST.plus(i, ChronoUnit.MINUTES)).toList());
  }

  @Test
  void searchesRankByMeaningAndFilter() {
    String user = newUserId();
    List<AddRequest> requests = new ArrayList<>();
    for (String content : TckData.CORPUS) {
      requests.add(AddRequest.builder(content, user)
          .tags(content.contains("dog") ? List.of("pets") : List.of("other"))
          .people(content.contains("Bob") ? List.of("Bob", "Carol") : List.of()).build());
    }
    await(client.addAll(requests));

    SearchResult food = await(client.search("What food does John like?", user));
    assertThat(food.ranking()).isEqualTo(Ranking.RELEVANCE);
    assertThat(food.memories()).hasSize(TckData.CORPUS.size()).first()
        .extracting(MemoryRecord::content).isEqualTo("I love pizza but hate broccoli");

    SearchResult recent = await(client.search(SearchRequest.builder(user).limit(3).build()));
    assertThat(recent.ranking()).isEqualTo(Ranking.RECENCY);
    assertThat(recent.hits()).hasSize(3);

    assertThat(await(client.searchByTags(List.of("PETS"), user, null, true, 10)).memories())
        .extracting(MemoryRecord::content).containsExactly("My dog is called Rex");
    assertThat(await(client.searchByPeople(List.of("carol"), user, "meeting", 10)).memories())
        .extracting(MemoryRecord::content)
        .containsExactly("Meeting with Bob and Carol about Q4 planning tomorrow at 3pm");
    assertThat(await(client.temporalSearch("today", user, "pet", 2)).memories())
        .extracting(MemoryRecord::content).hasSize(2).first().isEqualTo("My dog is called Rex");
    assertThat(await(client.temporalSearch("yesterday", user, null, 10)).hits()).isEmpty();
  }

  @Test
  void statsDeleteAllAndHealth() {
    String user = newUserId();
    String neighbour = newUserId();
    await(client.addAll(List.of(
        AddRequest.builder("One", user).tags("a").people("Bob").topic("t").createdAt(PAST).build(),
        AddRequest.builder("Two", user).tags("a", "b").people("bob")
            .createdAt(PAST.plusSeconds(5)).build())));
    await(client.add("Neighbour's", neighbour));

    UserStats stats = await(client.getUserStats(user));
    assertThat(stats.memoryCount()).isEqualTo(2);
    assertThat(stats.firstCreatedAt()).isEqualTo(PAST);
    assertThat(stats.lastCreatedAt()).isEqualTo(PAST.plusSeconds(5));
    assertThat(stats.tagCounts()).containsExactly(Map.entry("a", 2L), Map.entry("b", 1L));
    assertThat(stats.peopleCounts()).containsExactly(Map.entry("Bob", 2L));
    assertThat(stats.topicCounts()).containsExactly(Map.entry("t", 1L));

    assertThat(await(client.deleteAll(user))).isEqualTo(2);
    assertThat(await(client.deleteAll(user))).isZero();
    assertThat(await(client.getUserStats(user)).memoryCount()).isZero();
    assertThat(await(client.getUserStats(neighbour)).memoryCount()).isOne();

    Health health = await(client.healthCheck());
    assertThat(health.status()).isEqualTo(Health.Status.UP);
    assertThat(health.components()).isNotEmpty();
  }

  @Test
  void failuresCompleteWithTheSameExceptionsAsTheSynchronousClient() {
    String user = newUserId();
    String unknown = UUID.randomUUID().toString();
    String bad = "bad user";
    UpdateRequest update = UpdateRequest.builder().content("new").build();

    assertInvalid(() -> client.getAll(bad, 10, 0), "userId");
    assertInvalid(() -> client.get(unknown, bad), "userId");
    assertInvalid(() -> client.update(unknown, bad, update), "userId");
    assertInvalid(() -> client.delete(unknown, bad), "userId");
    assertInvalid(() -> client.deleteAll(bad), "userId");
    assertInvalid(() -> client.history(unknown, bad), "userId");
    assertInvalid(() -> client.getUserStats(bad), "userId");
    assertInvalid(() -> client.temporalSearch("today", bad, null, 10), "userId");
    assertInvalid(() -> client.searchByTags(List.of("a"), bad, null, true, 10), "userId");
    assertInvalid(() -> client.searchByPeople(List.of("Bob"), bad, null, 10), "userId");
    assertInvalid(() -> client.get("not an id!", user), "memoryId");
    assertInvalid(() -> client.history("../x", user), "memoryId");
    assertInvalid(() -> client.getAll(user, 0, 0), "limit");
    assertInvalid(() -> client.getAll(user, 10, -1), "offset");
    assertInvalid(() -> client.searchByTags(List.of(), user, null, true, 10), "tags");
    assertInvalid(() -> client.searchByPeople(List.of(), user, null, 10), "people");
    assertInvalid(() -> client.temporalSearch("when pigs fly", user, null, 10), "temporal");
    assertInvalid(() -> client.temporalSearch("today", user, null, SearchRequest.MAX_LIMIT + 1),
        "limit");

    failure(() -> client.update(unknown, user, update), NotFoundException.class);
    failure(() -> client.history(unknown, user), NotFoundException.class);
    assertThat(await(client.get(unknown, user))).isEmpty();
    assertThat(await(client.delete(unknown, user))).isFalse();
  }

  @Test
  void oversizedContentFailsAndStoresNothing() {
    String user = newUserId();
    String tooLarge = "q".repeat(Math.toIntExact(maxMemorySize() + 1));

    ContentTooLargeException single =
        failure(() -> client.add(tooLarge, user), ContentTooLargeException.class);
    failure(() -> client.addAll(List.of(AddRequest.of("fine", user),
        AddRequest.of(tooLarge, user))), ContentTooLargeException.class);
    String id = await(client.add("Small", user)).id();
    failure(() -> client.update(id, user, UpdateRequest.builder().content(tooLarge).build()),
        ContentTooLargeException.class);

    assertThat(single.maxSize()).isEqualTo(maxMemorySize());
    assertThat(await(client.getAll(user, 10, 0)).items()).extracting(MemoryRecord::content)
        .containsExactly("Small");
  }

  @Test
  void inputsOverTheirLimitsFailAndStoreNothing() {
    String user = newUserId();
    Limits limits = Limits.defaults();
    String query = "q".repeat(limits.maxQueryLength() + 1);
    List<AddRequest> batch = IntStream.rangeClosed(0, limits.maxBatchSize())
        .mapToObj(i -> AddRequest.of("Batched " + i, user)).toList();

    ContentTooLargeException tooLong = failure(() -> client.search(
        SearchRequest.builder(user).query(query).build()), ContentTooLargeException.class);
    ContentTooLargeException tooMany = failure(() -> client.addAll(batch),
        ContentTooLargeException.class);

    assertThat(tooLong.size()).isEqualTo(limits.maxQueryLength() + 1);
    assertThat(tooLong.maxSize()).isEqualTo(limits.maxQueryLength());
    assertThat(tooMany.violations()).extracting(InvalidRequestException.Violation::field)
        .containsExactly("requests");
    assertThat(await(client.getAll(user, 10, 0)).total()).isZero();
  }

  @Test
  void anotherUsersMemoryBehavesLikeAnUnknownOne() {
    String owner = newUserId();
    String other = newUserId();
    String id = await(client.add("Private", owner)).id();

    assertThat(await(client.get(id, other))).isEmpty();
    assertThat(await(client.delete(id, other))).isFalse();
    failure(() -> client.update(id, other, UpdateRequest.builder().content("x").build()),
        NotFoundException.class);
    failure(() -> client.history(id, other), NotFoundException.class);
    assertThat(await(client.get(id, owner))).map(MemoryRecord::content).contains("Private");
  }

  @Test
  void closeLetsRunningOperationsCompleteAndIsIdempotent() {
    String user = newUserId();
    AsyncMemoryClient own = createAsyncClient();
    List<CompletableFuture<AddResult>> adds = IntStream.range(0, 10)
        .mapToObj(i -> own.add("Added just before close " + i, user)).toList();

    own.close();
    own.close();

    assertThat(adds).allSatisfy(future ->
        assertThat(await(future).memory().userId()).isEqualTo(user));
    assertThat(await(client.healthCheck()).isUp()).as("the shared client is not affected")
        .isTrue();
  }

  @Test
  void manyOperationsInFlightAllComplete() {
    String user = newUserId();
    List<CompletableFuture<AddResult>> adds = IntStream.range(0, 60)
        .mapToObj(i -> client.add("In flight " + i, user)).toList();

    await(CompletableFuture.allOf(adds.toArray(CompletableFuture[]::new)));

    assertThat(adds.stream().map(future -> future.join().id()).distinct()).hasSize(60);
    assertThat(await(client.getAll(user, 100, 0)).total()).isEqualTo(60);
    assertThat(await(client.getUserStats(user)).memoryCount()).isEqualTo(60);
  }
}
