package io.inmemory.engine.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ChangeTest {
  private static final PartitionKey ALICE = PartitionKey.user("p1", "alice");

  @Test
  void aChangeNamesItsIdsOrTheWholePartition() {
    Change some = change(List.of("m1", "m2"));
    Change whole = change(null);

    assertThat(some.wholePartition()).isFalse();
    assertThat(some.memoryIds()).containsExactly("m1", "m2");
    assertThat(whole.wholePartition()).isTrue();
  }

  @Test
  void idsAreCopied() {
    List<String> ids = new ArrayList<>(List.of("m1"));
    Change change = change(ids);
    ids.add("m2");

    assertThat(change.memoryIds()).containsExactly("m1");
  }

  @Test
  void malformedChangesAreRefused() {
    assertThatThrownBy(() -> change(List.of())).hasMessageContaining("1 to 1000");
    assertThatThrownBy(() -> change(List.of("m1", "m1"))).hasMessageContaining("twice");
    assertThatThrownBy(() -> change(ids(Change.MAX_IDS + 1))).hasMessageContaining("1001");
    assertThatThrownBy(() -> new Change(" ", ALICE, ChangeKind.DELETE, null, "p", Instant.EPOCH))
        .hasMessageContaining("position");
    assertThatThrownBy(() -> new Change("1", ALICE, ChangeKind.DELETE, null, "", Instant.EPOCH))
        .hasMessageContaining("processId");
  }

  @Test
  void aWriterNamesAtMostMaxIdsAndOtherwiseTheWholePartition() {
    assertThat(Change.idsOf(List.of("a", "b", "a"))).containsExactly("a", "b");
    assertThat(Change.idsOf(ids(Change.MAX_IDS))).hasSize(Change.MAX_IDS);
    assertThat(Change.idsOf(ids(Change.MAX_IDS + 1))).isNull();
  }

  private static List<String> ids(int count) {
    return IntStream.range(0, count).mapToObj(i -> "m" + i).toList();
  }

  private static Change change(List<String> ids) {
    return new Change("7", ALICE, ChangeKind.DELETE, ids, "process-a", Instant.EPOCH);
  }
}
