package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.AddRequest;
import io.inmemory.ArchivedMemory;
import io.inmemory.ExportRequest;
import io.inmemory.HistoryEntry;
import io.inmemory.InMemoryConfig;
import io.inmemory.MemoryArchive;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryClients;
import io.inmemory.RestoreResult;
import io.inmemory.Scope;
import io.inmemory.StorageException;
import io.inmemory.TransportException;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.tck.ForwardingStore;
import io.inmemory.engine.tck.HashingEmbedder;
import io.inmemory.server.TestServer.Answer;
import io.inmemory.transport.http.Inmry;
import io.inmemory.wire.ArchiveJson;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/export} and {@code POST /v1/import} over real HTTP: a project or scope streamed
 * as JSON Lines (header, memories, deleted memories' histories, end line), seen only by keys of
 * the project (or an admin naming it), and imported into another project idempotently, line by
 * line; and the managed client's {@link MemoryArchive} over them.
 */
class ArchiveRoutesTest {
  private static final Map<String, String> NDJSON = Map.of("Content-Type",
      ArchiveJson.MEDIA_TYPE);

  /** A server whose clock runs a year behind: what it stamps is told apart from the machine's. */
  private static final Duration BEHIND = Duration.ofDays(365);

  private final TestServer server = new TestServer(config -> { }, TestServer.volatileStore(),
      new HashingEmbedder(), TestServer.MAX_MEMORY_SIZE,
      Clock.offset(Clock.systemUTC(), BEHIND.negated()));
  private final String key = server.newKey("p1");
  private final String other = server.newKey("p2");

  @AfterEach
  void close() {
    server.close();
  }

  /** Alice's two memories (one updated), one deleted; bob's only memory deleted; a bot's own. */
  private void populate() {
    String tea = server.add(key, "alice", "Likes tea", Map.of("tags", List.of("drinks")));
    server.send("PUT", "/v1/memories/" + tea + "?user_id=alice", key,
        Map.of("memory_content", "Likes green tea"));
    server.add(key, "alice", "Lives in Lyon", Map.of("session_id", "s1"));
    String bike = server.add(key, "alice", "Owns a bike", Map.of());
    server.send("DELETE", "/v1/memories/" + bike + "?user_id=alice", key, null);
    String bobs = server.add(key, "bob", "Bob's only memory", Map.of());
    server.send("DELETE", "/v1/memories/" + bobs + "?user_id=bob", key, null);
    Answer bot = server.post("/v1/memories", key,
        Map.of("memory_content", "Answer in French", "agent_id", "bot"));
    assertThat(bot.status()).isEqualTo(201);
  }

  private List<String> export(String query, String apiKey) {
    Answer answer = server.get("/v1/export" + query, apiKey);
    assertThat(answer.status()).as(answer.describe()).isEqualTo(200);
    assertThat(answer.header("Content-Type")).startsWith(ArchiveJson.MEDIA_TYPE);
    assertThat(answer.header("Content-Length")).as("streamed in chunks").isNull();
    assertThat(answer.response().body()).endsWith("\n");
    return Arrays.asList(answer.response().body().split("\n"));
  }

  private static List<String> kinds(List<String> lines) {
    return lines.stream().map(line -> ArchiveJson.read(line)).map(line ->
        line instanceof ArchiveJson.Entry entry ? (entry.memory().isDeleted()
            ? "deleted " + entry.memory().history().get(0).newContent()
            : "memory " + entry.memory().memory().content())
            : line.getClass().getSimpleName()).toList();
  }

  private static List<String> outcomes(Answer answer) {
    List<String> outcomes = new ArrayList<>();
    answer.json().get("results").forEach(result -> outcomes.add(result.get("outcome").asText()));
    return outcomes;
  }

  @Test
  void aProjectIsExportedAsJsonLinesWithDeletedMemoriesAndAnEndLine() {
    populate();

    List<String> lines = export("", key);

    assertThat(kinds(lines)).containsExactly("Header", "memory Likes green tea", "memory Lives in Lyon",
        "deleted Owns a bike", "deleted Bob's only memory", "memory Answer in French", "End");
    ArchiveJson.Header header = (ArchiveJson.Header) ArchiveJson.read(lines.get(0));
    assertThat(header.namespace()).isEqualTo("p1");
    assertThat(header.scope()).isNull();
    assertThat(header.exportedAt()).as("stamped by the server's clock")
        .isBefore(Instant.now().minus(BEHIND).plusSeconds(60));
    assertThat(ArchiveJson.read(lines.get(lines.size() - 1)))
        .isEqualTo(new ArchiveJson.End(3, 2));
    ArchivedMemory tea = ((ArchiveJson.Entry) ArchiveJson.read(lines.get(1))).memory();
    assertThat(tea.memory().content()).isEqualTo("Likes green tea");
    assertThat(tea.history()).hasSize(2);
    assertThat(tea.embedding().embedderId()).isEqualTo("hashing:1");

    assertThat(kinds(export("?user_id=alice&include_embeddings=false", key)))
        .containsExactly("Header", "memory Likes green tea", "memory Lives in Lyon",
            "deleted Owns a bike", "End");
    assertThat(kinds(export("?user_id=alice&session_id=s1", key)))
        .containsExactly("Header", "memory Lives in Lyon", "End");
    assertThat(kinds(export("?include_history=false", key))).containsExactly("Header",
        "memory Likes green tea", "memory Lives in Lyon", "memory Answer in French", "End");
    assertThat(server.get("/v1/export?include_deleted=maybe", key).status()).isEqualTo(400);
  }

  @Test
  void onlyTheProjectsKeysOrAnAdminNamingItSeeItsMemories() {
    populate();

    assertThat(kinds(export("", other))).containsExactly("Header", "End");
    assertThat(server.get("/v1/export?project_id=p1", other).status()).isEqualTo(403);
    assertThat(kinds(export("?project_id=p1", TestServer.ADMIN))).hasSize(7);
    assertThat(server.get("/v1/export", server.newKey("p1", "write")).status())
        .isEqualTo(403);
  }

  @Test
  void anImportIntoAnotherProjectGivesBackTheSameExportAndARerunChangesNothing() {
    populate();
    List<String> exported = export("", key);
    String body = String.join("\n", exported) + "\n";

    Answer first = server.send("POST", "/v1/import", other, body, NDJSON);
    Answer second = server.send("POST", "/v1/import?import_run=r1&final=true", other, body,
        NDJSON);

    assertThat(first.status()).as(first.describe()).isEqualTo(200);
    assertThat(outcomes(first)).containsOnly("restored").hasSize(5);
    assertThat(first.json().get("results").get(0).get("line").asInt()).isEqualTo(2);
    assertThat(first.json().get("counts").get("restored").asInt()).isEqualTo(5);
    assertThat(outcomes(second)).containsOnly("unchanged").hasSize(5);
    List<String> imported = export("", other);
    assertThat(imported.subList(1, imported.size()))
        .isEqualTo(exported.subList(1, exported.size()));
  }

  @Test
  void badLinesAreInvalidAloneAndABadBodyIsRefusedWhole() {
    populate();
    List<String> exported = export("?user_id=alice", key);
    String tea = exported.get(1);

    Answer answer = server.send("POST", "/v1/import", other,
        "not json\n\n" + tea + "\n{\"kind\":\"memory\",\"id\":\"x\"}\n", NDJSON);
    Answer json = server.send("POST", "/v1/import", other, tea, Map.of());
    Answer tooMany = server.send("POST", "/v1/import", other, String.join("\n",
        IntStream.range(0, 1001).mapToObj(i -> tea).toList()), NDJSON);

    assertThat(answer.status()).as(answer.describe()).isEqualTo(200);
    assertThat(outcomes(answer)).containsExactly("invalid", "restored", "invalid");
    assertThat(answer.json().get("results").get(1).get("line").asInt()).isEqualTo(3);
    assertThat(answer.json().get("results").get(0).get("problem").asText())
        .contains("not one JSON object");
    assertThat(json.status()).isEqualTo(415);
    assertThat(tooMany.status()).isEqualTo(413);
  }

  @Test
  void theManagedClientExportsAndRestoresThroughTheServer() {
    populate();
    try (MemoryClient source = client(key); MemoryClient target = client(other)) {
      MemoryArchive from = MemoryClients.archive(source);
      MemoryArchive to = MemoryClients.archive(target);
      List<ArchivedMemory> exported = new ArrayList<>();
      from.export(ExportRequest.all(), exported::add);

      List<RestoreResult> restored = to.restore(exported);

      assertThat(exported).hasSize(5);
      assertThat(restored).extracting(RestoreResult::outcome)
          .containsOnly(RestoreResult.Outcome.RESTORED);
      List<ArchivedMemory> back = new ArrayList<>();
      to.export(ExportRequest.all(), back::add);
      assertThat(back).isEqualTo(exported);
      List<ArchivedMemory> alices = new ArrayList<>();
      to.export(ExportRequest.of(Scope.user("alice")), alices::add);
      assertThat(alices).isEqualTo(exported.subList(0, 3));
      assertThat(to.restore(exported)).extracting(RestoreResult::outcome)
          .containsOnly(RestoreResult.Outcome.UNCHANGED);
    }
  }

  @Test
  void anExportThatFailsPartWayNeverLooksWhole() {
    MemoryStore failing = new ForwardingStore(TestServer.volatileStore()) {
      @Override
      public Map<String, List<HistoryEntry>> histories(PartitionKey partition) {
        if (partition.owner().equals("zed")) {
          throw new StorageException("the disk under zed is gone");
        }
        return super.histories(partition);
      }
    };
    try (TestServer broken = new TestServer(config -> { }, failing, new HashingEmbedder())) {
      String brokenKey = broken.newKey("p1");
      // more than the 64 KB buffer, so the answer is under way when zed's partition fails
      broken.memory.namespace("p1").addAll(IntStream.range(0, 300).mapToObj(i ->
          AddRequest.of("Filling the buffer, memory " + i + " ".repeat(300), "alice")).toList());
      broken.add(brokenKey, "zed", "Unreadable", Map.of());
      try (MemoryClient client = Inmry.builder()
          .baseUrl("http://127.0.0.1:" + broken.server.port()).apiKey(brokenKey)
          .config(InMemoryConfig.builder().isolated().build()).build()) {
        List<ArchivedMemory> seen = new ArrayList<>();

        assertThatThrownBy(() -> MemoryClients.archive(client).export(ExportRequest.all(),
            seen::add)).isInstanceOf(TransportException.class);
        assertThat(seen).hasSizeBetween(1, 300);
      }
    }
  }

  private MemoryClient client(String apiKey) {
    return Inmry.builder().baseUrl("http://127.0.0.1:" + server.server.port()).apiKey(apiKey)
        .config(InMemoryConfig.builder().isolated().build()).build();
  }
}
