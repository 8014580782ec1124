package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inmemory.server.ReplicaCluster.Store;
import io.inmemory.server.TestServer.Answer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Three server processes on one store (the MongoDB stand-in, an H2 TCP server) answer alike:
 * what one replica writes — adds, updates, deletes, delete-alls — shows on the others' searches
 * and gets once their change feeds bring it, also for a user they have already loaded. The time
 * each change took to show is printed (the bound is measured by {@code bench cluster}); the
 * assertion is a correctness deadline, generous for shared CI cores.
 */
@ExtendWith(ReplicaCluster.StopShared.class)
class ClusterConsistencyTest {
  private static final Duration DEADLINE = Duration.ofSeconds(10);
  private static final int ADDS = 12;

  private record Caller(ReplicaCluster cluster, String key, String user) {
    static Caller on(Store store) throws Exception {
      ReplicaCluster cluster = ReplicaCluster.shared(store);
      return new Caller(cluster, cluster.newProjectKey().secret(), "u-" + UUID.randomUUID());
    }

    Answer send(int replica, String method, String path, Object body) {
      String separator = path.contains("?") ? "&" : "?";
      return cluster.send(replica, method, path + separator + "user_id=" + user, key, body,
          Map.of());
    }

    String add(int replica, String content) {
      Answer added = cluster.send(replica, "POST", "/v1/memories", key,
          Map.of("user_id", user, "memory_content", content), Map.of());
      assertThat(added.status()).as(added.describe()).isEqualTo(201);
      return added.json().path("memory").path("id").asText();
    }

    /** The ids of a search on one replica, best first. */
    List<String> search(int replica, String query) {
      Answer found = cluster.send(replica, "POST", "/v1/memories/search", key,
          Map.of("user_id", user, "query", query, "limit", 5), Map.of());
      assertThat(found.status()).as(found.describe()).isEqualTo(200);
      List<String> ids = new ArrayList<>();
      for (JsonNode hit : found.json().path("hits")) {
        ids.add(hit.path("memory").path("id").asText());
      }
      return ids;
    }

    /** A memory's content on one replica, or null when it answers 404. */
    String content(int replica, String id) {
      Answer got = send(replica, "GET", "/v1/memories/" + id, null);
      if (got.status() == 404) {
        return null;
      }
      assertThat(got.status()).as(got.describe()).isEqualTo(200);
      return got.json().path("memory_content").asText();
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Store.class)
  void addsThroughOneReplicaAreFoundOnTheOthers(Store store) throws Exception {
    Caller caller = Caller.on(store);
    String first = caller.add(0, "The user keeps bees on the roof");
    // B and C now hold the user's partition: only the feed can bring them later adds
    awaitOn(caller, 1, "the first add", () -> caller.search(1, "bees").contains(first));
    awaitOn(caller, 2, "the first add", () -> caller.search(2, "bees").contains(first));

    List<Long> millis = new ArrayList<>();
    for (int i = 0; i < ADDS; i++) {
      String content = "Note " + i + " about the user's trip to city number " + (100 + i);
      String id = caller.add(0, content);
      long added = System.nanoTime();
      int reader = 1 + i % 2;
      awaitOn(caller, reader, "add " + i, () -> caller.search(reader, content).contains(id));
      millis.add((System.nanoTime() - added) / 1_000_000);
    }

    Collections.sort(millis);
    System.out.printf("[%s] an add through A shown on B or C after: p50 %d ms, max %d ms"
        + " (%d adds, searches polled back to back)%n", store, millis.get(millis.size() / 2),
        millis.get(millis.size() - 1), millis.size());
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Store.class)
  void anUpdateThroughBIsWhatAReturns(Store store) throws Exception {
    Caller caller = Caller.on(store);
    String id = caller.add(0, "The user drinks green tea");
    awaitOn(caller, 1, "the add", () -> "The user drinks green tea".equals(caller.content(1, id)));

    Answer updated = caller.send(1, "PUT", "/v1/memories/" + id,
        Map.of("memory_content", "The user drinks black coffee"));
    assertThat(updated.status()).as(updated.describe()).isEqualTo(200);

    awaitOn(caller, 0, "B's update", () -> "The user drinks black coffee"
        .equals(caller.content(0, id)) && caller.search(0, "black coffee").contains(id));
    assertThat(caller.search(0, "black coffee").get(0)).isEqualTo(id);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Store.class)
  void deletesAndDeleteAllsThroughCDisappearFromAAndB(Store store) throws Exception {
    Caller caller = Caller.on(store);
    String secret = caller.add(0, "The user's door code is 4711");
    String other = caller.add(0, "The user plays the cello");
    for (int replica = 0; replica < 3; replica++) {
      int on = replica;
      awaitOn(caller, on, "both adds", () -> caller.search(on, "door code").contains(secret)
          && caller.content(on, other) != null);
    }

    Answer deleted = caller.send(2, "DELETE", "/v1/memories/" + secret, null);
    assertThat(deleted.status()).as(deleted.describe()).isEqualTo(200);
    for (int replica = 0; replica < 2; replica++) {
      int on = replica;
      awaitOn(caller, on, "C's delete", () -> !caller.search(on, "door code").contains(secret)
          && caller.content(on, secret) == null);
    }

    Answer deletedAll = caller.send(2, "DELETE", "/v1/memories", null);
    assertThat(deletedAll.status()).as(deletedAll.describe()).isEqualTo(200);
    for (int replica = 0; replica < 2; replica++) {
      int on = replica;
      awaitOn(caller, on, "C's delete-all", () -> caller.search(on, "cello").isEmpty()
          && caller.content(on, other) == null);
    }
  }

  private static void awaitOn(Caller caller, int replica, String what, Check check)
      throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!check.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("replica " + replica + " of " + caller.cluster().store()
            + " did not show " + what + " within " + DEADLINE.toSeconds() + " s; its output:\n"
            + String.join("\n", caller.cluster().replica(replica).out()));
      }
      Thread.sleep(10);
    }
  }

  @FunctionalInterface
  private interface Check {
    boolean holds();
  }
}
