package io.inmemory.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.InMemoryConfig;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryClients;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the quick start twice, each time with a new client on the same storage, and reads what it
 * printed: the same recall on every backend, the second run finds the first one's record, and
 * adds none of the examples again.
 * Each backend's test chooses its storage by configuration alone, as an application would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class QuickStartContract {
  /** A line of a search result: its score first. */
  private static final Pattern HIT = Pattern.compile("-?\\d[.,]\\d{3}  ");

  private Map<String, List<String>> sections;
  private Map<String, List<String>> firstRun;

  @TempDir
  static Path temp;

  /** The configuration selecting this backend's storage under {@code temp}. */
  protected abstract InMemoryConfig.Builder storage(Path temp);

  /** What the health check's store line names for this backend. */
  protected abstract String expectedStoreDetail();

  @BeforeAll
  void runQuickStartTwice() {
    firstRun = runQuickStart();
    sections = runQuickStart();
  }

  private Map<String, List<String>> runQuickStart() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    InMemoryConfig config = storage(temp).build();
    try (MemoryClient memory = MemoryClients.create(config);
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
      QuickStart.run(memory, out);
    }
    Map<String, List<String>> printed = new LinkedHashMap<>();
    String current = null;
    for (String line : buffer.toString(StandardCharsets.UTF_8).split("\n")) {
      if (line.startsWith("== ")) {
        current = line.substring(3);
        printed.put(current, new ArrayList<>());
      } else if (current != null && !line.isBlank()) {
        printed.get(current).add(line.trim());
      }
    }
    return printed;
  }

  private List<String> section(String prefix) {
    return section(sections, prefix);
  }

  private static List<String> section(Map<String, List<String>> sections, String prefix) {
    return sections.entrySet().stream().filter(entry -> entry.getKey().startsWith(prefix))
        .findFirst().orElseThrow(() -> new AssertionError("no section " + prefix + " in "
            + sections.keySet()))
        .getValue();
  }

  @Test
  void theStoreRemembersTheEarlierRun() {
    assertThat(section(firstRun, "Persistence")).singleElement().asString()
        .startsWith("runs remembered: 1 ");
    assertThat(section("Persistence")).singleElement().asString()
        .startsWith("runs remembered: 2 ");
  }

  @Test
  void theSecondRunFindsTheExamplesHeld() {
    assertThat(section(firstRun, "Adding")).hasSize(7)
        .allSatisfy(line -> assertThat(line).startsWith("+ "));
    assertThat(section("Adding")).hasSize(7)
        .allSatisfy(line -> assertThat(line).startsWith("= "));
  }

  @Test
  void everyRunPrintsTheSameRecall() {
    assertThat(recall(sections)).isEqualTo(recall(firstRun));
  }

  /**
   * The recall sections, each as a sorted list: hits of equal score (the people search's) come
   * in id order, and ids are new in every run.
   */
  private static Map<String, List<String>> recall(Map<String, List<String>> printed) {
    Map<String, List<String>> recall = new LinkedHashMap<>();
    printed.forEach((title, lines) -> {
      if (!title.startsWith("Persistence") && !title.startsWith("Adding")
          && !title.startsWith("Health")) {
        recall.put(title, lines.stream().sorted().toList());
      }
    });
    return recall;
  }

  @Test
  void semanticSearchFindsWhatJohnLikesToEat() {
    assertThat(section("Semantic search").get(0)).contains("I love pizza but hate broccoli");
  }

  /** Only the answer passes the threshold, and the output says what the scores mean. */
  @Test
  void semanticSearchShowsOnlyTheAnswerAndExplainsItsScore() {
    List<String> lines = section("Semantic search");
    assertThat(lines.stream().filter(line -> HIT.matcher(line).lookingAt()))
        .singleElement().asString().contains("I love pizza but hate broccoli");
    assertThat(String.join(" ", lines))
        .contains("relevance, 0 to 1", "threshold of " + QuickStart.THRESHOLD);
  }

  @Test
  void itSaysWhereTheMemoriesLive() {
    assertThat(section("Storage")).singleElement().asString().contains(expectedStoreDetail());
  }

  @Test
  void temporalSearchFindsYesterdaysImport() {
    assertThat(section("Time")).singleElement().asString().contains("climbing gym");
  }

  @Test
  void tagSearchAndIsAllTagsAndOrIsAnyTag() {
    assertThat(section("Tags: food AND")).singleElement().asString().contains("pizza");
    assertThat(section("Tags: pets OR")).hasSize(2)
        .anySatisfy(line -> assertThat(line).contains("Rex"))
        .anySatisfy(line -> assertThat(line).contains("Thinking, Fast and Slow"));
  }

  @Test
  void peopleSearchIsCaseInsensitive() {
    assertThat(section("People")).hasSize(2)
        .allSatisfy(line -> assertThat(line).containsAnyOf("Bob and Carol", "Bob recommended"));
  }

  @Test
  void usersAreIsolated() {
    List<String> isolation = section("User isolation");
    assertThat(isolation).hasSize(2);
    assertThat(isolation.get(0)).doesNotContain("peanuts");
    assertThat(isolation.get(1)).contains("allergic to peanuts");
  }

  @Test
  void statsAndHealthAreReported() {
    assertThat(section("Stats of john").get(0)).startsWith("memories: 5");
    List<String> health = section("Health");
    assertThat(health.get(0)).startsWith("UP");
    assertThat(health).anySatisfy(line -> assertThat(line).startsWith("store")
            .contains(expectedStoreDetail()))
        .anySatisfy(line -> assertThat(line).startsWith("embedder"));
  }
}
