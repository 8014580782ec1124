package io.inmemory.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inmemory.bench.SoakWorkload.Operation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class SoakWorkloadTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void textsDoNotRepeatWithinTheirRangeAndReadAsSentences() {
    Set<String> contents = new HashSet<>();
    LongStream.range(0, SoakWorkload.CONTENTS).forEach(n -> contents.add(SoakWorkload.content(n)));
    Set<String> queries = new HashSet<>();
    LongStream.range(0, SoakWorkload.QUERIES).forEach(n -> queries.add(SoakWorkload.query(n)));

    assertThat(contents).hasSize(SoakWorkload.CONTENTS);
    assertThat(queries).hasSize(SoakWorkload.QUERIES);
    assertThat(SoakWorkload.content(SoakWorkload.CONTENTS + 5L))
        .isEqualTo(SoakWorkload.content(5));
    assertThat(SoakWorkload.content(1)).matches("[A-Z][a-z]+ .* to .*\\.")
        .isNotEqualTo(SoakWorkload.content(2));
    assertThat(SoakWorkload.query(1)).matches("[A-Z].*\\?");
  }

  @Test
  void usersGetZipfShares() {
    SoakWorkload workload = new SoakWorkload("key", 4, 1, 0, 0);
    int[] picked = new int[4];
    LongStream.range(0, 120_000).forEach(n -> picked[workload.userOf(n)]++);

    // weights 1, 1/2, 1/3, 1/4 of 25/12
    assertThat(workload.shares(100)).containsExactly(48, 24, 16, 12);
    assertThat(workload.shares(7)).containsExactly(3, 2, 1, 1);
    double[] expected = {0.48, 0.24, 0.16, 0.12};
    for (int k = 0; k < 4; k++) {
      assertThat(picked[k] / 120_000.0).as("user %d", k).isCloseTo(expected[k],
          org.assertj.core.data.Offset.offset(0.01));
    }
    assertThat(workload.userOf(17)).isEqualTo(workload.userOf(17));
  }

  @Test
  void searchesAskNewQuestionsAtTheirShareNeverTheWarmUpOnes() {
    SoakWorkload workload = new SoakWorkload("key", 3, 5, 0.25, 20);
    Set<String> warm = new HashSet<>();
    LongStream.range(0, 20).forEach(n -> warm.add(question(workload.warmUpQueries().apply(n))));
    List<String> asked = new ArrayList<>();
    LongStream.range(0, 200).forEach(n ->
        asked.add(question(workload.requests(Operation.SEARCH).apply(n))));

    Set<String> repeated = new HashSet<>();
    LongStream.range(0, 5).forEach(n -> repeated.add(SoakWorkload.query(n)));
    List<String> fresh = asked.stream().filter(q -> !repeated.contains(q)).toList();
    assertThat(fresh).hasSize(50).doesNotHaveDuplicates().noneMatch(warm::contains);
    assertThat(warm).containsAll(repeated);
  }

  @Test
  void updatesAndDeletesNeverMeetAndEveryChangeIsCounted() {
    SoakWorkload workload = new SoakWorkload("key", 2, 1, 0, 0);
    List<HttpConnection.Request> seeds = workload.seedRequests(6);
    assertThat(seeds).hasSize(1);
    workload.seeded(seeds.get(0), answer(seeds.get(0)));
    assertThat(workload.held()).containsExactly(Map.entry("soak-user-0", 4L),
        Map.entry("soak-user-1", 2L));

    // half the seeds are updated, the other half deleted, once each
    Set<String> updated = new HashSet<>();
    IntStream.range(0, 200).forEach(n -> updated.add(id(workload.requests(Operation.UPDATE)
        .apply(n))));
    List<HttpConnection.Request> deletes = IntStream.range(0, 3)
        .mapToObj(n -> workload.requests(Operation.DELETE).apply(n)).toList();
    assertThat(updated).hasSize(3);
    assertThat(deletes).extracting(SoakWorkloadTest::id).doesNotHaveDuplicates()
        .noneMatch(updated::contains);
    assertThatThrownBy(() -> workload.requests(Operation.DELETE).apply(3))
        .hasMessageContaining("no memory left to delete");

    deletes.forEach(d -> workload.check(Operation.DELETE).accept(d,
        new HttpConnection.Response(200, "{\"deleted\":true}")));
    assertThat(workload.heldTotal()).isEqualTo(3);
    assertThatThrownBy(() -> workload.check(Operation.DELETE).accept(deletes.get(0),
        new HttpConnection.Response(200, "{\"deleted\":false}")))
        .hasMessageContaining("not deleted");

    // an add is counted and becomes deletable; updates never pick it
    HttpConnection.Request add = workload.requests(Operation.ADD).apply(0);
    workload.check(Operation.ADD).accept(add, new HttpConnection.Response(201,
        "{\"memory\":" + stored(readTree(add.json())) + "}"));
    assertThat(workload.heldTotal()).isEqualTo(4);
    assertThat(id(workload.requests(Operation.DELETE).apply(4))).isNotIn(updated);
  }

  @Test
  void anAddedMemoryIsDeletedOnlyOnceItIsOldEnough() throws InterruptedException {
    SoakWorkload workload = new SoakWorkload("key", 1, 1, 0, 0, Duration.ofMillis(300));
    HttpConnection.Request add = workload.requests(Operation.ADD).apply(0);
    workload.check(Operation.ADD).accept(add, new HttpConnection.Response(201,
        "{\"memory\":" + stored(readTree(add.json())) + "}"));

    // a replica behind a balancer may not have seen it yet
    assertThatThrownBy(() -> workload.requests(Operation.DELETE).apply(0))
        .hasMessageContaining("1 added ones are younger than the minimum age");
    Thread.sleep(400);
    assertThat(workload.requests(Operation.DELETE).apply(1).method()).isEqualTo("DELETE");
  }

  @Test
  void answersThatAreNotWhatWasSentAreRejected() {
    SoakWorkload workload = new SoakWorkload("key", 2, 1, 0, 0);
    HttpConnection.Request add = workload.requests(Operation.ADD).apply(0);
    ObjectNode wrong = stored(readTree(add.json()));
    wrong.put("memory_content", "something else");
    assertThatThrownBy(() -> workload.check(Operation.ADD).accept(add,
        new HttpConnection.Response(201, "{\"memory\":" + wrong + "}")))
        .hasMessageContaining("not the one sent");

    HttpConnection.Request search = workload.requests(Operation.SEARCH).apply(0);
    String user = readTree(search.json()).get("user_id").asText();
    String other = user.equals("soak-user-0") ? "soak-user-1" : "soak-user-0";
    workload.check(Operation.SEARCH).accept(search, new HttpConnection.Response(200,
        "{\"hits\":[{\"memory\":{\"user_id\":\"" + user + "\"},\"score\":0.5}]}"));
    assertThatThrownBy(() -> workload.check(Operation.SEARCH).accept(search,
        new HttpConnection.Response(200,
            "{\"hits\":[{\"memory\":{\"user_id\":\"" + other + "\"},\"score\":0.5}]}")))
        .hasMessageContaining("another user");
    assertThatThrownBy(() -> workload.check(Operation.SEARCH).accept(search,
        new HttpConnection.Response(200, "[]")))
        .hasMessageContaining("at most 10 hits");
  }

  /** The server's answer to a seeding batch: each memory as sent, with a new id. */
  private static HttpConnection.Response answer(HttpConnection.Request batch) {
    ArrayNode results = JSON.createArrayNode();
    readTree(batch.json()).get("memories")
        .forEach(m -> results.addObject().set("memory", stored(m)));
    return new HttpConnection.Response(201, "{\"results\":" + results + "}");
  }

  private static ObjectNode stored(JsonNode sent) {
    ObjectNode memory = sent.deepCopy();
    memory.put("id", UUID.randomUUID().toString());
    return memory;
  }

  private static String question(HttpConnection.Request search) {
    return readTree(search.json()).get("query").asText();
  }

  private static String id(HttpConnection.Request request) {
    return request.path().substring("/v1/memories/".length(), request.path().indexOf('?'));
  }

  private static JsonNode readTree(String json) {
    try {
      return JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
