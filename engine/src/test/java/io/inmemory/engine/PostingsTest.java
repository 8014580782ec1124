package io.inmemory.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PostingsTest {
  private final Postings postings = new Postings();

  @Test
  void listsTheIdsOfEachKeyAndForgetsRemovedOnes() {
    postings.add("a", List.of("work", "home"));
    postings.add("b", List.of("work"));
    assertThat(postings.get("work")).containsExactlyInAnyOrder("a", "b");
    assertThat(postings.get("home")).containsExactly("a");
    assertThat(postings.get("travel")).isEmpty();

    postings.remove("a", List.of("work", "home"));
    assertThat(postings.get("work")).containsExactly("b");
    assertThat(postings.get("home")).isEmpty();
    assertThat(postings.keys()).isEqualTo(1);
  }

  @Test
  void removingWhatWasNeverAddedChangesNothing() {
    postings.add("a", List.of("work"));
    postings.remove("b", List.of("work", "home"));
    assertThat(postings.get("work")).containsExactly("a");
    assertThat(postings.keys()).isEqualTo(1);
  }

  @Test
  void aKeyLeftWithoutIdsIsDropped() {
    postings.add("a", List.of("work"));
    postings.remove("a", List.of("work"));
    postings.remove("a", List.of("work"));
    assertThat(postings.keys()).isZero();
    assertThat(postings.get("work")).isEmpty();
  }
}
