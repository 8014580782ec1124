package io.inmemory.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.InMemoryConfig;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryClients;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs the quick start on the embedded defaults (engine, offline embeddings) and reads it. */
class QuickStartTest {
  private static final Map<String, List<String>> sections = new LinkedHashMap<>();

  @BeforeAll
  static void runQuickStart() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    InMemoryConfig config = InMemoryConfig.builder().isolated().build();
    try (MemoryClient memory = MemoryClients.create(config);
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
      QuickStart.run(memory, out);
    }
    String current = null;
    for (String line : buffer.toString(StandardCharsets.UTF_8).split("\n")) {
      if (line.startsWith("== ")) {
        current = line.substring(3);
        sections.put(current, new java.util.ArrayList<>());
      } else if (current != null && !line.isBlank()) {
        sections.get(current).add(line.trim());
      }
    }
  }

  private static List<String> section(String prefix) {
    return sections.entrySet().stream().filter(entry -> entry.getKey().startsWith(prefix))
        .findFirst().orElseThrow(() -> new AssertionError("no section " + prefix + " in "
            + sections.keySet()))
        .getValue();
  }

  @Test
  void semanticSearchFindsWhatJohnLikesToEat() {
    assertThat(section("Semantic search").get(0)).contains("I love pizza but hate broccoli");
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
    assertThat(health).anySatisfy(line -> assertThat(line).startsWith("store"))
        .anySatisfy(line -> assertThat(line).startsWith("embedder"));
  }
}
