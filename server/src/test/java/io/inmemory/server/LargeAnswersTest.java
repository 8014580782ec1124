package io.inmemory.server;

import static io.inmemory.server.HeapLoad.HTTP;
import static io.inmemory.server.HeapLoad.LIVENESS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.inmemory.server.HeapLoad.Outcome;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable server in a JVM of its own with a small heap ({@value #HEAP}, exiting on the first
 * {@code OutOfMemoryError}) and a file store holding {@value #MEMORIES} memories of about 1 MB
 * and one memory changed {@value #UPDATES} times, hit from many threads at once with the reads
 * whose answers hold all of them: lists and searches with {@code limit=1000}, and the history of
 * the changed memory (each answer 25 to 33 MB of JSON). Every answer must be a 200 holding every
 * memory, whole, or a 503 {@code overloaded} with {@code Retry-After}; the server must stay alive
 * without an {@code OutOfMemoryError} and answer every {@code /v1/ping} meanwhile. Answers are
 * parsed as they arrive, so the test's own heap holds none of them whole.
 *
 * <p>The load lasts {@value #DEFAULT_SECONDS} s; {@code -Dinmemory.test.heap.seconds=N} runs it
 * longer.
 */
class LargeAnswersTest {
  private static final String HEAP = "-Xmx256m";
  private static final int DEFAULT_SECONDS = 4;
  private static final int THREADS = 16;
  private static final int MEMORIES = 32;
  private static final int UPDATES = 12;
  /** Content of each memory: under the default 1 MB limit, taking 1 MB of JSON. */
  private static final int CONTENT = 1_000_000;
  private static final String USER = "alice";

  @TempDir
  Path dir;

  /** What a complete answer holds: its entries and the characters of their contents. */
  private record Counted(int entries, long characters) {}

  @Test
  void answersHoldingEveryLargeMemoryAreSentWithoutTheHeapRunningOut() throws Exception {
    int seconds = HeapLoad.seconds(DEFAULT_SECONDS);
    try (ChildServer child = HeapLoad.child(dir, HEAP, Map.of("INMEMORY_STORAGE_TYPE", "file",
        "INMEMORY_STORE_FILE_DIR", dir.resolve("data").toString(),
        "INMEMORY_STORE_FILE_SYNC", "never"))) {
      int port = child.awaitPort();
      String key = TestServer.newKey(port, "heap", "read", "write");
      for (int i = 0; i < MEMORIES; i++) {
        add(port, key, content(i));
      }
      String changed = add(port, key, content(MEMORIES));
      for (int i = 1; i <= UPDATES; i++) {
        HttpResponse<String> update = HTTP.send(HttpRequest.newBuilder(
                URI.create(base(port) + "/v1/memories/" + changed + "?user_id=" + USER))
            .timeout(LIVENESS).header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(Json.write(Map.of(
                "memory_content", content(MEMORIES + i))))).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(update.statusCode()).as(update.body()).isEqualTo(200);
      }
      int stored = MEMORIES + 1;
      Counted all = new Counted(stored, (long) stored * CONTENT);
      // the history holds the content added, then each change's previous and new content
      Counted history = new Counted(UPDATES + 1, (2L * UPDATES + 1) * CONTENT);
      byte[] search = Json.write(Map.of("query", "large answers", "user_id", USER,
          "limit", 1000));
      byte[] tagSearch = Json.write(Map.of("tags", List.of("large"), "user_id", USER,
          "limit", 1000));
      Map<String, Callable<Outcome>> load = Map.of(
          "list", () -> read("list", get(port, key, "/v1/memories?limit=1000&user_id=" + USER),
              all, "memory_content"),
          "search", () -> read("search", HeapLoad.request(port, "/v1/memories/search", key,
              search), all, "memory_content"),
          "tag search", () -> read("tag search", HeapLoad.request(port,
              "/v1/memories/tag-search", key, tagSearch), all, "memory_content"),
          "history", () -> read("history", get(port, key, "/v1/memories/" + changed
              + "/history?user_id=" + USER), history, "previous_content", "new_content"));

      HeapLoad run = new HeapLoad().run(port, load, THREADS, seconds,
          () -> read("normal", get(port, key, "/v1/memories?limit=1&user_id=" + USER),
              new Counted(1, CONTENT), "memory_content").status());

      run.report("LargeAnswersTest (" + HEAP + ")");
      run.assertSurvived(child, 200, 503);
      assertThat(run.outcomes()).extracting(Outcome::kind).contains("list", "search",
          "tag search", "history");
      assertThat(run.outcomes()).extracting(Outcome::status).contains(200);
      assertThat(run.normal()).isNotEmpty();
      assertThat(read("after", get(port, key, "/v1/memories?limit=1000&user_id=" + USER), all,
          "memory_content").status()).isEqualTo(200);
    }
  }

  /**
   * {@value #CONTENT} characters told apart by {@code n}: words of 10,000 letters, each one word
   * piece ({@code [UNK]}) for the embedder, so that storing takes seconds, not minutes.
   */
  private static String content(int n) {
    StringBuilder text = new StringBuilder("Memory number " + n + " about large answers:");
    String word = " " + "abcdefghij".repeat(1000);
    while (text.length() < CONTENT) {
      text.append(word);
    }
    text.setLength(CONTENT);
    return text.toString();
  }

  private static String add(int port, String key, String content) throws Exception {
    HttpResponse<String> added = HTTP.send(HeapLoad.request(port, "/v1/memories", key,
        Json.write(Map.of("memory_content", content, "user_id", USER, "tags", List.of("large")))),
        HttpResponse.BodyHandlers.ofString());
    assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
    return Json.MAPPER.readTree(added.body()).path("memory").path("id").asText();
  }

  private static String base(int port) {
    return "http://127.0.0.1:" + port;
  }

  private static HttpRequest get(int port, String key, String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create(base(port) + pathAndQuery)).timeout(LIVENESS)
        .header("Authorization", "Bearer " + key).GET().build();
  }

  /**
   * Sends {@code request} and reads its answer as it arrives: a 200 must hold
   * {@code expected}, counting the string members named {@code fields}.
   *
   * @throws IllegalStateException when a 200 is incomplete or holds something else
   */
  private static Outcome read(String kind, HttpRequest request, Counted expected,
      String... fields) throws IOException, InterruptedException {
    HttpResponse<InputStream> answer = HTTP.send(request,
        HttpResponse.BodyHandlers.ofInputStream());
    String type = null;
    try (InputStream body = answer.body()) {
      if (answer.statusCode() == 200) {
        Counted counted = count(body, List.of(fields));
        if (!counted.equals(expected)) {
          throw new IllegalStateException(kind + " answered " + counted + ", not " + expected);
        }
      } else {
        type = Json.MAPPER.readTree(body).path("type").asText(null);
      }
    }
    return new Outcome(kind, answer.statusCode(), type,
        answer.headers().firstValue("Retry-After").orElse(null));
  }

  /** Counts the entries (the first of {@code fields}) and the characters of all of them. */
  private static Counted count(InputStream json, List<String> fields) throws IOException {
    int entries = 0;
    long characters = 0;
    try (JsonParser parser = Json.MAPPER.getFactory().createParser(json)) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (token == JsonToken.FIELD_NAME && fields.contains(parser.currentName())) {
          entries += parser.currentName().equals(fields.get(0)) ? 1 : 0;
          if (parser.nextToken() == JsonToken.VALUE_STRING) {
            characters += parser.getTextLength();
          }
        }
      }
    }
    return new Counted(entries, characters);
  }
}
