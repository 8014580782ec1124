package io.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.tck.TimePhrases;
import io.inmemory.tck.TimePhrases.Form;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's "Time phrases" table is the contract suite's table: the same examples in the same
 * order, each with the meaning the suite checks, so every documented form is tested end to end.
 */
class TimePhrasesReadmeTest {
  private static final Pattern CELL_SEPARATOR = Pattern.compile("(?<!\\\\)\\|");

  /** The table's rows as {example, meaning}. */
  private static List<String[]> rows() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    int start = readme.indexOf("\n## Time phrases\n");
    assertThat(start).as("README section \"Time phrases\"").isNotNegative();
    int end = readme.indexOf("\n## ", start + 1);
    return readme.substring(start, end).lines()
        .filter(line -> line.startsWith("| ") && !line.startsWith("| Form |"))
        .map(line -> CELL_SEPARATOR.split(line.substring(1)))
        .map(cells -> new String[] {cells[1].strip().replaceAll("^`|`$", ""), cells[2].strip()})
        .toList();
  }

  @Test
  void theReadmeTableShowsExactlyTheTestedFormsWithTheirTestedMeanings() throws IOException {
    List<String[]> rows = rows();

    assertThat(rows.stream().map(row -> row[0]))
        .containsExactlyElementsOf(TimePhrases.phrases().toList());
    for (int i = 0; i < rows.size(); i++) {
      Form form = TimePhrases.FORMS.get(i);
      assertThat(rows.get(i)[1]).as("README meaning of %s", form)
          .isEqualTo(TimePhrases.meaning(form));
    }
  }
}
