package io.inmemory.langchain4j;

import static io.inmemory.MemoryFilter.and;
import static io.inmemory.MemoryFilter.metadata;
import static io.inmemory.MemoryFilter.not;
import static io.inmemory.MemoryFilter.or;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.langchain4j.store.embedding.filter.Filter;
import dev.langchain4j.store.embedding.filter.comparison.ContainsString;
import dev.langchain4j.store.embedding.filter.comparison.IsEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsGreaterThan;
import dev.langchain4j.store.embedding.filter.comparison.IsGreaterThanOrEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsIn;
import dev.langchain4j.store.embedding.filter.comparison.IsLessThan;
import dev.langchain4j.store.embedding.filter.comparison.IsLessThanOrEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsNotEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsNotIn;
import dev.langchain4j.store.embedding.filter.logical.And;
import dev.langchain4j.store.embedding.filter.logical.Not;
import dev.langchain4j.store.embedding.filter.logical.Or;
import io.inmemory.InvalidRequestException;
import io.inmemory.MemoryFilter;
import io.inmemory.Role;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LangChain4jFiltersTest {

  private static final UUID ID = UUID.fromString("0b6f4f4e-2f7e-4c55-9d43-3a7c1f0a9e11");
  private static final Instant T = Instant.parse("2026-01-02T03:04:05Z");
  private static final IsIn CITIES = new IsIn("city", List.of("Paris", "Rome", "Oslo"));

  /** One row per line of the translation table: the LangChain4j filter and what it becomes. */
  static Stream<Arguments> translations() {
    return Stream.of(
        arguments(new IsEqualTo("city", "Paris"), metadata("city").eq("Paris")),
        arguments(new IsEqualTo("metadata.address.city", "Paris"),
            metadata("address.city").eq("Paris")),
        arguments(new IsEqualTo("address.city", "Paris"), metadata("address.city").eq("Paris")),
        arguments(new IsEqualTo("metadata.tags", "x"), metadata("tags").eq("x")),
        arguments(new IsEqualTo("ref", ID), metadata("ref").eq(ID.toString())),
        arguments(new IsEqualTo("price", 0.1f), metadata("price").eq(0.1d)),
        arguments(new IsEqualTo("count", 3L), metadata("count").eq(3L)),
        arguments(new IsEqualTo("done", true), metadata("done").eq(true)),
        arguments(new IsNotEqualTo("city", "Paris"), metadata("city").ne("Paris")),
        arguments(new IsGreaterThan("price", 3), metadata("price").gt(3)),
        arguments(new IsGreaterThanOrEqualTo("price", 3), metadata("price").gte(3)),
        arguments(new IsLessThan("price", 3), metadata("price").lt(3)),
        arguments(new IsLessThanOrEqualTo("price", 3), metadata("price").lte(3)),
        // IsIn keeps its values in a set: the translation lists them in the set's order
        arguments(CITIES, metadata("city").in(CITIES.comparisonValues())),
        arguments(new IsNotIn("city", List.of("Paris")), metadata("city").nin("Paris")),
        arguments(new IsIn("ref", List.of(ID)), metadata("ref").in(ID.toString())),
        arguments(new ContainsString("note", "pea"), metadata("note").contains("pea")),
        arguments(new IsEqualTo("topic", "Food"), MemoryFilter.topic().eq("food")),
        arguments(new IsNotEqualTo("topic", "food"), MemoryFilter.topic().ne("food")),
        arguments(new IsIn("topic", List.of("food")), MemoryFilter.topic().in("food")),
        arguments(new ContainsString("topic", "oo"), MemoryFilter.topic().contains("oo")),
        arguments(new IsEqualTo("role", "user"), MemoryFilter.role().eq(Role.USER)),
        arguments(new IsNotIn("role", List.of("tool")), MemoryFilter.role().nin(Role.TOOL)),
        arguments(new IsEqualTo("agent_id", "planner"), MemoryFilter.agentId().eq("planner")),
        arguments(new IsNotEqualTo("session_id", "s1"), MemoryFilter.sessionId().ne("s1")),
        arguments(new IsGreaterThan("created_at", T), MemoryFilter.createdAt().gt(T)),
        arguments(new IsLessThanOrEqualTo("valid_from", T.toString()),
            MemoryFilter.validFrom().lte(T)),
        arguments(new IsGreaterThanOrEqualTo("updated_at", T), MemoryFilter.updatedAt().gte(T)),
        arguments(new IsLessThan("invalid_at", T), MemoryFilter.invalidAt().lt(T)),
        // a time with an offset or zone, or a Date, names one instant, as Spring AI's Date does
        arguments(new IsGreaterThan("created_at", T.atOffset(ZoneOffset.ofHours(2))),
            MemoryFilter.createdAt().gt(T)),
        arguments(new IsLessThan("valid_from", T.atZone(ZoneId.of("Asia/Tokyo"))),
            MemoryFilter.validFrom().lt(T)),
        arguments(new IsGreaterThanOrEqualTo("updated_at", Date.from(T)),
            MemoryFilter.updatedAt().gte(T)),
        arguments(new IsNotEqualTo("invalid_at", Date.from(T)), MemoryFilter.invalidAt().ne(T)),
        arguments(new IsEqualTo("tags", "food"), MemoryFilter.tags().contains("food")),
        arguments(new IsNotEqualTo("tags", "food"), not(MemoryFilter.tags().contains("food"))),
        arguments(new IsIn("tags", List.of("a", "b")), MemoryFilter.tags().in("a", "b")),
        arguments(new IsNotIn("people", List.of("Bob")), MemoryFilter.people().nin("Bob")),
        arguments(new IsEqualTo("people", "Bob"), MemoryFilter.people().contains("Bob")),
        arguments(new ContainsString("content", "Peanut"), MemoryFilter.content().contains("Peanut")),
        arguments(new And(new IsEqualTo("a", 1), new IsEqualTo("b", 2)),
            and(metadata("a").eq(1), metadata("b").eq(2))),
        arguments(new Or(new IsEqualTo("a", 1), new IsEqualTo("b", 2)),
            or(metadata("a").eq(1), metadata("b").eq(2))),
        arguments(new Not(new IsEqualTo("a", 1)), not(metadata("a").eq(1))),
        // nested chains of one kind are one node; a different kind nests
        arguments(new And(new And(new IsEqualTo("a", 1), new IsEqualTo("b", 2)),
                new And(new IsEqualTo("c", 3), new Or(new IsEqualTo("d", 4), new IsEqualTo("e", 5)))),
            and(metadata("a").eq(1), metadata("b").eq(2), metadata("c").eq(3),
                or(metadata("d").eq(4), metadata("e").eq(5)))),
        arguments(new Or(new Or(new IsEqualTo("a", 1), new Not(new And(new IsEqualTo("b", 2),
                new IsEqualTo("c", 3)))), new IsEqualTo("d", 4)),
            or(metadata("a").eq(1), not(and(metadata("b").eq(2), metadata("c").eq(3))),
                metadata("d").eq(4))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("translations")
  void translatesEachSupportedFilter(Filter filter, MemoryFilter expected) {
    assertThat(LangChain4jFilters.translate(filter)).isEqualTo(expected);
  }

  /** Filters refused, with the text the refusal must hold; the last three are Compare's. */
  private static final List<Arguments> REFUSALS = refusalRows();

  static Stream<Arguments> refusals() {
    return REFUSALS.stream();
  }

  private static List<Arguments> refusalRows() {
    Filter own = object -> true;
    return List.of(
        arguments(new IsEqualTo("user_id", "alice"),
            "LangChain4j filter IsEqualTo on 'user_id' is not supported: the user is the request's"
                + " scope"),
        arguments(new IsEqualTo("content", "x"),
            "LangChain4j filter IsEqualTo on 'content' is not supported: content is matched by"
                + " ContainsString only"),
        arguments(new IsIn("content", List.of("x")), "IsIn on 'content' is not supported"),
        arguments(new IsGreaterThan("tags", "a"),
            "IsGreaterThan on 'tags' is not supported: tags is a list of names"),
        arguments(new IsLessThan("people", "a"), "IsLessThan on 'people' is not supported"),
        arguments(new ContainsString("tags", "foo"),
            "ContainsString on 'tags' is not supported: tags are matched whole, not by substring:"
                + " use IsEqualTo"),
        arguments(new ContainsString("role", "us"),
            "ContainsString on 'role' is not supported: ContainsString applies to metadata, topic"
                + " and content only"),
        arguments(new ContainsString("created_at", "2026"), "ContainsString on 'created_at'"),
        arguments(new And(new IsEqualTo("a", 1), new Not(new IsEqualTo("user_id", "bob"))),
            "IsEqualTo on 'user_id'"),
        arguments(own, "is not supported: it is not one of LangChain4j's filters"),
        // Compare's own refusals: an operator the field does not take, a value it does not take
        arguments(new IsGreaterThan("topic", "a"), "operator gt does not apply to topic"),
        arguments(new IsEqualTo("role", "robot"), "role: the value must be one of user"),
        arguments(new IsGreaterThan("price", true), "metadata.price: gt compares a number"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void refusesWhatItCannotTranslateOnTheFilterField(Filter filter, String message) {
    assertThatThrownBy(() -> LangChain4jFilters.translate(filter))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
          assertThat(e.violations()).singleElement()
              .satisfies(v -> assertThat(v.field()).isEqualTo("filter"))
              .satisfies(v -> assertThat(v.problem()).contains(message));
        });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void aRefusalOfThisClassListsWhatIsSupported(Filter filter, String message) {
    boolean ours = REFUSALS.subList(0, REFUSALS.size() - 3).stream()
        .anyMatch(row -> row.get()[0] == filter);
    if (ours) {
      assertThatThrownBy(() -> LangChain4jFilters.translate(filter))
          .hasMessageContaining("Invalid request: filter: LangChain4j filter ")
          .hasMessageEndingWith("; supported: " + LangChain4jFilters.SUPPORTED);
    } else {
      assertThatThrownBy(() -> LangChain4jFilters.translate(filter))
          .hasMessageNotContaining("LangChain4j filter");
    }
  }

  @org.junit.jupiter.api.Test
  void aNullFilterIsRefused() {
    assertThatThrownBy(() -> LangChain4jFilters.translate(null))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("filter");
  }
}
