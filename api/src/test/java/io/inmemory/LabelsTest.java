package io.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The labels value, the builders' shared setters and the update's merge. */
class LabelsTest {

  private static final Instant T = Instant.parse("2024-06-15T12:00:00Z");
  private static final String LONE_SURROGATE = "a\uD800";

  private static List<String> rejectedFields(Supplier<?> build) {
    return catchThrowableOfType(InvalidRequestException.class, build::get).violations().stream()
        .map(InvalidRequestException.Violation::field).toList();
  }

  private static Map<String, Object> withNullValue() {
    Map<String, Object> metadata = new HashMap<>();
    metadata.put("k", null);
    return metadata;
  }

  @Test
  void labelsAreNormalized() {
    Labels labels = new Labels(List.of(" Work", "food ", "WORK"), List.of("Bob", " carol ", "BOB"),
        "  Q4 Planning ", Map.of("n", 1, "nested", Map.of("x", 2.0, "y", 2.5f)));

    assertThat(labels.tags()).containsExactly("work", "food");
    assertThat(labels.people()).containsExactly("Bob", "carol");
    assertThat(labels.topic()).isEqualTo("q4 planning");
    assertThat(labels.metadata()).isEqualTo(Map.of("n", 1L, "nested", Map.of("x", 2L, "y", 2.5)));
  }

  @Test
  void nullOrEmptyMeansNone() {
    Labels labels = new Labels(null, null, "   ", null);

    assertThat(labels.tags()).isEmpty();
    assertThat(labels.people()).isEmpty();
    assertThat(labels.topic()).isNull();
    assertThat(labels.metadata()).isEmpty();
    assertThat(labels).isEqualTo(new Labels(List.of(), List.of(), null, Map.of()));
  }

