package io.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.inmemory.InvalidRequestException.Violation;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The size limits of a {@link MemoryFilter}, checked on searches and listings. */
class FilterLimitsTest {
  /** 10 nodes, depth 3, 10 values per in/nin, 1,024 bytes; the rest at their defaults. */
  private static final Limits SMALL = Limits.from(InMemoryConfig.builder().isolated()
      .set(Limits.MAX_FILTER_NODES, 10).set(Limits.MAX_FILTER_DEPTH, 3)
      .set(Limits.MAX_FILTER_VALUES, 10).set(Limits.MAX_METADATA_SIZE, 1024L).build());

  private static List<Violation> violations(MemoryFilter filter) {
    ContentTooLargeException search = catchThrowableOfType(ContentTooLargeException.class,
        () -> SMALL.check(SearchRequest.builder("u").filter(filter).build()));
    ContentTooLargeException list = catchThrowableOfType(ContentTooLargeException.class,
        () -> SMALL.check(ListRequest.builder(Scope.user("u")).filter(filter).build()));
    assertThat(search).as("the search's verdict").isNotNull();
    assertThat(list).as("the listing's verdict").isNotNull();
    assertThat(list.violations()).isEqualTo(search.violations());
    return search.violations();
  }

  private static MemoryFilter tag(int i) {
    return MemoryFilter.tags().contains("t" + i);
  }

  private static List<String> tags(int count) {
    return IntStream.range(0, count).mapToObj(i -> "t" + i).toList();
  }

  @Test
  void aFilterWithinEveryLimitPasses() {
    // 1 + 4 * 2 = 9 nodes, depth 2, 10 values.
    MemoryFilter filter = MemoryFilter.and(MemoryFilter.or(tag(1), tag(2)),
        MemoryFilter.tags().in(tags(10)), tag(3));

    assertThatCode(() -> SMALL.check(SearchRequest.builder("u").filter(filter).build()))
        .doesNotThrowAnyException();
    assertThatCode(() -> SMALL.check(ListRequest.builder(Scope.user("u")).filter(filter).build()))
        .doesNotThrowAnyException();
  }

  @Test
  void tooManyNodes() {
    MemoryFilter filter = new MemoryFilter.All(IntStream.range(0, 5).mapToObj(
        FilterLimitsTest::tag).toList());

    assertThat(violations(filter)).containsExactly(new Violation("filter", "has 11 nodes, over"
        + " the maximum of 10 (set inmemory.max-filter-nodes to change it)"));
  }

  @Test
  void depthCountsTheCombinatorsAroundAComparison() {
    // three combinators around a comparison are the limit of 3, not over it
    MemoryFilter three = MemoryFilter.and(MemoryFilter.or(MemoryFilter.not(tag(1))));

    assertThatCode(() -> SMALL.check(SearchRequest.builder("u").filter(three).build()))
        .doesNotThrowAnyException();
    assertThat(violations(MemoryFilter.not(three))).containsExactly(new Violation("filter",
        "nests 4 levels deep, over the maximum of 3 (set inmemory.max-filter-depth to change"
            + " it)"));
  }

  @Test
  void tooDeep() {
    MemoryFilter filter = MemoryFilter.not(MemoryFilter.not(MemoryFilter.not(
        MemoryFilter.not(tag(1)))));

    assertThat(violations(filter)).containsExactly(new Violation("filter", "nests 4 levels"
        + " deep, over the maximum of 3 (set inmemory.max-filter-depth to change it)"));
  }

  @Test
  void tooManyValuesInOneComparisonAndInAll() {
    List<Violation> one = violations(MemoryFilter.tags().nin(tags(11)));
    List<Violation> both = violations(MemoryFilter.or(MemoryFilter.tags().in(tags(95)),
        MemoryFilter.people().in(tags(10))));

    assertThat(one).containsExactly(new Violation("filter", "tags nin has 11 values, over the"
        + " maximum of 10 (set inmemory.max-filter-values to change it)"));
    assertThat(both).extracting(Violation::problem).containsExactly(
        "tags in has 95 values, over the maximum of 10 (set inmemory.max-filter-values to"
            + " change it)",
        "has 105 values in all, over the maximum of 100 (set inmemory.max-filter-values to"
            + " change it)");
  }

  @Test
  void longTextCountsTowardTheMetadataSize() {
    List<Violation> violations = violations(MemoryFilter.content().contains("x".repeat(1100)));

    assertThat(violations).containsExactly(new Violation("filter", "is about 1112 bytes as JSON,"
        + " over the maximum of 1024 (set inmemory.max-metadata-size to change it)"));
  }
}
