package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inmemory.server.TestServer.Answer;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The runnable server in a JVM of its own, on a durable store, killed with SIGKILL right after it
 * acknowledged an add, then started again on the same data, round after round: every add it
 * answered with 201 is readable by id with its content, listed for its user and found by search,
 * and the restarted server takes new writes.
 *
 * <p>Several client threads add one memory per request. The kill is aimed: the thread that
 * receives the add chosen at random (its position among all acknowledgements of the round) sends
 * the signal the moment the answer arrives, while the other threads' adds are in flight, so the
 * adds answered just before the kill are the ones checked hardest.
 *
 * <p>{@value #DEFAULT_ROUNDS} rounds per store by default; {@code -Dinmemory.test.kill-rounds=N}
 * runs N (see the module README). The test prints the rounds, acknowledged and found adds.
 */
class KillDurabilityTest {
  private static final int DEFAULT_ROUNDS = 6;
  private static final int ROUNDS = Integer.getInteger("inmemory.test.kill-rounds",
      DEFAULT_ROUNDS);
  private static final int CLIENTS = 4;
  /** The adds checked by semantic search: each client's last ones, closest to the kill. */
  private static final int SEARCHED_PER_CLIENT = 2;

  @TempDir
  Path dir;

  /** An add the server answered with 201. */
  private record Ack(String id, String user, String content, int round) {}

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"file", "h2"})
  void everyAcknowledgedAddSurvivesAKillRightAfterIt(String store) throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    List<Ack> acknowledged = new ArrayList<>();
    List<String> lost = new ArrayList<>();
    String key = null;
    for (int round = 0; round <= ROUNDS; round++) {
      ChildServer server = new ChildServer(dir, environment(store));
      try {
        int port = server.awaitPort();
        if (key == null) {
          key = TestServer.newKey(port, "p1");
        }
        // a loss is reported once, at the end with the totals, not again in every later round
        Map<Ack, List<String>> missing;
        try {
          missing = missing(port, key, acknowledged, round - 1);
        } catch (AssertionError e) {
          throw new AssertionError("reading round " + (round - 1) + " back failed (seed " + seed
              + "); server output: " + server.out() + " " + server.err(), e);
        }
        missing.forEach((ack, problems) -> lost.add(ack + ": " + String.join("; ", problems)));
        acknowledged.removeAll(missing.keySet());
        if (round == ROUNDS) {
          Answer added = add(port, key, "user-0", "written after the last restart", round);
          assertThat(added.status()).as(added.response().body()).isEqualTo(201);
          String id = added.json().at("/memory/id").asText();
          assertThat(TestServer.send(port, "GET", "/v1/memories/" + id + "?user_id=user-0", key,
              null, Map.of()).status()).isEqualTo(200);
          break;
        }
        int target = 20 + random.nextInt(200);
        List<Ack> acks = addUntilKilled(server, port, key, round, target);
        assertThat(acks).as("round %d of seed %d; server output: %s %s", round, seed,
            server.out(), server.err()).hasSizeGreaterThanOrEqualTo(target);
        acknowledged.addAll(acks);
      } finally {
        server.kill();
        server.awaitExit();
      }
    }
    int total = acknowledged.size() + lost.size();
    System.out.printf("kill -9 through the server on %s: %d rounds, %d adds acknowledged,"
        + " %d found%n", store, ROUNDS, total, acknowledged.size());
    assertThat(lost).as("acknowledged adds missing after a kill -9 (seed %d, %d rounds, %d"
        + " acknowledged)", seed, ROUNDS, total).isEmpty();
  }

  private Map<String, String> environment(String store) {
    Map<String, String> env = new LinkedHashMap<>(Map.of("INMEMORY_SERVER_MODE", "prod",
        "INMEMORY_ADMIN_KEY", TestServer.ADMIN, "INMEMORY_HOST", "127.0.0.1",
        "INMEMORY_PORT", "0", "INMEMORY_RATE_LIMIT_PER_MINUTE", "0",
        "INMEMORY_STORAGE_TYPE", store));
    switch (store) {
      case "file" -> env.put("INMEMORY_STORE_FILE_DIR", dir.resolve("file").toString());
      // H2 reuses the space of old chunks after half a second instead of 45 s, so the kills
      // land on a file laid out as a server's is after a minute of writes
      case "h2" -> env.put("INMEMORY_STORE_H2_URL", "jdbc:h2:file:"
          + dir.resolve("h2").resolve("inmemory").toAbsolutePath() + ";RETENTION_TIME=500");
      default -> throw new IllegalArgumentException(store);
    }
    return env;
  }

  /**
   * Adds from {@link #CLIENTS} threads until the add number {@code target} of the round is
   * answered, then kills the server from that thread at once; returns every add answered 201,
   * including those of other threads answered just before the kill.
   */
  private static List<Ack> addUntilKilled(ChildServer server, int port, String key, int round,
      int target) throws InterruptedException {
    ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
    AtomicInteger count = new AtomicInteger();
    AtomicBoolean killed = new AtomicBoolean();
    AtomicReference<String> failure = new AtomicReference<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    List<Thread> clients = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      String user = "user-" + c;
      Random words = new Random(round * 31L + c);
      Thread client = new Thread(() -> {
        for (int i = 0; !killed.get() && System.nanoTime() < deadline; i++) {
          String content = "round " + round + " note " + i + " of " + user + " about "
              + Long.toString(words.nextLong() & Long.MAX_VALUE, 36);
          Answer answer;
          try {
            answer = add(port, key, user, content, round);
          } catch (UncheckedIOException e) {
            return; // the server died: this add's outcome is unknown, so nothing is expected
          }
          if (answer.status() != 201) {
            failure.compareAndSet(null, answer.status() + " " + answer.response().body());
            return;
          }
          acks.add(new Ack(answer.json().at("/memory/id").asText(), user, content, round));
          if (count.incrementAndGet() == target) {
            killed.set(server.kill());
          }
        }
      }, "kill-client-" + c);
      client.start();
      clients.add(client);
    }
    for (Thread client : clients) {
      client.join();
    }
    assertThat(failure.get()).as("an add failed before the kill").isNull();
    assertThat(killed).as("the server was running when killed after %d adds; it answered %d",
        target, acks.size()).isTrue();
    return new ArrayList<>(acks);
  }

  /**
   * The acknowledged adds the restarted server lacks, each with what failed: every add of round
   * {@code round} is read by id and found by a tag search of its round, the last ones of each
   * client by a search for their content, and every add of every round is in its user's list.
   */
  private static Map<Ack, List<String>> missing(int port, String key, List<Ack> acknowledged,
      int round) {
    Map<Ack, List<String>> missing = new LinkedHashMap<>();
    Map<String, Set<String>> listed = new LinkedHashMap<>();
    Map<String, Set<String>> tagged = new LinkedHashMap<>();
    Map<String, List<Ack>> latest = new LinkedHashMap<>();
    for (Ack ack : acknowledged) {
      if (!listed.computeIfAbsent(ack.user(), user -> listed(port, key, user))
          .contains(ack.id())) {
        problem(missing, ack, "not listed");
      }
      if (ack.round() != round) {
        continue;
      }
      Answer read = TestServer.send(port, "GET", "/v1/memories/" + ack.id() + "?user_id="
          + ack.user(), key, null, Map.of());
      if (read.status() != 200 || !ack.content().equals(read.json().path("memory_content")
          .asText())) {
        problem(missing, ack, "GET by id answered " + read.status() + " "
            + read.response().body());
      }
      if (!tagged.computeIfAbsent(ack.user(), user -> hits(port, key, "/v1/memories/tag-search",
          Map.of("tags", List.of(tag(round)), "user_id", user, "limit", 1000)))
          .contains(ack.id())) {
        problem(missing, ack, "not found by tag search");
      }
      latest.computeIfAbsent(ack.user(), user -> new ArrayList<>()).add(ack);
    }
    for (List<Ack> acks : latest.values()) {
      for (Ack ack : acks.subList(Math.max(0, acks.size() - SEARCHED_PER_CLIENT), acks.size())) {
        if (!hits(port, key, "/v1/memories/search", Map.of("query", ack.content(), "user_id",
            ack.user(), "limit", 5)).contains(ack.id())) {
          problem(missing, ack, "not found by searching its content");
        }
      }
    }
    return missing;
  }

  private static void problem(Map<Ack, List<String>> missing, Ack ack, String problem) {
    missing.computeIfAbsent(ack, missed -> new ArrayList<>()).add(problem);
  }

  private static Answer add(int port, String key, String user, String content, int round) {
    return TestServer.send(port, "POST", "/v1/memories", key, Map.of("memory_content", content,
        "user_id", user, "tags", List.of(tag(round))), Map.of());
  }

  private static String tag(int round) {
    return "round-" + round;
  }

  private static Set<String> listed(int port, String key, String user) {
    Set<String> ids = new HashSet<>();
    for (int offset = 0; ; offset += 1000) {
      Answer page = TestServer.send(port, "GET", "/v1/memories?limit=1000&offset=" + offset
          + "&user_id=" + URLEncoder.encode(user, StandardCharsets.UTF_8), key, null, Map.of());
      assertThat(page.status()).as(page.response().body()).isEqualTo(200);
      page.json().path("items").forEach(item -> ids.add(item.path("id").asText()));
      if (!page.json().path("has_more").asBoolean()) {
        return ids;
      }
    }
  }

  private static Set<String> hits(int port, String key, String path, Map<String, Object> body) {
    Answer answer = TestServer.send(port, "POST", path, key, body, Map.of());
    assertThat(answer.status()).as(answer.response().body()).isEqualTo(200);
    Set<String> ids = new HashSet<>();
    for (JsonNode hit : answer.json().path("hits")) {
      ids.add(hit.at("/memory/id").asText());
    }
    return ids;
  }
}
