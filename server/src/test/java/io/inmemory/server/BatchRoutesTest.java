package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inmemory.HistoryEntry;
import io.inmemory.StorageException;
import io.inmemory.engine.spi.ChangeSet;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.tck.ForwardingStore;
import io.inmemory.engine.tck.HashingEmbedder;
import io.inmemory.server.TestServer.Answer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code PUT /v1/memories/batch} and {@code POST /v1/memories/batch/delete} over real HTTP: up to
 * max-batch-size items, a result per item, a failing owner's items failed with none of them
 * half-applied while the others are applied, and an envelope that is wrong as a whole refused
 * with nothing changed.
 */
class BatchRoutesTest {
  /** The memory whose writes the store fails (and with them the rest of their store call). */
  private volatile String poisoned = "";
  private final MemoryStore store = new ForwardingStore(TestServer.volatileStore()) {
    @Override
    public void commit(ChangeSet changes) {
      failFor(changes.replaced().stream().map(memory -> memory.id()).toList());
      super.commit(changes);
    }

    @Override
    public int delete(PartitionKey partition, List<String> ids, List<HistoryEntry> entries) {
      failFor(ids);
      return super.delete(partition, ids, entries);
    }

    private void failFor(List<String> ids) {
      if (ids.contains(poisoned)) {
        throw new StorageException("the disk under " + poisoned + " is full");
      }
    }
  };
  private final TestServer server = new TestServer(config -> { }, store, new HashingEmbedder());
  private final String key = server.newKey("p1");

  @AfterEach
  void close() {
    server.close();
  }

