package io.inmemory.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.AddRequest;
import io.inmemory.AddResult;
import io.inmemory.HistoryEntry;
import io.inmemory.HistoryEntry.Event;
import io.inmemory.MemoryRecord;
import io.inmemory.SearchRequest;
import io.inmemory.SearchResult;
import io.inmemory.UpdateRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The thread-safety contract: many threads adding, searching, updating and deleting at once lose
 * nothing, count exactly, never see a half-written memory, and never leak across users.
 */
public abstract class ConcurrencyContract extends ClientContractSupport {

  private static final long TIMEOUT_SECONDS = 120;

  /**
   * Runs {@code threads} tasks at once (released together) and returns their results in task
   * order; rethrows the first failure.
   */
  private static <T> List<T> race(int threads, IntFunction<Callable<T>> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Callable<T> body = task.apply(t);
        futures.add(pool.submit(() -> {
          start.await();
          return body.call();
        }));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        try {
          results.add(future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        } catch (ExecutionException e) {
          if (e.getCause() instanceof Error error) {
            throw error;
          }
          throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
          throw new AssertionError("a thread did not finish within " + TIMEOUT_SECONDS + " s", e);
        }
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void concurrentAddsLoseNothingAndCountExactly() throws Exception {
    String user = newUserId();
    int threads = 8;
    int perThread = 50;

    List<List<String>> added = race(threads, t -> () -> {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < perThread; i++) {
        ids.add(client.add(AddRequest.builder("Thread " + t + " remembers item " + i, user)
            .tags("thread-" + t).build()).id());
      }
      return ids;
    });

    Set<String> ids = added.stream().flatMap(List::stream).collect(Collectors.toSet());
    int total = threads * perThread;
    assertThat(ids).hasSize(total);
    assertThat(client.getUserStats(user).memoryCount()).isEqualTo(total);
    assertThat(client.getUserStats(user).tagCounts()).hasSize(threads)
        .allSatisfy((tag, count) -> assertThat(count).isEqualTo(perThread));
    assertThat(client.getAll(user, SearchRequest.MAX_LIMIT, 0).items())
        .extracting(MemoryRecord::id).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(ids(client.search(SearchRequest.builder(user).limit(SearchRequest.MAX_LIMIT)
        .build()))).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(client.search("Thread 3 remembers item 7", user, SearchRequest.MAX_LIMIT).hits())
        .hasSize(total);
  }

  @Test
  void concurrentUsersStayIsolated() throws Exception {
    int threads = 6;
    List<String> users = IntStream.range(0, threads).mapToObj(t -> newUserId()).toList();

    race(threads, t -> () -> {
      String user = users.get(t);
      for (int i = 0; i < 20; i++) {
        client.add("Memory " + i + " of " + user, user);
      }
      return null;
    });

    for (String user : users) {
      List<MemoryRecord> items = client.getAll(user, 100, 0).items();
      assertThat(items).hasSize(20).allSatisfy(memory -> {
        assertThat(memory.userId()).isEqualTo(user);
        assertThat(memory.content()).endsWith(" of " + user);
      });
      assertThat(client.search("Memory 3", user, 100).memories())
          .extracting(MemoryRecord::userId).hasSize(20).containsOnly(user);
    }
  }

  @Test
  void readersDuringWritesSeeOnlyWholeMemoriesAndNeverFewer() throws Exception {
    String user = newUserId();
    client.addAll(TckData.CORPUS.stream().map(content -> AddRequest.of(content, user)).toList());
    int writers = 2;
    int perWriter = 30;
    Set<String> written = ConcurrentHashMap.newKeySet();
    written.addAll(TckData.CORPUS);
    AtomicBoolean writing = new AtomicBoolean(true);
    CountDownLatch writersDone = new CountDownLatch(writers);

    List<Integer> reads = race(writers + 2, t -> () -> {
      if (t < writers) {
        try {
          for (int i = 0; i < perWriter; i++) {
            String content = "Writer " + t + " learned fact number " + i;
            written.add(content);
            client.add(AddRequest.builder(content, user).tags("written").build());
          }
        } finally {
          writersDone.countDown();
          if (writersDone.getCount() == 0) {
            writing.set(false);
          }
        }
        return 0;
      }
      int rounds = 0;
      long lastTotal = 0;
      while (writing.get() || rounds < 3) {
        SearchResult found = t % 2 == 0
            ? client.search("What did the writer learn?", user, SearchRequest.MAX_LIMIT)
            : client.search(SearchRequest.builder(user).limit(SearchRequest.MAX_LIMIT).build());
        assertThat(found.memories()).allSatisfy(memory -> {
          assertThat(memory.userId()).isEqualTo(user);
          assertThat(written).contains(memory.content());
        });
        long total = client.getAll(user, 1, 0).total();
        assertThat(total).isGreaterThanOrEqualTo(lastTotal)
            .isGreaterThanOrEqualTo(TckData.CORPUS.size());
        lastTotal = total;
        rounds++;
      }
      return rounds;
    });

    assertThat(reads.subList(writers, reads.size())).allSatisfy(rounds ->
        assertThat(rounds).isPositive());
    int expected = TckData.CORPUS.size() + writers * perWriter;
    assertThat(client.getAll(user, 1, 0).total()).isEqualTo(expected);
    assertThat(client.search(SearchRequest.builder(user).tags(List.of("written"))
        .limit(SearchRequest.MAX_LIMIT).build()).hits()).hasSize(writers * perWriter);
  }

  @Test
  void concurrentDeletesOfDisjointSetsLeaveExactlyTheRest() throws Exception {
    String user = newUserId();
    int threads = 4;
    int perThread = 30;
    int kept = 40;
    List<String> ids = client.addAll(IntStream.range(0, threads * perThread + kept)
        .mapToObj(i -> AddRequest.of("Disposable memory " + i, user)).toList())
        .stream().map(AddResult::id).toList();

    List<List<Boolean>> deleted = race(threads, t -> () -> ids
        .subList(t * perThread, (t + 1) * perThread).stream()
        .map(id -> client.delete(id, user)).toList());

    assertThat(deleted).allSatisfy(results -> assertThat(results).containsOnly(true));
    List<String> rest = ids.subList(threads * perThread, ids.size());
    assertThat(client.getAll(user, SearchRequest.MAX_LIMIT, 0).items())
        .extracting(MemoryRecord::id).containsExactlyInAnyOrderElementsOf(rest);
    assertThat(client.getUserStats(user).memoryCount()).isEqualTo(kept);
    assertThat(ids(client.search("Disposable memory", user, SearchRequest.MAX_LIMIT)))
        .containsExactlyInAnyOrderElementsOf(rest);
  }

  @Test
  void racingDeletesOfTheSameMemorySucceedExactlyOnce() throws Exception {
    String user = newUserId();
    List<String> ids = client.addAll(IntStream.range(0, 30)
        .mapToObj(i -> AddRequest.of("Contended memory " + i, user)).toList())
        .stream().map(AddResult::id).toList();

    List<List<Boolean>> deleted = race(4, t -> () -> ids.stream()
        .map(id -> client.delete(id, user)).toList());

    for (int i = 0; i < ids.size(); i++) {
      int index = i;
      assertThat(deleted.stream().filter(results -> results.get(index))).as(ids.get(i)).hasSize(1);
      assertThat(client.history(ids.get(i), user)).extracting(HistoryEntry::event)
          .containsExactly(Event.ADD, Event.DELETE);
    }
    assertThat(client.getAll(user, 10, 0).total()).isZero();
  }

  @Test
  void concurrentUpdatesOfOneMemoryAreAppliedOneAtATime() throws Exception {
    String user = newUserId();
    String id = client.add("Version zero", user).id();
    int threads = 4;
    int perThread = 5;

    List<List<MemoryRecord>> updates = race(threads, t -> () -> {
      List<MemoryRecord> results = new ArrayList<>();
      for (int i = 0; i < perThread; i++) {
        results.add(client.update(id, user, UpdateRequest.builder()
            .content("Version " + t + "-" + i).tags("t" + t).build()));
      }
      return results;
    });

    List<HistoryEntry> history = client.history(id, user);
    assertThat(history).hasSize(1 + threads * perThread);
    assertThat(history.get(0).event()).isEqualTo(Event.ADD);
    for (int i = 1; i < history.size(); i++) {
      assertThat(history.get(i).event()).isEqualTo(Event.UPDATE);
      // Each update starts from what the one before it wrote: none is lost or interleaved.
      assertThat(history.get(i).previousContent()).isEqualTo(history.get(i - 1).newContent());
    }
    MemoryRecord last = client.get(id, user).orElseThrow();
    assertThat(last.content()).isEqualTo(history.get(history.size() - 1).newContent());
    // Content and tags come from the same update: "Version <t>-<i>" was written with tag "t<t>".
    assertThat(last.tags()).containsExactly("t" + last.content().charAt("Version ".length()));
    Set<String> contents = new HashSet<>();
    updates.forEach(list -> list.forEach(memory -> contents.add(memory.content())));
    assertThat(contents).hasSize(threads * perThread);
    assertThat(client.search("Version", user, 10).hits()).hasSize(1);
  }

  @Test
  void deleteAllOfOneUserDuringAnotherUsersWritesTouchesOnlyItsOwn() throws Exception {
    String doomed = newUserId();
    String busy = newUserId();
    client.addAll(IntStream.range(0, 40).mapToObj(i -> AddRequest.of("Doomed " + i, doomed))
        .toList());

    List<Long> results = race(2, t -> () -> {
      if (t == 0) {
        return client.deleteAll(doomed);
      }
      for (int i = 0; i < 20; i++) {
        client.add("Busy " + i, busy);
      }
      return 20L;
    });

    assertThat(results.get(0)).isEqualTo(40);
    assertThat(client.getAll(doomed, 10, 0).total()).isZero();
    assertThat(client.getAll(busy, 100, 0).items()).hasSize(20)
        .extracting(MemoryRecord::content).allMatch(content -> content.startsWith("Busy "));
    assertThat(client.getUserStats(busy).memoryCount()).isEqualTo(20);
    assertThat(client.getUserStats(doomed).memoryCount()).isZero();
  }
}
