package io.inmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.cli.Cli.Run;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code search} by meaning with the default configuration's embedder (the bundled ONNX model)
 * on a file store: the commands a user types first find what was meant, not what was typed.
 */
class OnnxSearchTest {
  @TempDir
  Path dir;

  @Test
  void searchFindsTheMemoryThatMeansTheQuery() {
    Cli cli = Cli.isolated();
    String store = dir.resolve("data").toString();
    String allergy = null;
    for (String fact : new String[] {"I am allergic to peanuts",
        "My sister lives in Toronto", "I drive a blue hatchback to work"}) {
      Run added = cli.run("add", fact, "--user", "dana", "--dir", store, "--json");
      assertThat(added.status()).as("%s", added).isZero();
      if (allergy == null) {
        allergy = added.json().at("/memory/id").asText();
      }
    }
    Run found = cli.run("search", "which foods must I avoid?", "--user", "dana", "--limit", "1",
        "--dir", store, "--json");
    assertThat(found.status()).as("%s", found).isZero();
    assertThat(found.json().at("/hits/0/memory/id").asText()).isEqualTo(allergy);
    Run human = cli.run("search", "where does my family live", "--user", "dana", "--limit", "1",
        "--dir", store);
    assertThat(human.out()).contains("My sister lives in Toronto").doesNotContain("peanuts");
  }
}