  /** Adds {@code count} memories of {@code userId} in one call; returns their ids. */
  private List<String> addMany(String userId, int count) {
    List<Object> memories = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      memories.add(Map.of("memory_content", userId + " fact " + i, "user_id", userId));
    }
    Answer added = server.post("/v1/memories/batch", key, Map.of("memories", memories));
    assertThat(added.status()).as(added.describe()).isEqualTo(201);
    return StreamSupport.stream(added.json().get("results").spliterator(), false)
        .map(result -> result.path("memory").path("id").asText()).toList();
  }

  private static Map<String, Object> update(String id, String userId, String content) {
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("memory_id", id);
    item.put("user_id", userId);
    item.put("memory_content", content);
    return item;
  }

  private JsonNode history(String id, String userId) {
    return server.get("/v1/memories/" + id + "/history?user_id=" + userId, key).json()
        .get("entries");
  }

  private String content(String id, String userId) {
    return server.get("/v1/memories/" + id + "?user_id=" + userId, key).json()
        .get("memory_content").asText();
  }

  private static List<Integer> statuses(Answer answer) {
    return StreamSupport.stream(answer.json().get("results").spliterator(), false)
        .map(result -> result.get("status").asInt()).toList();
  }

  @Test
  void aThousandItemsAreUpdatedThenDeletedWithAResultEach() {
    List<String> ids = addMany("alice", 1000);
    List<Object> updates = ids.stream()
        .map(id -> (Object) update(id, "alice", "changed " + id)).toList();

    Answer updated = server.send("PUT", "/v1/memories/batch", key, Map.of("memories", updates));

    assertThat(updated.status()).as(updated.describe()).isEqualTo(200);
    assertThat(updated.json().get("succeeded").asInt()).isEqualTo(1000);
    assertThat(updated.json().get("failed").asInt()).isZero();
    JsonNode last = updated.json().get("results").get(999);
    assertThat(last.get("memory_id").asText()).isEqualTo(ids.get(999));
    assertThat(last.get("memory").get("memory_content").asText())
        .isEqualTo("changed " + ids.get(999));
    assertThat(content(ids.get(500), "alice")).isEqualTo("changed " + ids.get(500));

    List<Object> deletes = ids.stream()
        .map(id -> (Object) Map.of("memory_id", id)).toList();
    Answer deleted = server.post("/v1/memories/batch/delete", key,
        Map.of("user_id", "alice", "memories", deletes));

    assertThat(deleted.status()).as(deleted.describe()).isEqualTo(200);
    assertThat(statuses(deleted)).hasSize(1000).containsOnly(200);
    assertThat(server.get("/v1/memories?user_id=alice", key).json().get("total").asInt())
        .isZero();
    assertThat(history(ids.get(0), "alice")).extracting(entry -> entry.get("event").asText())
        .containsExactly("add", "update", "delete");
  }

  @Test
  void moreItemsThanTheBatchSizeAreRefusedWholeAndNothingChanges() {
    List<String> ids = addMany("alice", 1000);
    List<Object> updates = new ArrayList<>(ids.stream()
        .map(id -> (Object) update(id, "alice", "changed")).toList());
    updates.add(update(UUID.randomUUID().toString(), "alice", "one too many"));

    Answer refused = server.send("PUT", "/v1/memories/batch", key, Map.of("memories", updates));
    Answer refusedDelete = server.post("/v1/memories/batch/delete", key, Map.of("user_id",
        "alice", "memories", updates.stream().map(u -> Map.of("memory_id",
            ((Map<?, ?>) u).get("memory_id"))).toList()));

    assertThat(refused.status()).as(refused.describe()).isEqualTo(413);
    assertThat(refused.json().get("violations").get(0).get("field").asText())
        .isEqualTo("requests");
    assertThat(refusedDelete.status()).isEqualTo(413);
    assertThat(content(ids.get(0), "alice")).isEqualTo("alice fact 0");
    assertThat(server.get("/v1/memories?user_id=alice", key).json().get("total").asInt())
        .isEqualTo(1000);
    assertThat(history(ids.get(999), "alice")).hasSize(1);
  }

  @Test
  void aFailingOwnersItemsFailTogetherAndTheOthersAreApplied() {
    String alices = addMany("alice", 1).get(0);
    List<String> bobs = addMany("bob", 2);
    String carols = addMany("carol", 1).get(0);
    poisoned = bobs.get(1);

    Answer answer = server.send("PUT", "/v1/memories/batch", key, Map.of("memories", List.of(
        update(alices, "alice", "alice changed"), update(bobs.get(0), "bob", "bob changed"),
        update(carols, "carol", "carol changed"), update(bobs.get(1), "bob", "bob too"),
        update(UUID.randomUUID().toString(), "carol", "nobody's"),
        Map.of("user_id", "carol", "memory_content", "no id"))));

    assertThat(answer.status()).as(answer.describe()).isEqualTo(200);
    assertThat(statuses(answer)).containsExactly(200, 503, 200, 503, 404, 400);
    JsonNode bobsProblem = answer.json().get("results").get(1).get("problem");
    assertThat(bobsProblem.get("type").asText()).endsWith("storage-unavailable");
    assertThat(bobsProblem.get("detail").asText()).doesNotContain("disk");
    assertThat(answer.json().get("results").get(5).get("problem").get("violations").get(0)
        .get("field").asText()).isEqualTo("memoryId");
    assertThat(answer.json().get("succeeded").asInt()).isEqualTo(2);
    assertThat(answer.json().get("failed").asInt()).isEqualTo(4);
    assertThat(content(alices, "alice")).isEqualTo("alice changed");
    assertThat(content(carols, "carol")).isEqualTo("carol changed");
    assertThat(content(bobs.get(0), "bob")).isEqualTo("bob fact 0");
    assertThat(content(bobs.get(1), "bob")).isEqualTo("bob fact 1");
    assertThat(history(bobs.get(0), "bob")).hasSize(1);

    Answer deleted = server.post("/v1/memories/batch/delete", key, Map.of("memories", List.of(
        Map.of("memory_id", bobs.get(0), "user_id", "bob"),
        Map.of("memory_id", carols, "user_id", "carol"),
        Map.of("memory_id", bobs.get(1), "user_id", "bob"))));
    assertThat(statuses(deleted)).containsExactly(503, 200, 503);
    assertThat(content(bobs.get(0), "bob")).isEqualTo("bob fact 0");
  }

  @Test
  void aRetriedBatchWithItsIdempotencyKeyIsAppliedOnce() {
    String id = addMany("alice", 1).get(0);
    Map<String, Object> body = Map.of("memories", List.of(update(id, "alice", "changed")));

    Answer first = server.send("PUT", "/v1/memories/batch", key, body,
        Map.of(Idempotency.HEADER, "batch-1"));
    Answer retry = server.send("PUT", "/v1/memories/batch", key, body,
        Map.of(Idempotency.HEADER, "batch-1"));

    assertThat(retry.header(Idempotency.REPLAYED_HEADER)).isEqualTo("true");
    assertThat(retry.response().body()).isEqualTo(first.response().body());
    assertThat(history(id, "alice")).hasSize(2);
  }

  @Test
  void aMemoryNamedTwiceOrABadEnvelopeIsRefusedWhole() {
    String id = addMany("alice", 1).get(0);

    Answer twice = server.send("PUT", "/v1/memories/batch", key, Map.of("memories",
        List.of(update(id, "alice", "a"), update(id, "alice", "b"))));
    Answer notAList = server.send("PUT", "/v1/memories/batch", key,
        Map.of("memories", "all of them"));
    Answer unknown = server.post("/v1/memories/batch/delete", key,
        Map.of("memories", List.of(), "colour", "red"));

    assertThat(twice.status()).isEqualTo(400);
    assertThat(twice.json().get("violations").get(0).get("field").asText()).isEqualTo("items");
    assertThat(notAList.status()).isEqualTo(400);
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(content(id, "alice")).isEqualTo("alice fact 0");
    assertThat(IntStream.of(history(id, "alice").size())).containsExactly(1);
  }
}
