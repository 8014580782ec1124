package io.inmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inmemory.cli.Cli.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code inmemory import} of conversations on a real file store: LoCoMo sessions and {@code
 * {"messages": […]}} files through conversation ingestion, the summary, the checkpoint and the
 * import marker that make a rerun store nothing twice, and the refusals.
 */
class ImportCommandTest {
  private static final String LOCOMO = """
      [{"sample_id": "conv-1", "conversation": {"speaker_a": "Maya", "speaker_b": "Theo",
        "session_1_date_time": "1:56 pm on 8 May, 2023",
        "session_1": [
          {"speaker": "Maya", "dia_id": "D1:1", "text": "I adopted a greyhound called Pixel."},
          {"speaker": "Theo", "dia_id": "D1:2", "text": "Lovely! How old is she?"},
          {"speaker": "Maya", "dia_id": "D1:3", "text": "", "blip_caption": "a grey dog on a sofa"}],
        "session_2_date_time": "10:00 am on 20 May, 2023",
        "session_2": [
          {"speaker": "Maya", "dia_id": "D2:1", "text": "Pixel learned to fetch this week."}]},
       "qa": []}]
      """;

  private final Cli cli = Cli.hashing();

  @TempDir
  Path dir;

  private String store;

  @BeforeEach
  void store() {
    store = dir.resolve("data").toString();
  }

  private Run run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--dir", store, "--no-progress"));
    return cli.run(all.toArray(String[]::new));
  }

  private List<String> contents(String user) {
    Run listed = cli.run("list", "--user", user, "--limit", "100", "--dir", store, "--json");
    assertThat(listed.status()).as("%s", listed).isZero();
    List<String> contents = new ArrayList<>();
    listed.json().get("items").forEach(item -> contents.add(item.get("memory_content").asText()));
    return contents;
  }

  @Test
  void aLocomoFileIsImportedSessionBySessionAndARerunStoresNothingTwice() throws Exception {
    Path file = Files.writeString(dir.resolve("locomo.json"), LOCOMO);
    Run first = run("import", file.toString(), "--json");
    assertThat(first.status()).as("%s", first).isZero();
    JsonNode summary = first.json();
    assertThat(summary.get("format").asText()).isEqualTo("locomo");
    assertThat(summary.get("units").asInt()).isEqualTo(2);
    assertThat(summary.get("imported").asInt()).isEqualTo(2);
    assertThat(summary.get("memories_added").asInt()).isEqualTo(4);
    List<String> stored = contents("conv-1");
    assertThat(stored).containsExactlyInAnyOrder("I adopted a greyhound called Pixel.",
        "Lovely! How old is she?", "[image: a grey dog on a sofa]",
        "Pixel learned to fetch this week.");
    Run item = cli.run("list", "--user", "conv-1", "--session", "session_2", "--dir", store,
        "--json");
    assertThat(item.json().at("/items/0/metadata/import_unit").asText()).endsWith(
        ":conv-1/session_2");

    Run again = run("import", file.toString(), "--json");
    assertThat(again.json().get("skipped_checkpointed").asInt()).isEqualTo(2);
    assertThat(again.json().get("imported").asInt()).isZero();
    // without the checkpoint (lost, or a crash before its line): the markers still tell
    try (var checkpoints = Files.newDirectoryStream(dir, "locomo.json.*.inmemory-checkpoint")) {
      checkpoints.forEach(path -> path.toFile().delete());
    }
    Run marked = run("import", file.toString(), "--json");
    assertThat(marked.json().get("skipped_already_stored").asInt()).isEqualTo(2);
    assertThat(marked.json().get("imported").asInt()).isZero();
    assertThat(contents("conv-1")).hasSize(4);

    Run human = run("import", file.toString(), "--restart");
    assertThat(human.out()).contains("imported 0 of 2 locomo units",
        "skipped 2 units imported before");
  }

  @Test
  void messagesFilesAreImportedOneConversationPerObjectAndBadOnesAreReported() throws Exception {
    Path lines = Files.writeString(dir.resolve("chats.ndjson"), """
        {"messages": [{"role": "user", "content": "I moved to Porto"}], "user_id": "ines"}
        {"messages": [], "user_id": "ines"}
        {"messages": [{"role": "user", "content": "My sister is called Rita"}]}
        """);
    Run run = run("import", lines.toString(), "--user", "ines", "--json");
    assertThat(run.status()).as("%s", run).isEqualTo(ExitCodes.PARTIAL);
    assertThat(run.json().get("format").asText()).isEqualTo("messages");
    assertThat(run.json().get("imported").asInt()).isEqualTo(2);
    assertThat(run.json().get("failed").asInt()).isEqualTo(1);
    assertThat(run.json().at("/problems/0/unit").asText()).isEqualTo("2");
    assertThat(run.json().at("/problems/0/problem").asText()).contains("messages");
    assertThat(contents("ines")).containsExactlyInAnyOrder("I moved to Porto",
        "My sister is called Rita");

    Path one = Files.writeString(dir.resolve("one.json"),
        "{\"messages\": [{\"role\": \"user\", \"content\": \"I play the oboe\"}],"
            + " \"user_id\": \"ines\"}");
    assertThat(run("import", one.toString()).status()).isZero();
    Path list = Files.writeString(dir.resolve("list.json"),
        "[{\"messages\": [{\"role\": \"user\", \"content\": \"I fear heights\"}],"
            + " \"user_id\": \"ines\"}]");
    assertThat(run("import", list.toString()).status()).isZero();
    assertThat(contents("ines")).hasSize(4);
  }

  @Test
  void anUnknownFileAnotherImportsCheckpointAndABadFormatAreRefused() throws Exception {
    Path odd = Files.writeString(dir.resolve("odd.json"), "{\"hello\": 1}");
    Run unknown = run("import", odd.toString());
    assertThat(unknown.status()).as("%s", unknown).isEqualTo(ExitCodes.INVALID);
    assertThat(unknown.errLines()).hasSize(1);
    assertThat(unknown.err()).contains("--format");

    Path file = Files.writeString(dir.resolve("locomo.json"), LOCOMO);
    Path foreign = Files.writeString(dir.resolve("other.checkpoint"),
        "inmemory-checkpoint 1 sha256=00 size=1 format=locomo target=x\n");
    Run other = run("import", file.toString(), "--checkpoint", foreign.toString());
    assertThat(other.status()).as("%s", other).isEqualTo(ExitCodes.USAGE);
    assertThat(other.err()).contains("--restart");
    assertThat(contents("conv-1")).isEmpty();

    Run broken = run("import", file.toString(), "--format", "messages", "--restart");
    assertThat(broken.status()).as("%s", broken).isEqualTo(ExitCodes.PARTIAL);
    assertThat(run("import", file.toString(), "--format", "csv").status())
        .isEqualTo(ExitCodes.USAGE);
  }
}
