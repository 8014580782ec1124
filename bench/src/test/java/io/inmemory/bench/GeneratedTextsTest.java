package io.inmemory.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class GeneratedTextsTest {

  @Test
  void everyNumberGivesAnotherTextPastTheCombinationsToo() {
    Set<String> memories = new HashSet<>();
    LongStream.range(0, 150_000).forEach(n -> memories.add(GeneratedTexts.memory(n)));
    assertThat(memories).hasSize(150_000);
    Set<String> queries = new HashSet<>();
    LongStream.range(0, 10_000).forEach(n -> queries.add(GeneratedTexts.query(n)));
    assertThat(queries).hasSize(10_000);
  }

  @Test
  void textsReadAsSentencesAndRepeatOnlyWithARoundNumber() {
    assertThat(GeneratedTexts.memory(0)).isEqualTo("Maya booked a table at the Thai restaurant"
        + " on Monday");
    assertThat(GeneratedTexts.memory(72_000)).isEqualTo(GeneratedTexts.memory(0) + " (2)");
    assertThat(GeneratedTexts.query(1)).isEqualTo("who took care of a table at the Thai"
        + " restaurant on Monday");
    assertThat(GeneratedTexts.query(2_400)).isEqualTo(GeneratedTexts.query(0) + " (2)");
    assertThatThrownBy(() -> GeneratedTexts.query(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
