package io.inmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inmemory.MemoryClients;
import io.inmemory.cli.Cli.Run;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command in this JVM against a real file store in a temporary directory (each run opens
 * and closes the engine, as the command does from a shell), with the deterministic embedder:
 * what is stored, read back, filtered and deleted, the {@code --json} documents, the exit
 * statuses and the one-line errors.
 */
class LocalCommandsTest {
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
    all.add("--dir");
    all.add(store);
    return cli.run(all.toArray(String[]::new));
  }

  private String add(String text, String... more) {
    List<String> args = new ArrayList<>(List.of("add", text, "--user", "alice", "--json"));
    args.addAll(List.of(more));
    Run added = run(args.toArray(String[]::new));
    assertThat(added.status()).as("%s", added).isZero();
    return added.json().at("/memory/id").asText();
  }

  @Test
  void addStoresLabelsAndGetReadsThemBackInALaterRun() {
    Run added = run("add", "Alice moved to Lisbon", "--user", "alice", "--tag", "travel",
        "--tag", "home", "--person", "Alice", "--topic", "life", "--meta", "floor=3",
        "--meta", "city=Lisbon", "--meta", "rented=true", "--json");
    assertThat(added.status()).as("%s", added).isZero();
    assertThat(added.err()).isEmpty();
    JsonNode memory = added.json().get("memory");
    assertThat(added.json().get("event").asText()).isEqualTo("add");
    assertThat(memory.get("memory_content").asText()).isEqualTo("Alice moved to Lisbon");

    Run got = run("get", memory.get("id").asText(), "--user", "alice", "--json");
    assertThat(got.status()).as("%s", got).isZero();
    JsonNode read = got.json();
    assertThat(read.get("id").asText()).isEqualTo(memory.get("id").asText());
    assertThat(read.get("tags")).extracting(JsonNode::asText).containsExactly("travel", "home");
    assertThat(read.get("people_mentioned")).extracting(JsonNode::asText)
        .containsExactly("Alice");
    assertThat(read.get("topic_category").asText()).isEqualTo("life");
    assertThat(read.at("/metadata/floor").isNumber()).isTrue();
    assertThat(read.at("/metadata/floor").asInt()).isEqualTo(3);
    assertThat(read.at("/metadata/rented").isBoolean()).isTrue();
    assertThat(read.at("/metadata/city").asText()).isEqualTo("Lisbon");

    Run human = run("get", memory.get("id").asText(), "--user", "alice");
    assertThat(human.out()).contains(memory.get("id").asText(), "Alice moved to Lisbon",
        "#travel", "@Alice", "topic:life", "floor=3");
  }

  @Test
  void searchAppliesLabelsTimesAndTheFilterLanguage() {
    String cheap = add("Bought apples at the market", "--tag", "food", "--meta", "price=2",
        "--created-at", "2024-05-01T10:00:00Z");
    String dear = add("Bought a cheese wheel at the market", "--tag", "food", "--meta",
        "price=40", "--created-at", "2024-05-20T10:00:00Z");
    add("Went running in the park", "--tag", "sport", "--created-at", "2024-05-21T10:00:00Z");

    assertThat(ids(run("search", "market", "--user", "alice", "--tag", "food", "--json")))
        .containsExactlyInAnyOrder(cheap, dear);
    assertThat(ids(run("search", "--user", "alice", "--tag", "food", "--json",
        "--filter", "{\"metadata\": {\"price\": {\"gt\": 3}}}"))).containsExactly(dear);
    assertThat(ids(run("search", "--user", "alice", "--meta", "price=2", "--json")))
        .containsExactly(cheap);
    assertThat(ids(run("search", "--user", "alice", "--after", "2024-05-10T00:00:00Z",
        "--before", "2024-05-21T00:00:00Z", "--json"))).containsExactly(dear);
    // "last week" of Wednesday 29 May 2024 in UTC: Monday 20 to Sunday 26 May
    assertThat(ids(run("search", "--user", "alice", "--when", "last week",
        "--at", "2024-05-29T12:00:00Z", "--zone", "UTC", "--json")))
        .containsExactlyInAnyOrder(dear, ids(run("search", "running", "--user", "alice",
            "--tag", "sport", "--json")).get(0));
    assertThat(ids(run("search", "--user", "alice", "--tag", "food", "--tag", "sport",
        "--match", "any", "--limit", "2", "--json"))).hasSize(2);
    assertThat(ids(run("search", "--user", "bob", "--json"))).isEmpty();
  }

  @Test
  void listPagesNewestFirstAndStatsCount() {
    String first = add("one", "--created-at", "2024-01-01T00:00:00Z", "--tag", "x");
    String second = add("two", "--created-at", "2024-01-02T00:00:00Z", "--tag", "x");
    String third = add("three", "--created-at", "2024-01-03T00:00:00Z");

    Run page = run("list", "--user", "alice", "--limit", "2", "--json");
    assertThat(page.status()).as("%s", page).isZero();
    assertThat(page.json().get("items")).extracting(item -> item.get("id").asText())
        .containsExactly(third, second);
    assertThat(page.json().get("total").asLong()).isEqualTo(3);
    assertThat(page.json().get("has_more").asBoolean()).isTrue();
    Run rest = run("list", "--user", "alice", "--limit", "2", "--offset", "2", "--json");
    assertThat(rest.json().get("items")).extracting(item -> item.get("id").asText())
        .containsExactly(first);
    assertThat(ids(rest.json().get("items"))).containsExactly(first);
    Run filtered = run("list", "--user", "alice", "--filter",
        "{\"tags\": {\"contains\": \"x\"}}", "--json");
    assertThat(ids(filtered.json().get("items"))).containsExactly(second, first);

    Run stats = run("stats", "--user", "alice", "--json");
    assertThat(stats.status()).as("%s", stats).isZero();
    assertThat(stats.json().get("memory_count").asLong()).isEqualTo(3);
    assertThat(stats.json().at("/tag_counts/x").asLong()).isEqualTo(2);
    assertThat(run("stats", "--user", "alice").out()).contains("memories:   3", "tags: x 2");
  }

  @Test
  void deleteReportsEachIdAndHistoryKeepsTheDeletion() {
    String kept = add("kept");
    String gone = add("gone");
    String unknown = "00000000-0000-4000-8000-000000000000";

    Run partial = run("delete", gone, unknown, "--user", "alice", "--json");
    assertThat(partial.status()).as("%s", partial).isEqualTo(ExitCodes.PARTIAL);
    assertThat(partial.json().get(DeleteCommand.DELETED)).extracting(JsonNode::asText)
        .containsExactly(gone);
    assertThat(partial.json().get(DeleteCommand.NOT_FOUND)).extracting(JsonNode::asText)
        .containsExactly(unknown);
    assertThat(partial.json().get(DeleteCommand.FAILED)).isEmpty();
    assertThat(run("delete", unknown, "--user", "alice").status())
        .isEqualTo(ExitCodes.NOT_FOUND);
    String twice = add("named twice");
    Run repeated = run("delete", twice, twice, "--user", "alice", "--json");
    assertThat(repeated.status()).as("%s", repeated).isZero();
    assertThat(repeated.json().get(DeleteCommand.DELETED)).extracting(JsonNode::asText)
        .containsExactly(twice);

    Run history = run("history", gone, "--user", "alice", "--json");
    assertThat(history.status()).as("%s", history).isZero();
    assertThat(history.json().get("entries")).extracting(entry -> entry.get("event").asText())
        .containsExactly("add", "delete");
    assertThat(run("history", gone, "--user", "alice").out()).contains("add  gone", "delete");
    assertThat(run("get", gone, "--user", "alice").status()).isEqualTo(ExitCodes.NOT_FOUND);

    Run unconfirmed = run("delete", "--all", "--user", "alice");
    assertThat(unconfirmed.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(run("get", kept, "--user", "alice").status()).isZero();
    Run all = run("delete", "--all", "--yes", "--user", "alice", "--json");
    assertThat(all.json().get("deleted_count").asLong()).isEqualTo(1);
    assertThat(run("get", kept, "--user", "alice").status()).isEqualTo(ExitCodes.NOT_FOUND);
  }

  @Test
  void failuresAreOneLineWithTheirDocumentedStatus() {
    String unknown = "00000000-0000-4000-8000-000000000000";
    assertOneLine(run("get", unknown, "--user", "alice"), ExitCodes.NOT_FOUND, unknown);
    assertOneLine(run("history", unknown, "--user", "alice"), ExitCodes.NOT_FOUND, unknown);
    assertOneLine(run("search", "--user", "alice", "--when", "the day the moon froze"),
        ExitCodes.INVALID, "the day the moon froze");
    assertOneLine(run("search", "--user", "alice", "--filter", "{\"colour\": \"red\"}"),
        ExitCodes.INVALID, "colour");
    assertOneLine(run("search", "--user", "alice", "--filter", "{not json"),
        ExitCodes.INVALID, "not JSON");
    assertOneLine(run("add", "", "--user", "alice"), ExitCodes.INVALID, "content");
    assertOneLine(run("search", "--user", "alice", "--limit", "0"), ExitCodes.INVALID, "limit");
    assertOneLine(cli.run("list", "--user", "alice", "--dir", store, "--server",
        "http://127.0.0.1:1"), ExitCodes.USAGE, "--server");
    assertOneLine(cli.run("list", "--user", "alice", "--store-url", "ftp://x"),
        ExitCodes.USAGE, "ftp://x");
    assertOneLine(run("list", "--user", "alice", "-Dinmemory.embedder=nonesuch"),
        ExitCodes.USAGE, "nonesuch");
  }

  @Test
  void usageErrorsNameTheProblemAndTheHelp() {
    Run missingUser = run("list");
    assertThat(missingUser.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(missingUser.errLines()).containsExactly(
        "inmemory: Missing --user (or --agent, for an agent's own memories)",
        "Try 'inmemory list --help'.");
    Run unknownOption = run("list", "--user", "alice", "--colour", "red");
    assertThat(unknownOption.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(unknownOption.errLines()).hasSize(2);
    assertThat(unknownOption.err()).contains("--colour");
    Run badInstant = run("add", "x", "--user", "alice", "--created-at", "yesterday");
    assertThat(badInstant.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(badInstant.err()).contains("--created-at", "yesterday");
    assertThat(cli.run().status()).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.run("frobnicate").status()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void helpListsTheCommandsAndExitCodesAndVersionIsTheRuntimes() {
    Run help = cli.run("--help");
    assertThat(help.status()).isZero();
    assertThat(help.out()).contains("add", "search", "list", "get", "history", "stats",
        "delete", "Exit codes:");
    ExitCodes.HELP.forEach((code, meaning) -> assertThat(help.out()).contains(meaning));
    for (String[] args : new String[][] {{"help", "search"}, {"search", "--help"}}) {
      Run searchHelp = cli.run(args);
      assertThat(searchHelp.status()).as("%s", searchHelp).isZero();
      assertThat(searchHelp.out()).contains("--when", "--filter", "--server", "--json");
    }
    Run version = cli.run("--version");
    assertThat(version.status()).isZero();
    assertThat(version.out().strip()).isEqualTo("inmemory " + MemoryClients.version());
  }

  @Test
  void connectionAndJsonOptionsMayComeBeforeTheCommand() {
    String id = add("before or after");
    Run got = cli.run("--dir", store, "--json", "get", id, "--user", "alice");
    assertThat(got.status()).as("%s", got).isZero();
    assertThat(got.json().get("memory_content").asText()).isEqualTo("before or after");
  }

  @Test
  void storeUrlSelectsH2() {
    String url = "jdbc:h2:file:" + dir.resolve("h2").resolve("memories");
    Run added = cli.run("add", "kept in H2", "--user", "alice", "--store-url", url, "--json");
    assertThat(added.status()).as("%s", added).isZero();
    Run listed = cli.run("list", "--user", "alice", "--store-url", url, "--json");
    assertThat(ids(listed.json().get("items")))
        .containsExactly(added.json().at("/memory/id").asText());
    assertThat(dir.resolve("h2").resolve("memories.mv.db")).exists();
    assertThat(run("list", "--user", "alice", "--json").json().get("total").asLong()).isZero();
  }

  private static void assertOneLine(Run run, int status, String mentioning) {
    assertThat(run.status()).as("%s", run).isEqualTo(status);
    assertThat(run.errLines()).as("%s", run).hasSize(1);
    assertThat(run.err()).startsWith("inmemory: ").contains(mentioning).doesNotContain("\tat ");
    assertThat(run.out()).isEmpty();
  }

  private static List<String> ids(Run search) {
    assertThat(search.status()).as("%s", search).isZero();
    List<String> ids = new ArrayList<>();
    search.json().get("hits").forEach(hit -> ids.add(hit.at("/memory/id").asText()));
    return ids;
  }

  private static List<String> ids(JsonNode items) {
    List<String> ids = new ArrayList<>();
    items.forEach(item -> ids.add(item.get("id").asText()));
    return ids;
  }
}
