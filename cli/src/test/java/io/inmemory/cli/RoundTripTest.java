package io.inmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.inmemory.cli.Cli.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Export, then import into an empty store of another kind: file store → H2 → MongoDB (the
 * stand-in), with and without embeddings. The exports are the same line for line, and every
 * store answers the same listings, searches, histories (deleted memories' too) and stats. Then an
 * import run again, a file cut short, and mem0's two export shapes.
 */
class RoundTripTest {
  private static final String AT = "2026-12-07T12:00:00Z";

  private final Cli cli = Cli.hashing();

  @TempDir
  Path dir;

  private MongoServer mongo;
  private String mongoUrl;

  @BeforeEach
  void startMongo() {
    mongo = new MongoServer(new MemoryBackend());
    mongo.bind("127.0.0.1", 0);
    mongoUrl = "mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort()
        + "/?serverSelectionTimeoutMS=5000";
  }

  @AfterEach
  void stopMongo() {
    mongo.shutdownNow();
  }

  private Run ok(String... args) {
    Run run = cli.run(args);
    assertThat(run.status()).as("%s", run).isZero();
    return run;
  }

  private String add(String[] where, String... args) {
    List<String> all = new ArrayList<>(List.of("add"));
    all.addAll(List.of(args));
    all.addAll(List.of(where));
    all.add("--json");
    return ok(all.toArray(String[]::new)).json().at("/memory/id").asText();
  }

  @Test
  void fileToH2ToMongoGivesBackTheSameMemoriesAnswersAndHistories() throws Exception {
    String[] file = {"--dir", dir.resolve("file").toString()};
    // each memory's id and owner
    Map<String, String[]> ids = new LinkedHashMap<>();
    String[] alice = {"--user", "alice"};
    String[] bob = {"--user", "bob"};
    ids.put(add(file, "Alice moved to Lisbon in 2021", "--user", "alice", "--tag", "home",
        "--meta", "floor=3", "--created-at", "2021-03-01T10:00:00Z"), alice);
    ids.put(add(file, "Alice is allergic to peanuts", "--user", "alice", "--tag", "health",
        "--person", "Alice", "--topic", "food", "--meta", "severity=2",
        "--created-at", "2026-11-30T09:00:00Z", "--valid-from", "2026-11-01T00:00:00Z"), alice);
    ids.put(add(file, "Alice asked the bot to book a table", "--user", "alice", "--agent", "bot",
        "--session", "s1", "--role", "user"), new String[] {"--user", "alice", "--agent", "bot"});
    ids.put(add(file, "The bot prefers short answers", "--agent", "bot"),
        new String[] {"--agent", "bot"});
    ids.put(add(file, "Bob plays the cello", "--user", "bob", "--tag", "music"), bob);
    String gone = add(file, "Bob lived in Oslo", "--user", "bob");
    ids.put(gone, bob);
    ok("delete", gone, "--user", "bob", file[0], file[1]);

    String[] h2 = {"--store-url", "jdbc:h2:file:" + dir.resolve("h2/db")};
    String[] mongoDb = {"--store-url", mongoUrl, "-Dinmemory.store.mongo.database=roundtrip"};
    Path a = export(file, "a.jsonl");
    Run imported = ok(join(new String[] {"import", a.toString(), "--no-progress", "--json"}, h2));
    assertThat(imported.json().get("imported").asInt()).isEqualTo(ids.size());
    Path b = export(h2, "b.jsonl");
    ok(join(new String[] {"import", b.toString(), "--no-progress"}, mongoDb));
    Path c = export(mongoDb, "c.jsonl");
    assertThat(body(b)).isEqualTo(body(a));
    assertThat(body(c)).isEqualTo(body(a));
    assertThat(body(a)).hasSize(ids.size() + 1).anySatisfy(line ->
        assertThat(line).contains("\"kind\":\"deleted\"", gone));

    Map<String, String> answers = answers(file, ids);
    assertThat(answers(h2, ids)).isEqualTo(answers);
    assertThat(answers(mongoDb, ids)).isEqualTo(answers);

    // without embeddings: computed again by the same embedder, the same answers
    String[] h2Again = {"--store-url", "jdbc:h2:file:" + dir.resolve("h2-again/db")};
    Path bare = dir.resolve("bare.jsonl");
    ok(join(new String[] {"export", "-o", bare.toString(), "--no-embeddings", "--no-progress"},
        file));
    assertThat(Files.readString(bare)).doesNotContain("\"embedding\"");
    ok(join(new String[] {"import", bare.toString(), "--no-progress"}, h2Again));
    assertThat(answers(h2Again, ids)).isEqualTo(answers);

    // run again: every memory is held already (by the checkpoint, then by id)
    Run again = ok(join(new String[] {"import", a.toString(), "--no-progress", "--json"}, h2));
    assertThat(again.json().get("skipped_checkpointed").asInt()).isEqualTo(ids.size());
    Run restarted = ok(join(new String[] {"import", a.toString(), "--restart", "--no-progress",
        "--json"}, h2));
    assertThat(restarted.json().get("skipped_already_stored").asInt()).isEqualTo(ids.size());
    assertThat(answers(h2, ids)).isEqualTo(answers);
  }

  @Test
  void aFileCutShortIsImportedAndReportedAndMem0ExportsAreRead() throws Exception {
    String[] file = {"--dir", dir.resolve("file").toString()};
    add(file, "Carla runs marathons", "--user", "carla");
    add(file, "Carla's dog is called Rex", "--user", "carla");
    Path whole = export(file, "whole.jsonl");
    List<String> lines = Files.readAllLines(whole);
    Path cut = Files.write(dir.resolve("cut.jsonl"), lines.subList(0, lines.size() - 1));
    String[] other = {"--dir", dir.resolve("other").toString()};
    Run run = cli.run(join(new String[] {"import", cut.toString(), "--no-progress"}, other));
    assertThat(run.status()).as("%s", run).isEqualTo(ExitCodes.FAILURE);
    assertThat(run.err()).contains("cut short");
    assertThat(ok(join(new String[] {"stats", "--user", "carla", "--json"}, other)).json()
        .get("memory_count").asInt()).isEqualTo(2);

    Path list = Files.writeString(dir.resolve("mem0.json"), """
        [{"id": "mem-1", "memory": "Dina likes jazz", "user_id": "dina",
          "categories": ["music"], "metadata": {"source": "chat"},
          "created_at": "2024-07-20T09:08:24.123456-07:00", "actor_id": "dina"},
         {"id": "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f", "memory": "Dina lives in Turin",
          "user_id": "dina", "created_at": "2024-07-21T10:00:00"}]
        """);
    Run mem0 = ok(join(new String[] {"import", list.toString(), "--no-progress", "--json"},
        other));
    assertThat(mem0.json().get("format").asText()).isEqualTo("mem0");
    assertThat(mem0.json().get("imported").asInt()).isEqualTo(2);
    Path results = Files.writeString(dir.resolve("mem0-v2.json"), """
        {"results": [{"id": "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f", "memory": "Dina lives in Turin",
          "user_id": "dina", "created_at": "2024-07-21T10:00:00"}]}
        """);
    Run again = ok(join(new String[] {"import", results.toString(), "--no-progress", "--json"},
        other));
    assertThat(again.json().get("skipped_already_stored").asInt()).isEqualTo(1);
    JsonNode got = ok(join(new String[] {"get", "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f",
        "--user", "dina", "--json"}, other)).json();
    assertThat(got.get("created_at").asText()).isEqualTo("2024-07-21T10:00:00Z");
    JsonNode jazz = ok(join(new String[] {"search", "--user", "dina", "--tag", "music", "--json"},
        other)).json().at("/hits/0/memory");
    assertThat(jazz.get("memory_content").asText()).isEqualTo("Dina likes jazz");
    assertThat(jazz.at("/metadata/mem0_id").asText()).isEqualTo("mem-1");
    assertThat(jazz.at("/metadata/mem0_actor_id").asText()).isEqualTo("dina");
    assertThat(jazz.get("created_at").asText()).isEqualTo("2024-07-20T16:08:24.123Z");
  }

  private Path export(String[] where, String name) {
    Path file = dir.resolve(name);
    ok(join(new String[] {"export", "-o", file.toString(), "--no-progress"}, where));
    assertThat(dir.resolve(name + ".part")).doesNotExist();
    return file;
  }

  /** The lines after the header, which alone says when it was written. */
  private static List<String> body(Path export) throws Exception {
    List<String> lines = Files.readAllLines(export);
    assertThat(lines.get(0)).contains("\"kind\":\"header\"");
    assertThat(lines.get(lines.size() - 1)).contains("\"kind\":\"end\"");
    return lines.subList(1, lines.size());
  }

  /** What a store answers, by question: listings, searches, every history, stats. */
  private Map<String, String> answers(String[] where, Map<String, String[]> ids) {
    Map<String, String> answers = new LinkedHashMap<>();
    String[][] questions = {
        {"list", "--user", "alice", "--include-superseded"},
        {"list", "--user", "alice", "--agent", "bot"},
        {"list", "--agent", "bot"},
        {"list", "--user", "bob"},
        {"search", "where does she live?", "--user", "alice"},
        {"search", "food", "--user", "alice", "--tag", "health", "--meta", "severity=2"},
        {"search", "--user", "alice", "--when", "last week", "--at", AT, "--zone", "UTC"},
        {"search", "--user", "alice", "--filter", "{\"metadata\": {\"floor\": {\"gte\": 3}}}"},
        {"search", "music", "--user", "bob"},
        {"stats", "--user", "alice"},
        {"stats", "--user", "bob"}};
    for (String[] question : questions) {
      answers.put(String.join(" ", question), ok(join(join(question, where), "--json")).out());
    }
    ids.forEach((id, owner) -> {
      Run history = cli.run(join(join(join(new String[] {"history", id}, owner), where),
          "--json"));
      assertThat(history.status()).as("%s", history).isZero();
      answers.put("history " + id, history.out());
    });
    return answers;
  }

  private static String[] join(String[] first, String... more) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }
}
