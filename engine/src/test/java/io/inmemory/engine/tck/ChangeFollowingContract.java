package io.inmemory.engine.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.AddRequest;
import io.inmemory.ConversationRequest;
import io.inmemory.Health;
import io.inmemory.InMemoryConfig;
import io.inmemory.ListRequest;
import io.inmemory.MemoryRecord;
import io.inmemory.Message;
import io.inmemory.Scope;
import io.inmemory.SearchHit;
import io.inmemory.SearchRequest;
import io.inmemory.StorageException;
import io.inmemory.UpdateRequest;
import io.inmemory.engine.ChangeFeedStats;
import io.inmemory.engine.Memory;
import io.inmemory.engine.spi.Action;
import io.inmemory.engine.spi.Candidate;
import io.inmemory.engine.spi.Decision;
import io.inmemory.engine.spi.ExtractionInput;
import io.inmemory.engine.spi.Extractor;
import io.inmemory.engine.spi.Fact;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.ReconciliationInput;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two engines on one shared store with a change feed, as two processes (server replicas) on one
 * database: B has loaded a user, A writes, and B's reads reflect A's writes within the staleness
 * bound; B's own writes are visible at once; what B does not hold costs it nothing; a feed
 * trimmed past B's position, or unreadable for longer than {@code inmemory.cluster.max-staleness},
 * makes B read the store again rather than answer from a stale copy; and a load racing A's write
 * never publishes a partition missing it.
 *
 * <p>A store module runs it by extending it: {@link #openProcess} opens a store instance of its
 * own (its own process id) on the shared data, {@link #trimAll} trims the feed. Each instance is
 * seen through an {@link ObservedStore}, which counts reads and cuts a process off the data.
 * Waits poll with a deadline; no speed is asserted.
 */
public abstract class ChangeFollowingContract {
  /** How long a change may take to show before a test fails; generous for shared CI cores. */
  protected static final Duration DEADLINE = Duration.ofSeconds(10);
  private static final String USER = "u1";

  private final List<Memory> engines = new ArrayList<>();
  /** The two processes of a test: A writes, B (on {@link #bStore}, when observed) follows. */
  private Memory a;
  private Memory b;
  private ObservedStore bStore;

  /**
   * A new store instance on the shared data, with its own change feed and process id; the engine
   * using it closes it.
   */
  protected abstract MemoryStore openProcess(String name);

  /** Trims every change recorded so far from the feed. */
  protected abstract void trimAll();

  /** Lets {@code duration} pass (a store's trim keeps what is younger than its retention). */
  protected static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @AfterEach
  void closeEngines() {
    engines.forEach(Memory::close);
  }

  @Test
  void addsUpdatesDeletesAndDeleteAllsOfAnotherProcessReachTheUserHeldHere() {
    startWithTheUserLoadedInB();

    String id = a.add(AddRequest.of("I like green tea", USER)).memory().id();
    await("B finds A's add", () -> ids(search(b, "green tea")).contains(id)
        && b.get(id, Scope.user(USER)).isPresent() && listed(b).contains(id));

    a.update(id, Scope.user(USER), UpdateRequest.builder().content("I drink black coffee")
        .build());
    await("B sees A's update", () -> b.get(id, Scope.user(USER))
        .map(memory -> memory.content().equals("I drink black coffee")).orElse(false)
        && ids(search(b, "black coffee")).contains(id));

    a.delete(id, Scope.user(USER));
    await("B no longer finds A's delete", () -> b.get(id, Scope.user(USER)).isEmpty()
        && !ids(search(b, "black coffee")).contains(id) && !listed(b).contains(id));

    for (String content : List.of("I walk the dog", "I play chess", "I read novels")) {
      a.add(AddRequest.of(content, USER));
    }
    await("B finds A's three adds", () -> listed(b).size() == 3);
    assertThat(a.deleteAll(Scope.user(USER))).isEqualTo(3);
    await("B no longer finds what A deleted all of", () -> listed(b).isEmpty()
        && search(b, "dog chess novels").isEmpty());

    assertThat(bStore.loads).as("B loaded the user once").hasValue(1);
    await("B counts the changes applied", () -> b.feedStats().orElseThrow().applied() >= 6);
    ChangeFeedStats stats = b.feedStats().orElseThrow();
    assertThat(stats.applied()).isGreaterThanOrEqualTo(6);
    assertThat(stats.degraded()).isFalse();
    Health.Component feed = b.healthCheck().components().get("feed");
    assertThat(feed.status()).isEqualTo(Health.Status.UP);
    assertThat(feed.detail()).contains("changes applied", "staleness p50");
  }

  @Test
  void aSupersedeByAnotherProcessReachesTheUserHeldHere() {
    a = engine(process("A"), new Superseding());
    b = engine(process("B"), null);
    String rome = a.add(AddRequest.of("I live in Rome", USER)).memory().id();
    await("B finds A's add", () -> ids(search(b, "live in Rome")).contains(rome));

    a.add(ConversationRequest.builder(Scope.user(USER))
        .messages(Message.user("I moved to Paris")).build());

    await("B hides the superseded memory and finds its successor", () -> {
      List<SearchHit> hits = search(b, "I live in");
      return !ids(hits).contains(rome) && hits.stream()
          .anyMatch(hit -> hit.memory().content().equals("I live in Paris"))
          && b.get(rome, Scope.user(USER)).map(memory -> !memory.isCurrent()).orElse(false);
    });
  }

  @Test
  void ownWritesAreVisibleAtOnceAndNotReadBackFromTheFeed() {
    startWithTheUserLoadedInB();

    String id = b.add(AddRequest.of("I like green tea", USER)).memory().id();
    assertThat(ids(search(b, "green tea"))).contains(id);
    b.update(id, Scope.user(USER), UpdateRequest.builder().content("I like oolong").build());
    assertThat(b.get(id, Scope.user(USER)).orElseThrow().content()).isEqualTo("I like oolong");
    b.delete(id, Scope.user(USER));
    assertThat(b.get(id, Scope.user(USER))).isEmpty();

    // A's change comes after B's in the feed: once B has it, B has read past its own
    String other = a.add(AddRequest.of("A note from A", USER)).memory().id();
    await("B finds A's add", () -> b.get(other, Scope.user(USER)).isPresent());
    assertThat(bStore.reReads).as("only A's change was re-read").hasValue(1);
  }

  @Test
  void aUserNotHeldHereCostsNoStoreRead() {
    startWithTheUserLoadedInB();

    for (int i = 0; i < 5; i++) {
      a.add(AddRequest.of("note " + i, "u2"));
    }
    String last = a.add(AddRequest.of("A note for u1", USER)).memory().id();
    await("B finds A's add", () -> b.get(last, Scope.user(USER)).isPresent());

    assertThat(bStore.reReads).as("u1's change alone").hasValue(1);
    assertThat(bStore.loads).as("u1 alone").hasValue(1);
    // the follower counts a change after applying it: the count may trail what B already shows
    await("B counts the six changes applied", () -> b.feedStats().orElseThrow().applied() >= 6);
    assertThat(b.feedStats().orElseThrow().applied()).isGreaterThanOrEqualTo(6);
  }

  @Test
  void aFeedTrimmedPastThisProcessReloadsWhatItHoldsAndSaysWhy() {
    a = engine(process("A"), null);
    ObservedStore cutOffB = process("B");
    // B is behind for a while below its staleness bound: only the trim can tell it to reload
    b = engine(cutOffB, null, "1h");
    assertThat(search(b, "anything")).isEmpty();

    String logs = stderrOf(() -> {
      cutOffB.cutOff(true);
      String id = a.add(AddRequest.of("A note B never reads of", USER)).memory().id();
      trimAll();
      cutOffB.cutOff(false);
      await("B reloads and finds A's add", () -> ids(search(b, "note B never reads"))
          .contains(id));
    });

    assertThat(logs).contains("trimmed past this process's position");
    await("B counts its reload", () -> b.feedStats().orElseThrow().reloads() > 0);
    assertThat(b.feedStats().orElseThrow().reloads()).as(logs).isPositive();
  }

  @Test
  void aStoreUnreachableLongerThanTheBoundFailsReadsRatherThanServeDeletedMemories() {
    a = engine(process("A"), null);
    ObservedStore cutOffB = process("B");
    b = engine(cutOffB, null, "300ms");
    String id = a.add(AddRequest.of("A secret to forget", USER)).memory().id();
    await("B finds A's add", () -> ids(search(b, "secret")).contains(id));

    cutOffB.cutOff(true);
    a.delete(id, Scope.user(USER));
    await("B's search fails instead of finding the deleted memory", () -> {
      try {
        assertThat(ids(search(b, "secret"))).as("within the bound").contains(id);
        return false;
      } catch (StorageException e) {
        return true;
      }
    });
    Health.Component degraded = b.healthCheck().components().get("feed");
    assertThat(degraded.status()).isEqualTo(Health.Status.DOWN);
    assertThat(degraded.detail()).startsWith("DEGRADED");
    assertThat(b.feedStats().orElseThrow().degraded()).isTrue();

    cutOffB.cutOff(false);
    await("B answers again, without the deleted memory", () -> {
      try {
        return !ids(search(b, "secret")).contains(id);
      } catch (StorageException e) {
        return false;
      }
    });
    await("B's feed is up again", () ->
        b.healthCheck().components().get("feed").status() == Health.Status.UP);
    assertThat(b.feedStats().orElseThrow().degraded()).isFalse();
  }

  @Test
  void aLoadThatReadTheStoreBeforeAnotherProcessesWritePublishesThePartitionWithIt()
      throws Exception {
    a = engine(process("A"), null);
    bStore = process("B");
    b = engine(bStore, null);
    a.add(AddRequest.of("An early note", USER));
    await("the feed delivers A's first add to B", () -> bStore.delivered.get() == 1);
    CountDownLatch loaded = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    bStore.afterLoad = () -> {
      loaded.countDown();
      await(release);
    };

    CompletableFuture<List<SearchHit>> racing =
        CompletableFuture.supplyAsync(() -> search(b, "note"));
    await(loaded);
    String id = a.add(AddRequest.of("A note written during the load", USER)).memory().id();
    await("the feed delivers A's second add to B", () -> bStore.delivered.get() == 2);
    // let the follower reach the partition, which the load has not published yet
    Thread.sleep(100);
    release.countDown();
    racing.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);

    await("B finds A's add", () -> ids(search(b, "written during the load")).contains(id));
    assertThat(bStore.loads).as("no reload: the change reached the loaded partition")
        .hasValue(1);
  }

  /** A store of its own on the shared data, as a new process opens it, observed. */
  private ObservedStore process(String name) {
    return new ObservedStore(openProcess(name));
  }

  /** Starts A, and B on an observed store, holding the user (it searched once). */
  private void startWithTheUserLoadedInB() {
    a = engine(process("A"), null);
    bStore = process("B");
    b = engine(bStore, null);
    assertThat(search(b, "anything")).isEmpty();
  }

  /** An engine on {@code store} following its feed, polling every 20 ms. */
  protected Memory engine(MemoryStore store, @Nullable Extractor extractor) {
    return engine(store, extractor, "10s");
  }

  private Memory engine(MemoryStore store, @Nullable Extractor extractor, String maxStaleness) {
    Memory.Builder builder = Memory.builder().config(InMemoryConfig.builder().isolated()
            .set("inmemory.cluster.poll-interval", "20ms")
            .set("inmemory.cluster.max-staleness", maxStaleness).build())
        .store(store).embedder(new HashingEmbedder());
    if (extractor != null) {
      builder.extractor(extractor);
    }
    Memory engine = builder.build();
    engines.add(engine);
    return engine;
  }

  private static List<SearchHit> search(Memory engine, String query) {
    return engine.search(SearchRequest.builder(USER).query(query).limit(10).build()).hits();
  }

  private static List<String> ids(List<SearchHit> hits) {
    return hits.stream().map(hit -> hit.memory().id()).toList();
  }

  private static List<String> listed(Memory engine) {
    return engine.list(ListRequest.builder(Scope.user(USER)).limit(100).build()).items().stream()
        .map(MemoryRecord::id).toList();
  }

  /** Polls {@code condition} every 20 ms until it holds; fails after {@link #DEADLINE}. */
  public static void await(String what, BooleanSupplier condition) {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within " + DEADLINE.toSeconds() + " s: " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting: " + what, e);
      }
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
        throw new AssertionError("not released within " + DEADLINE.toSeconds() + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** What the engines log (slf4j-simple writes to standard error) while {@code action} runs. */
  public static String stderrOf(Runnable action) {
    PrintStream original = System.err;
    ByteArrayOutputStream logs = new ByteArrayOutputStream();
    System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(original);
    }
    return logs.toString(StandardCharsets.UTF_8);
  }

  /**
   * An extractor whose one fact per message supersedes the candidate about where the user
   * lives: "I moved to Paris" becomes "I live in Paris", superseding "I live in Rome".
   */
  private static final class Superseding implements Extractor {
    @Override
    public String id() {
      return "superseding";
    }

    @Override
    public List<Fact> extract(ExtractionInput input) {
      return List.of(new Fact("I live in Paris", List.of(), null, List.of(), null, List.of(0)));
    }

    @Override
    public List<Decision> reconcile(ReconciliationInput input) {
      Optional<Candidate> rome = input.candidates().stream()
          .filter(candidate -> candidate.content().contains("Rome")).findFirst();
      return List.of(rome.map(candidate -> new Decision(0, Action.SUPERSEDE, candidate.ref(),
          null)).orElse(new Decision(0, Action.ADD, null, null)));
    }
  }
}