  @Test
  void listsAndMapsAreUnmodifiableCopies() {
    List<String> tags = new ArrayList<>(List.of("a"));
    Map<String, Object> metadata = new HashMap<>(Map.of("k", "v"));
    Labels labels = new Labels(tags, List.of("Bob"), null, metadata);
    tags.add("b");
    metadata.put("k2", "v2");

    assertThat(labels.tags()).containsExactly("a");
    assertThat(labels.metadata()).isEqualTo(Map.of("k", "v"));
    assertThatThrownBy(() -> labels.tags().add("c"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> labels.people().add("c"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> labels.metadata().put("c", "d"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void everyMalformedLabelIsListedAtOnce() {
    assertThat(rejectedFields(() -> new Labels(List.of("ok", " "), Arrays.asList("Bob", null),
        null, withNullValue())))
        .containsExactly("tags", "people", "metadata.k");
  }

  @Test
  void labelsTakeTextAsItIsLikeARecordReadBackWhileRequestsRefuseALoneSurrogate() {
    assertThat(new Labels(List.of(LONE_SURROGATE), List.of(), null, Map.of()).tags())
        .containsExactly(LONE_SURROGATE);
    assertThat(rejectedFields(() -> AddRequest.builder("x", "u").tags(LONE_SURROGATE).build()))
        .containsExactly("tags");
  }

  @Test
  void mentionsComparesPeopleIgnoringCaseAndPadding() {
    Labels labels = new Labels(List.of(), List.of("Bob", "Carol"), null, Map.of());

    assertThat(labels.mentions(" BOB ")).isTrue();
    assertThat(labels.mentions("carol")).isTrue();
    assertThat(labels.mentions("Bo")).isFalse();
  }

  @Test
  void requestsAndRecordsExposeTheirLabelsAsOneValue() {
    Labels expected = new Labels(List.of("a"), List.of("Bob"), "t", Map.of("n", 1L));

    assertThat(AddRequest.builder("x", "u").tags(" A").people("Bob").topic("T")
        .metadata(Map.of("n", 1)).build().labels()).isEqualTo(expected);
    assertThat(SearchRequest.builder("u").tags(List.of("A")).people(List.of("BOB", "Bob"))
        .topic(" t").metadata(Map.of("n", 1)).build().labels())
        .isEqualTo(new Labels(List.of("a"), List.of("BOB"), "t", Map.of("n", 1L)));
    assertThat(new MemoryRecord("m", "u", "c", List.of("A"), List.of("Bob"), "T",
        Map.of("n", 1), T, T).labels()).isEqualTo(expected);
  }

  @Test
  void theSettersReturnTheConcreteBuilderSoCallsChainInAnyOrder() {
    // Each chain calls a builder's own setter after the shared ones: it compiles only because they
    // return the concrete builder.
    AddRequest add = AddRequest.builder("x", "u").tags("a").people("Bob").topic("t")
        .metadata(Map.of("k", "v")).tags(List.of("b")).people(List.of("Carol")).createdAt(T)
        .build();
    UpdateRequest update = UpdateRequest.builder().tags("a").people("Bob").topic("t")
        .metadata(Map.of("k", "v")).content("new").build();
    SearchRequest search = SearchRequest.builder("u").tags("a", "b").people("Bob").topic("t")
        .metadata(Map.of("k", "v")).query("q").limit(3).build();

    assertThat(add.labels()).isEqualTo(
        new Labels(List.of("b"), List.of("Carol"), "t", Map.of("k", "v")));
    assertThat(add.createdAt()).isEqualTo(T);
    assertThat(new Labels(update.tags(), update.people(), update.topic(), update.metadata()))
        .isEqualTo(new Labels(List.of("a"), List.of("Bob"), "t", Map.of("k", "v")));
    assertThat(update.content()).isEqualTo("new");
    assertThat(search.labels()).isEqualTo(
        new Labels(List.of("a", "b"), List.of("Bob"), "t", Map.of("k", "v")));
    assertThat(search.query()).isEqualTo("q");
    assertThat(search.limit()).isEqualTo(3);
  }

  @Test
  void buildersStartAtWhatTheirRequestMeansByNotGiven() {
    assertThat(AddRequest.builder("x", "u").build().labels())
        .isEqualTo(new Labels(List.of(), List.of(), null, Map.of()));
    assertThat(SearchRequest.builder("u").build().labels())
        .isEqualTo(new Labels(List.of(), List.of(), null, Map.of()));
    UpdateRequest update = UpdateRequest.builder().content("c").build();
    assertThat(Arrays.asList(update.tags(), update.people(), update.topic(), update.metadata()))
        .containsOnlyNulls();
  }

  @Test
  void everySearchTagSetterButTheOneWithAMatchMeansAllTags() {
    assertThat(SearchRequest.builder("u").tags(List.of("a"), TagMatch.ANY).build().tagMatch())
        .isEqualTo(TagMatch.ANY);
    assertThat(SearchRequest.builder("u").tags(List.of("a"), TagMatch.ANY).tags(List.of("b"))
        .build().tagMatch()).isEqualTo(TagMatch.ALL);
    assertThat(SearchRequest.builder("u").tags(List.of("a"), TagMatch.ANY).tags("b")
        .build().tagMatch()).isEqualTo(TagMatch.ALL);
  }

  @Test
  void anUpdateReplacesTheLabelsItGivesAndKeepsTheOthers() {
    Labels current = new Labels(List.of("a"), List.of("Bob"), "work", Map.of("k", "v"));

    assertThat(UpdateRequest.builder().content("new").build().applyTo(current))
        .isEqualTo(current);
    assertThat(UpdateRequest.builder().tags(" B").metadata(Map.of("n", 1)).build()
        .applyTo(current))
        .isEqualTo(new Labels(List.of("b"), List.of("Bob"), "work", Map.of("n", 1L)));
    assertThat(UpdateRequest.builder().people("Carol").topic(" Home ").build().applyTo(current))
        .isEqualTo(new Labels(List.of("a"), List.of("Carol"), "home", Map.of("k", "v")));
  }

  @Test
  void anUpdateClearsWithEmptyValuesAndABlankTopic() {
    Labels current = new Labels(List.of("a"), List.of("Bob"), "work", Map.of("k", "v"));

    assertThat(UpdateRequest.builder().tags(List.of()).people(List.of()).topic(" ")
        .metadata(Map.of()).build().applyTo(current))
        .isEqualTo(new Labels(List.of(), List.of(), null, Map.of()));
  }

  @Test
  void requestsStillListEveryProblemAtOnceInFieldOrder() {
    assertThat(rejectedFields(() -> AddRequest.builder(" ", "u").tags(" ").people("Bob", "")
        .topic(LONE_SURROGATE).metadata(withNullValue()).build()))
        .containsExactly("content", "tags", "people", "topic", "metadata.k");
    assertThat(rejectedFields(() -> UpdateRequest.builder().content(" ").tags(" ").people("")
        .topic(LONE_SURROGATE).metadata(withNullValue()).build()))
        .containsExactly("content", "tags", "people", "topic", "metadata.k");
    assertThat(rejectedFields(() -> SearchRequest.builder("bad user").limit(0).tags(" ")
        .people("").topic(LONE_SURROGATE).metadata(withNullValue()).createdAfter(T)
        .createdBefore(T).build()))
        .containsExactly("userId", "limit", "tags", "people", "topic", "metadata.k",
            "createdBefore");
  }
}
