package io.inmemory.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.AddRequest;
import io.inmemory.AddResult;
import io.inmemory.EventType;
import io.inmemory.MemoryRecord;
import io.inmemory.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The de-duplication contract of plain adds: off by default; asked for, a text whose normal form
 * a current memory of the scope already holds answers that memory ({@link EventType#NONE}) and
 * stores nothing, per request of a batch, and once only under concurrent adds.
 */
public abstract class DeduplicationContract extends ClientContractSupport {

  private static final int THREADS = 8;

  private static AddRequest deduplicated(String content, Scope scope) {
    return AddRequest.builder(content, scope).deduplicate(true).build();
  }

  @Test
  void offByDefaultStoresTwice() {
    String user = newUserId();

    AddResult first = client.add("I love pizza", user);
    AddResult second = client.add("I love pizza", user);

    assertThat(first.event()).isEqualTo(EventType.ADD);
    assertThat(second.event()).isEqualTo(EventType.ADD);
    assertThat(second.id()).isNotEqualTo(first.id());
    assertThat(client.getAll(user, 10, 0).total()).isEqualTo(2);
  }

  @Test
  void deduplicateReturnsNoneWithExisting() {
    Scope user = Scope.user(newUserId());
    MemoryRecord first = client.add(AddRequest.builder("I love pizza!", user)
        .tags("food").build()).memory();

    AddResult again = client.add(deduplicated("i love  PIZZA", user));
    AddResult otherAgent =
        client.add(deduplicated("I love pizza", user.withAgent("a-" + UUID.randomUUID())));

    assertThat(again.event()).isEqualTo(EventType.NONE);
    assertThat(again.memory()).isEqualTo(first);
    assertThat(otherAgent.event()).as("the scope names an agent the first does not record")
        .isEqualTo(EventType.ADD);
    assertThat(client.getAll(user.userId(), 10, 0).total()).isEqualTo(2);
  }

  @Test
  void deletedMemoriesDoNotCount() {
    Scope user = Scope.user(newUserId());
    MemoryRecord first = client.add(deduplicated("My car is blue", user)).memory();
    client.delete(first.id(), user);

    AddResult again = client.add(deduplicated("My car is blue", user));

    assertThat(again.event()).isEqualTo(EventType.ADD);
    assertThat(again.id()).isNotEqualTo(first.id());
  }

  @Test
  void addAllDeduplicatesPerRequest() {
    Scope user = Scope.user(newUserId());
    MemoryRecord held = client.add(AddRequest.builder("I live in Paris", user).build()).memory();

    List<AddResult> results = client.addAll(List.of(
        deduplicated("I live in Paris.", user),
        AddRequest.builder("I live in Paris", user).build(),
        deduplicated("I work from home", user),
        deduplicated("I WORK FROM HOME!", user)));

    assertThat(results).extracting(AddResult::event).containsExactly(
        EventType.NONE, EventType.ADD, EventType.ADD, EventType.NONE);
    assertThat(results.get(0).memory()).isEqualTo(held);
    assertThat(results.get(1).id()).isNotEqualTo(held.id());
    assertThat(results.get(3).memory()).isEqualTo(results.get(2).memory());
    assertThat(client.getAll(user.userId(), 10, 0).total()).isEqualTo(3);
  }

  @Test
  void concurrentDuplicateAddsStoreOne() throws Exception {
    Scope user = Scope.user(newUserId());
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<AddResult>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        futures.add(pool.submit(() -> {
          start.await();
          return client.add(deduplicated("We meet every Tuesday", user));
        }));
      }
      start.countDown();
      List<AddResult> results = new ArrayList<>();
      for (Future<AddResult> future : futures) {
        results.add(future.get(60, TimeUnit.SECONDS));
      }

      assertThat(results).extracting(AddResult::event).containsOnlyOnce(EventType.ADD);
      assertThat(results).extracting(AddResult::id).containsOnly(results.get(0).id());
      assertThat(client.getAll(user.userId(), 10, 0).total()).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }
}
