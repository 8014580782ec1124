package io.inmemory.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inmemory.bench.Mem0Peer.Doc;
import io.inmemory.bench.Mem0Peer.Query;
import io.inmemory.bench.Mem0Peer.Result;
import io.inmemory.bench.Mem0Peer.Settings;
import io.inmemory.bench.Mem0Peer.Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Mem0PeerTest {

  private static final List<Doc> DOCS = List.of(
      new Doc("a", "likes tea", new float[] {1, 0}),
      new Doc("b", "lives in \"Oslo\"\nsince 2020", new float[] {0.6f, 0.8f}));
  private static final List<Query> QUERIES = List.of(new Query("drinks?", new float[] {0, 1}));
  private static final Settings SETTINGS = Settings.fastest(2, Duration.ofSeconds(20));

  @TempDir Path folder;

  @Test
  void writesOneJsonObjectPerLineThatReadsBackExactly() throws Exception {
    Mem0Peer.writeInputs(folder, DOCS, QUERIES);

    List<String> docLines = Files.readAllLines(folder.resolve("docs.jsonl"));
    assertThat(docLines).hasSize(2);
    JsonNode second = new ObjectMapper().readTree(docLines.get(1));
    assertThat(second.get("id").asText()).isEqualTo("b");
    assertThat(second.get("text").asText()).isEqualTo("lives in \"Oslo\"\nsince 2020");
    assertThat(second.get("vector").get(1).floatValue()).isEqualTo(0.8f);
    JsonNode query = new ObjectMapper().readTree(
        Files.readAllLines(folder.resolve("queries.jsonl")).get(0));
    assertThat(query.get("text").asText()).isEqualTo("drinks?");
    assertThat(query.get("vector").size()).isEqualTo(2);
  }

  @Test
  void rejectsDocsThatShareATextBecauseResultsCouldNotBeMappedBack() {
    List<Doc> twins = List.of(new Doc("a", "same", new float[] {1}),
        new Doc("b", "same", new float[] {0}));

    assertThatThrownBy(() -> Mem0Peer.writeInputs(folder, twins, QUERIES))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'same'");
  }

  @Test
  void parsesTheResultAndTakesPercentilesOfTheLatencies() throws Exception {
    String json = """
        {"version":"3.3.1","storage":"file","history":true,"docs":3,"adds_per_s":512.5,
         "latencies_ms":[4.0,1.0,3.0,2.0],"top_ids":[["b","a"],["a"],[],["c","b"]]}""";

    Result result = Mem0Peer.parseResult(json);

    assertThat(result.version()).isEqualTo("3.3.1");
    assertThat(result.storage()).isEqualTo(Storage.FILE);
    assertThat(result.history()).isTrue();
    assertThat(result.docs()).isEqualTo(3);
    assertThat(result.addsPerSecond()).isEqualTo(512.5);
    assertThat(result.p50Millis()).isEqualTo(2.0);
    assertThat(result.p99Millis()).isEqualTo(4.0);
    assertThat(result.topIds()).containsExactly(List.of("b", "a"), List.of("a"), List.of(),
        List.of("c", "b"));
  }

  @Test
  void namesTheMissingFieldOfAnIncompleteResult() {
    assertThatThrownBy(() -> Mem0Peer.parseResult(
        "{\"version\":\"3.3.1\",\"storage\":\"memory\",\"history\":false,\"docs\":1,"
            + "\"latencies_ms\":[],\"top_ids\":[]}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("adds_per_s");
  }

  @Test
  void passesTheSettingsOnTheCommandLine() {
    Settings settings = new Settings(7, Storage.FILE, true, 0, Duration.ofMinutes(1));

    List<String> command = Mem0Peer.command("node", Path.of("p/mem0-peer.mjs"), Path.of("in"),
        Path.of("in/out.json"), settings);

    assertThat(command.get(0)).isEqualTo("node");
    assertThat(command.get(1)).endsWith("mem0-peer.mjs");
    assertThat(String.join(" ", command.subList(2, command.size())))
        .matches("--in /.*in --out /.*in/out\\.json --k 7 --storage file --history on --warmup 0");
  }

  @Test
  void tellsToRunTheInstallScriptWhenThePackagesAreMissing() throws Exception {
    Files.writeString(folder.resolve("mem0-peer.mjs"), "");

    assertThatThrownBy(() -> Mem0Peer.run(folder, DOCS, QUERIES, SETTINGS))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("install.sh");
  }

  @Test
  void tellsToInstallNodeWhenItCannotBeStarted() throws Exception {
    Path peer = fakePeer();

    assertThatThrownBy(() -> Mem0Peer.run("no-such-node-binary", peer, DOCS, QUERIES, SETTINGS))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("Node.js");
  }

  @Test
  void runsThePeerOfflineAndReadsWhatItWrote() throws Exception {
    // a stand-in for node that checks the environment and the inputs, then answers like the peer
    Path node = executable("fake-node", """
        #!/bin/sh
        [ "$MEM0_TELEMETRY" = false ] || exit 3
        case "$HOME" in */home) ;; *) exit 4 ;; esac
        in="$3"; out="$5"
        [ "$(wc -l < "$in/docs.jsonl")" -eq 2 ] || exit 5
        echo '{"version":"fake","storage":"memory","history":false,"docs":2,"adds_per_s":10,\
        "latencies_ms":[1.5],"top_ids":[["b","a"]]}' > "$out"
        """);

    Result result = Mem0Peer.run(node.toString(), fakePeer(), DOCS, QUERIES, SETTINGS);

    assertThat(result.version()).isEqualTo("fake");
    assertThat(result.topIds()).containsExactly(List.of("b", "a"));
    assertThat(result.p50Millis()).isEqualTo(1.5);
  }

  @Test
  void reportsAFailingPeer() throws Exception {
    Path node = executable("failing-node", "#!/bin/sh\nexit 1\n");

    assertThatThrownBy(() -> Mem0Peer.run(node.toString(), fakePeer(), DOCS, QUERIES, SETTINGS))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("exit code 1");
  }

  @Test
  void reportsAPeerThatWroteNoResult() throws Exception {
    Path node = executable("silent-node", "#!/bin/sh\nexit 0\n");

    assertThatThrownBy(() -> Mem0Peer.run(node.toString(), fakePeer(), DOCS, QUERIES, SETTINGS))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("no result");
  }

  @Test
  void rejectsAnAnswerToFewerQueriesThanAsked() throws Exception {
    Path node = executable("short-node", """
        #!/bin/sh
        echo '{"version":"fake","storage":"memory","history":false,"docs":2,"adds_per_s":10,\
        "latencies_ms":[],"top_ids":[]}' > "$5"
        """);

    assertThatThrownBy(() -> Mem0Peer.run(node.toString(), fakePeer(), DOCS, QUERIES, SETTINGS))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("0 of 1");
  }

  private Path fakePeer() throws Exception {
    Path peer = Files.createDirectories(folder.resolve("peer"));
    Files.createDirectories(peer.resolve("node_modules").resolve("mem0ai"));
    Files.writeString(peer.resolve("mem0-peer.mjs"), "");
    return peer;
  }

  private Path executable(String name, String script) throws Exception {
    Path file = folder.resolve(name);
    Files.writeString(file, script);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    return file;
  }
}
