package io.inmemory.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusTest {
  private static final String ID = "onnx:test-model:1";

  @TempDir Path folder;

  @Test
  void splitsAGlossIntoExamplesAndDefinitions() {
    String line = "00022316 29 v 05 sedate 0 calm 0 009 @ 00019448 v 0000 01 + 09 00 | cause to be"
        + " calm or quiet as by administering a sedative to; \"The patient must be sedated before"
        + " the operation\"; \"He was sedated\" - Anonymous; too short  ";

    assertThat(Corpus.glossSentences(line)).containsExactly(
        "The patient must be sedated before the operation", "He was sedated",
        "cause to be calm or quiet as by administering a sedative to");
  }

  @Test
  void ignoresLicenceLinesAndLinesWithoutGloss() {
    assertThat(Corpus.glossSentences("  1 This software and database is being provided | to you"))
        .isEmpty();
    assertThat(Corpus.glossSentences("00001740 03 n 01 entity 0 003")).isEmpty();
  }

  @Test
  void readsDistinctSentencesInAFixedOrder() throws Exception {
    for (String pos : List.of("noun", "verb", "adj", "adv")) {
      Files.writeString(folder.resolve("data." + pos), "  licence header | not a gloss\n"
          + "1 | a " + pos + " defined here; \"an example of the " + pos + "\"\n"
          + "2 | shared definition of everything\n");
    }

    List<String> sentences = Corpus.wordnetSentences(folder);

    assertThat(sentences).hasSize(9).doesNotHaveDuplicates()
        .contains("a noun defined here", "an example of the adv", "shared definition of everything")
        .isEqualTo(Corpus.wordnetSentences(folder));
  }

  @Test
  void missingWordNetNamesThePackage() {
    assertThatThrownBy(() -> Corpus.wordnetSentences(folder.resolve("none")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("wordnet-base");
  }

  @Test
  void holdsOutQueriesBeforeTheDocuments() {
    List<String> sentences = texts(Corpus.QUERY_POOL + 50);

    Corpus.Split split = Corpus.split(sentences, 3, 50);

    assertThat(split.queries()).containsExactly("text 0", "text 1", "text 2");
    assertThat(split.documents()).hasSize(50).first().isEqualTo("text " + Corpus.QUERY_POOL);
    assertThat(split.documents()).last().isEqualTo("text " + (Corpus.QUERY_POOL + 49));
    assertThatThrownBy(() -> Corpus.split(sentences, 3, 51))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 50 documents");
  }

  @Test
  void cachesVectorsAndServesAnySmallerPrefix() {
    Counting embed = new Counting();
    Corpus.embedAll(folder, ID, 3, "docs", texts(600), embed);

    assertThat(Corpus.available(folder, ID, "docs")).isEqualTo(600);
    float[][] loaded = Corpus.load(folder, ID, "docs", 400).orElseThrow();
    assertThat(loaded).hasNumberOfRows(400);
    assertThat(loaded[399]).containsExactly(399, 1, -0.5f);
    assertThat(Corpus.load(folder, ID, "docs", 601)).isEmpty();
    assertThat(Corpus.load(folder, "onnx:other:1", "docs", 10)).isEmpty();

    Corpus.embedAll(folder, ID, 3, "docs", texts(600), embed);
    assertThat(embed.embedded).as("cached, not embedded again").hasSize(600);
  }

  @Test
  void resumesAnInterruptedRunAfterItsLastWholeVector() throws Exception {
    List<String> texts = texts(300);
    Corpus.embedAll(folder, ID, 3, "docs", texts, new Counting());
    Path complete = folder.resolve(Corpus.file(folder, ID, "docs", 300).getFileName() + ".f32");
    byte[] all = Files.readAllBytes(complete);
    // As if killed while writing vector 100: 100 whole vectors and 5 bytes of the next.
    Files.write(complete.resolveSibling(complete.getFileName() + ".partial"),
        java.util.Arrays.copyOf(all, 100 * 12 + 5));
    Files.delete(complete);

    Counting embed = new Counting();
    Corpus.embedAll(folder, ID, 3, "docs", texts, embed);

    assertThat(embed.embedded).first().isEqualTo("text 100");
    assertThat(embed.embedded).hasSize(200);
    assertThat(Files.readAllBytes(complete)).isEqualTo(all);
    assertThat(complete.resolveSibling(complete.getFileName() + ".partial")).doesNotExist();
  }

  @Test
  void rejectsAnEmbedderThatLosesTexts() {
    Function<List<String>, List<float[]>> lossy = chunk -> List.of(new float[] {1, 0, 0});

    assertThatThrownBy(() -> Corpus.embedAll(folder, ID, 3, "docs", texts(2), lossy))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("1 vectors for 2 texts");
  }

  private static List<String> texts(int count) {
    return IntStream.range(0, count).mapToObj(i -> "text " + i).toList();
  }

  /** A fake embedder: text i becomes (i, 1, -0.5); remembers what it embedded. */
  private static final class Counting implements Function<List<String>, List<float[]>> {
    final List<String> embedded = new ArrayList<>();

    @Override
    public List<float[]> apply(List<String> chunk) {
      embedded.addAll(chunk);
      return chunk.stream()
          .map(text -> new float[] {Integer.parseInt(text.substring(5)), 1, -0.5f}).toList();
    }
  }
}
