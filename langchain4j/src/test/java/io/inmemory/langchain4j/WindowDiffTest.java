package io.inmemory.langchain4j;

import static io.inmemory.langchain4j.WindowDiff.STEP;
import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.langchain4j.WindowDiff.Entry;
import io.inmemory.langchain4j.WindowDiff.Insert;
import io.inmemory.langchain4j.WindowDiff.Plan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowDiffTest {

  /** A stored window of the given messages at STEP intervals, memory ids m0, m1... */
  private static List<Entry> stored(String... jsons) {
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < jsons.length; i++) {
      entries.add(new Entry("m" + i, STEP * (i + 1L), jsons[i]));
    }
    return entries;
  }

  /**
   * The stored window after the plan is applied: the kept entries and the inserts (memory ids
   * {@code newIds} and the insert's JSON), by sequence.
   */
  private static List<Entry> applied(List<Entry> stored, Plan plan, String newIds) {
    List<Entry> after = new ArrayList<>();
    stored.stream().filter(e -> !plan.deletes().contains(e.memoryId())).forEach(after::add);
    for (Insert insert : plan.inserts()) {
      after.add(new Entry(newIds + insert.json(), insert.seq(), insert.json()));
    }
    after.sort(Comparator.comparingLong(Entry::seq));
    return after;
  }

  private static Plan planChecked(List<Entry> stored, List<String> next) {
    Plan plan = WindowDiff.plan(stored, next);
    assertThat(applied(stored, plan, "new-")).extracting(Entry::json).isEqualTo(next);
    return plan;
  }

  @Test
  void anAppendedMessageIsOneInsertAfterTheLast() {
    Plan plan = planChecked(stored("a", "b"), List.of("a", "b", "c"));
    assertThat(plan.inserts()).containsExactly(new Insert(3 * STEP, "c"));
    assertThat(plan.deletes()).isEmpty();
  }

  @Test
  void evictionFromTheHeadDeletesOnlyTheEvicted() {
    Plan plan = planChecked(stored("a", "b", "c", "d"), List.of("c", "d", "e"));
    assertThat(plan.deletes()).containsExactly("m0", "m1");
    assertThat(plan.inserts()).extracting(Insert::json).containsExactly("e");
  }

  @Test
  void aToolCallEvictedWithItsOrphanResults() {
    Plan plan = planChecked(stored("user", "ai-tool", "tool-result", "ai", "user2"),
        List.of("ai", "user2", "ai2"));
    assertThat(plan.deletes()).containsExactly("m0", "m1", "m2");
    assertThat(plan.inserts()).extracting(Insert::json).containsExactly("ai2");
  }

  @Test
  void aSystemMessageKeptFirstIsInsertedBeforeTheFirstKept() {
    Plan plan = planChecked(stored("sys1", "a", "b"), List.of("sys2", "a", "b"));
    assertThat(plan.deletes()).containsExactly("m0");
    assertThat(plan.inserts()).containsExactly(new Insert(2 * STEP - STEP, "sys2"));
  }

  @Test
  void aSystemMessageReplacedAtTheEnd() {
    Plan plan = planChecked(stored("sys1", "a", "b"), List.of("a", "b", "sys2"));
    assertThat(plan.deletes()).containsExactly("m0");
    assertThat(plan.inserts()).containsExactly(new Insert(4 * STEP, "sys2"));
  }

  @Test
  void aMiddleInsertTakesTheMidpoint() {
    Plan plan = planChecked(stored("a", "c"), List.of("a", "b", "c"));
    assertThat(plan.inserts()).containsExactly(new Insert(STEP + STEP / 2, "b"));
    assertThat(plan.deletes()).isEmpty();
  }

  @Test
  void anExhaustedGapStoresTheWholeWindowAgain() {
    List<Entry> tight = List.of(new Entry("m0", 10, "a"), new Entry("m1", 11, "c"));
    Plan plan = planChecked(tight, List.of("a", "b", "c"));
    assertThat(plan.deletes()).containsExactly("m0", "m1");
    assertThat(plan.inserts()).extracting(Insert::json).containsExactly("a", "b", "c");
    assertThat(plan.inserts()).allSatisfy(i -> assertThat(i.seq()).isGreaterThan(11));
  }

  @Test
  void twentyInsertionsAtOneSpotStayOrdered() {
    List<Entry> entries = new ArrayList<>(stored("a", "z"));
    List<String> window = new ArrayList<>(List.of("a", "z"));
    for (int i = 0; i < 25; i++) {
      window.add(1, "x" + i);
      entries = applied(entries, planChecked(entries, window), "i" + i + "-");
    }
    assertThat(entries).extracting(Entry::json).isEqualTo(window);
  }

  @Test
  void equalMessagesAreMatchedOneToOne() {
    Plan plan = planChecked(stored("ok", "ok", "q"), List.of("ok", "q", "ok"));
    assertThat(plan.deletes()).containsExactly("m1");
    assertThat(plan.inserts()).containsExactly(new Insert(4 * STEP, "ok"));
  }

  @Test
  void emptyWindows() {
    assertThat(planChecked(List.of(), List.of("a", "b")).inserts())
        .containsExactly(new Insert(STEP, "a"), new Insert(2 * STEP, "b"));
    Plan cleared = planChecked(stored("a", "b"), List.of());
    assertThat(cleared.deletes()).containsExactly("m0", "m1");
    assertThat(cleared.inserts()).isEmpty();
    assertThat(planChecked(List.of(), List.of()).inserts()).isEmpty();
  }
}
