package io.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SearchRequestTest {

  private static final Instant T = Instant.parse("2024-06-15T12:00:00Z");

  private static List<String> rejected(SearchRequest.Builder builder) {
    return catchThrowableOfType(InvalidRequestException.class, builder::build).violations()
        .stream().map(InvalidRequestException.Violation::field).toList();
  }

  @Test
  void defaults() {
    SearchRequest request = SearchRequest.builder("alice").build();

    assertThat(request.query()).isNull();
    assertThat(request.limit()).isEqualTo(SearchRequest.DEFAULT_LIMIT).isEqualTo(10);
    assertThat(request.threshold()).isNull();
    assertThat(request.tags()).isEmpty();
    assertThat(request.tagMatch()).isEqualTo(TagMatch.ALL);
    assertThat(request.people()).isEmpty();
    assertThat(request.topic()).isNull();
    assertThat(request.metadata()).isEmpty();
    assertThat(request.hasFilters()).isFalse();
  }

  @Test
  void aNullTagMatchMeansAll() {
    SearchRequest request = SearchRequest.builder("u").tags(List.of("a"), null).build();

    assertThat(request.tagMatch()).isEqualTo(TagMatch.ALL);
  }

  @ParameterizedTest
  @ValueSource(ints = {Integer.MIN_VALUE, -1, 0, SearchRequest.MAX_LIMIT + 1})
  void limitsOutOfRangeAreRejected(int limit) {
    assertThat(rejected(SearchRequest.builder("u").limit(limit))).containsExactly("limit");
  }

  @Test
  void limitBoundsAreAccepted() {
    assertThat(SearchRequest.builder("u").limit(1).build().limit()).isOne();
    assertThat(SearchRequest.builder("u").limit(SearchRequest.MAX_LIMIT).build().limit())
        .isEqualTo(1000);
  }

  @Test
  void aBlankQueryIsRejectedButNoQueryIsAListing() {
    assertThat(rejected(SearchRequest.builder("u").query(" "))).containsExactly("query");
    assertThat(SearchRequest.builder("u").query(null).build().query()).isNull();
  }

  @Test
  void thresholdNeedsAQueryAndARangeOfMinusOneToOne() {
    assertThat(rejected(SearchRequest.builder("u").threshold(0.5))).containsExactly("threshold");
    assertThat(rejected(SearchRequest.builder("u").query("q").threshold(1.01)))
        .containsExactly("threshold");
    assertThat(rejected(SearchRequest.builder("u").query("q").threshold(-1.01)))
        .containsExactly("threshold");
    assertThat(rejected(SearchRequest.builder("u").query("q").threshold(Double.NaN)))
        .containsExactly("threshold");
    assertThat(rejected(SearchRequest.builder("u").threshold(2.0)))
        .containsExactly("threshold", "threshold");
    assertThat(SearchRequest.builder("u").query("q").threshold(-1.0).build().threshold())
        .isEqualTo(-1.0);
    assertThat(SearchRequest.builder("u").query("q").threshold(1.0).build().threshold())
        .isEqualTo(1.0);
  }

  @Test
  void creationBoundsMustFormARange() {
    assertThat(rejected(SearchRequest.builder("u").createdAfter(T).createdBefore(T)))
        .containsExactly("createdBefore");
    assertThat(rejected(SearchRequest.builder("u").createdAfter(T.plusSeconds(1))
        .createdBefore(T))).containsExactly("createdBefore");
    SearchRequest ok = SearchRequest.builder("u").createdAfter(T.plusNanos(1))
        .createdBefore(T.plusSeconds(1)).build();
    assertThat(ok.createdAfter()).isEqualTo(T);
    assertThat(ok.hasFilters()).isTrue();
  }

  @Test
  void referenceTimeAndZoneNeedATemporalPhrase() {
    assertThat(rejected(SearchRequest.builder("u").referenceTime(T)))
        .containsExactly("referenceTime");
    assertThat(rejected(SearchRequest.builder("u").zone(ZoneId.of("UTC"))))
        .containsExactly("zone");
    assertThat(rejected(SearchRequest.builder("u").temporal("  "))).containsExactly("temporal");
    SearchRequest ok = SearchRequest.builder("u").temporal("yesterday").referenceTime(T)
        .zone(ZoneId.of("Europe/Paris")).build();
    assertThat(ok.temporal()).isEqualTo("yesterday");
    assertThat(ok.hasFilters()).isTrue();
  }

  @Test
  void filtersAreNormalized() {
    SearchRequest request = SearchRequest.builder("u").tags(List.of(" FOOD", "food"))
        .people(List.of("Bob", "bob")).topic(" Meals ").metadata(Map.of("n", 5)).build();

    assertThat(request.tags()).containsExactly("food");
    assertThat(request.people()).containsExactly("Bob");
    assertThat(request.topic()).isEqualTo("meals");
    assertThat(request.metadata()).isEqualTo(Map.of("n", 5L));
  }

  @Test
  void eachFilterCountsAsAFilter() {
    assertThat(SearchRequest.builder("u").tags(List.of("a")).build().hasFilters()).isTrue();
    assertThat(SearchRequest.builder("u").people(List.of("a")).build().hasFilters()).isTrue();
    assertThat(SearchRequest.builder("u").topic("a").build().hasFilters()).isTrue();
    assertThat(SearchRequest.builder("u").metadata(Map.of("a", 1)).build().hasFilters()).isTrue();
    assertThat(SearchRequest.builder("u").createdBefore(T).build().hasFilters()).isTrue();
    assertThat(SearchRequest.builder("u").query("q").threshold(0.1).limit(3).build().hasFilters())
        .isFalse();
  }

  @Test
  void everyProblemIsListed() {
    assertThat(rejected(SearchRequest.builder("bad user").query(" ").limit(0).threshold(3.0)
        .tags(List.of(" ")).people(List.of("")).createdAfter(T).createdBefore(T)
        .referenceTime(T)))
        .containsExactly("userId", "query", "limit", "threshold", "tags", "people",
            "createdBefore", "referenceTime");
  }
}
