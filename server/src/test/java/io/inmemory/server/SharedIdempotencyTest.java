package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.server.ReplicaCluster.Store;
import io.inmemory.server.TestServer.Answer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Adds with an {@code Idempotency-Key} through three server processes sharing one store (the
 * MongoDB stand-in, an H2 TCP server): a retry through another replica replays the first answer
 * and stores nothing, whichever replica answers, also when the two race.
 */
@ExtendWith(ReplicaCluster.StopShared.class)
class SharedIdempotencyTest {
  private static final String ADD = "/v1/memories";
  private static final int RACES = 10;

  /** A key of a project of its own and a user of its own on the shared cluster of a store. */
  private record Caller(ReplicaCluster cluster, String key, String user) {
    static Caller on(Store store) throws Exception {
      ReplicaCluster cluster = ReplicaCluster.shared(store);
      return new Caller(cluster, cluster.newProjectKey().secret(), "u-" + UUID.randomUUID());
    }
  }

  private static Answer add(Caller caller, int replica, String content,
      String idempotencyKey) {
    return caller.cluster().send(replica, "POST", ADD, caller.key(), Map.of("user_id",
        caller.user(), "memory_content", content), Map.of(Idempotency.HEADER, idempotencyKey));
  }

  private static long listed(Caller caller, int replica) {
    Answer list = caller.cluster().send(replica, "GET", ADD + "?user_id=" + caller.user()
        + "&limit=1000", caller.key(), null, Map.of());
    assertThat(list.status()).as(list.response().body()).isEqualTo(200);
    return list.json().get("total").asLong();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Store.class)
  void aRetryThroughAnotherReplicaIsReplayedAndStoredOnce(Store store) throws Exception {
    Caller caller = Caller.on(store);

    Answer first = add(caller, 0, "The user likes green tea", "retry-1");
    Answer retry = add(caller, 1, "The user likes green tea", "retry-1");
    Answer reused = add(caller, 2, "The user likes black coffee", "retry-1");

    assertThat(first.status()).as(first.response().body()).isEqualTo(201);
    assertThat(first.header(Idempotency.REPLAYED_HEADER)).isNull();
    assertThat(retry.status()).as(retry.response().body()).isEqualTo(201);
    assertThat(retry.header(Idempotency.REPLAYED_HEADER)).isEqualTo("true");
    assertThat(retry.json()).isEqualTo(first.json());
    assertThat(reused.status()).isEqualTo(409);
    assertThat(reused.problemType()).endsWith("idempotency-key-reused");
    assertThat(listed(caller, 2)).isEqualTo(1);
    for (int replica = 0; replica < caller.cluster().size(); replica++) {
      assertThat(caller.cluster().replica(replica).out()).as("the start line").anySatisfy(line ->
          assertThat(line).contains("Shared state: idempotency records in the store"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Store.class)
  void racingRetriesThroughTwoReplicasStoreOnceAndAnswerAlike(Store store) throws Exception {
    Caller caller = Caller.on(store);
    ExecutorService clients = Executors.newFixedThreadPool(2);
    Set<String> ids = new HashSet<>();
    try {
      for (int round = 0; round < RACES; round++) {
        String idempotencyKey = "race-" + round;
        String content = "Fact number " + round + " about the user";
        CyclicBarrier start = new CyclicBarrier(2);
        List<Future<Answer>> answers = new ArrayList<>();
        for (int replica = 0; replica < 2; replica++) {
          int through = replica;
          answers.add(clients.submit(() -> {
            start.await();
            return add(caller, through, content, idempotencyKey);
          }));
        }
        Answer a = answers.get(0).get();
        Answer b = answers.get(1).get();
        assertThat(a.status()).as(a.response().body()).isEqualTo(201);
        assertThat(b.status()).as(b.response().body()).isEqualTo(201);
        String id = a.json().path("memory").path("id").asText();
        assertThat(b.json().path("memory").path("id").asText()).as("round " + round)
            .isEqualTo(id);
        ids.add(id);
      }
    } finally {
      clients.shutdownNow();
    }

    assertThat(ids).hasSize(RACES);
    assertThat(listed(caller, 2)).isEqualTo(RACES);
  }
}
