package io.inmemory.springai;

import static io.inmemory.MemoryFilter.and;
import static io.inmemory.MemoryFilter.metadata;
import static io.inmemory.MemoryFilter.not;
import static io.inmemory.MemoryFilter.or;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.InvalidRequestException;
import io.inmemory.MemoryFilter;
import io.inmemory.Role;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.ai.vectorstore.filter.Filter;
import org.springframework.ai.vectorstore.filter.FilterExpressionBuilder;

class SpringAiFiltersTest {

  static Stream<Arguments> translated() {
    return Stream.of(
        Arguments.of("year == 2020", metadata("year").eq(2020)),
        Arguments.of("year != 2020", metadata("year").ne(2020)),
        Arguments.of("price > 1.5", metadata("price").gt(1.5)),
        Arguments.of("price >= 2", metadata("price").gte(2)),
        Arguments.of("price < 3000000000L", metadata("price").lt(3_000_000_000L)),
        Arguments.of("price <= 3", metadata("price").lte(3)),
        Arguments.of("done == true", metadata("done").eq(true)),
        Arguments.of("genre in ['drama', 'comedy']", metadata("genre").in("drama", "comedy")),
        Arguments.of("genre nin ['drama']", metadata("genre").nin("drama")),
        Arguments.of("genre NOT IN ['drama']", metadata("genre").nin("drama")),
        Arguments.of("'my key' == 'x'", metadata("my key").eq("x")),
        Arguments.of("metadata.city == 'Paris'", metadata("city").eq("Paris")),
        // the text DSL takes one dot in a bare key: a deeper path is quoted
        Arguments.of("'metadata.address.city' == 'Paris'", metadata("address.city").eq("Paris")),
        Arguments.of("metadata.tags == 'x'", metadata("tags").eq("x")),
        Arguments.of("topic == 'food'", MemoryFilter.topic().eq("food")),
        Arguments.of("topic in ['food', 'travel']", MemoryFilter.topic().in("food", "travel")),
        Arguments.of("agent_id == 'planner'", MemoryFilter.agentId().eq("planner")),
        Arguments.of("session_id != 's1'", MemoryFilter.sessionId().ne("s1")),
        Arguments.of("role == 'user'", MemoryFilter.role().eq(Role.USER)),
        Arguments.of("created_at >= '2024-01-01T00:00:00Z'",
            MemoryFilter.createdAt().gte(Instant.parse("2024-01-01T00:00:00Z"))),
        Arguments.of("tags == 'food'", MemoryFilter.tags().contains("food")),
        Arguments.of("tags != 'food'", not(MemoryFilter.tags().contains("food"))),
        Arguments.of("tags in ['food', 'work']", MemoryFilter.tags().in("food", "work")),
        Arguments.of("people == 'Bob'", MemoryFilter.people().contains("Bob")),
        Arguments.of("people nin ['Bob']", MemoryFilter.people().nin("Bob")),
        Arguments.of("a == 1 && b == 2", and(metadata("a").eq(1), metadata("b").eq(2))),
        Arguments.of("a == 1 AND b == 2 AND c == 3",
            and(metadata("a").eq(1), metadata("b").eq(2), metadata("c").eq(3))),
        Arguments.of("a == 1 || (b == 2 || c == 3)",
            or(metadata("a").eq(1), metadata("b").eq(2), metadata("c").eq(3))),
        Arguments.of("a == 1 && (b == 2 || c == 3)",
            and(metadata("a").eq(1), or(metadata("b").eq(2), metadata("c").eq(3)))),
        Arguments.of("tags in ['a', 'b'] || not(x == 1)",
            or(MemoryFilter.tags().in("a", "b"), not(metadata("x").eq(1)))),
        Arguments.of("NOT (a == 1 && b == 2)", not(and(metadata("a").eq(1), metadata("b").eq(2)))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void translated(String text, MemoryFilter expected) {
    assertThat(SpringAiFilters.parse(text)).isEqualTo(expected);
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of("year IS NULL", "IS NULL and IS NOT NULL are not supported"),
        Arguments.of("year IS NOT NULL", "IS NULL and IS NOT NULL are not supported"),
        Arguments.of("user_id == 'alice'", "user_id is the request's scope"),
        Arguments.of("content == 'x'", "operator eq does not apply to content"),
        Arguments.of("tags > 'a'", "operator gt does not apply to tags"),
        Arguments.of("done > true", "gt compares a number, text or an instant"),
        Arguments.of("role == 'robot'", "the value must be one of user"),
        Arguments.of("year ==", "cannot parse filter 'year =='"),
        Arguments.of("x == 1.5e3", "cannot parse filter"),
        Arguments.of("x in []", "cannot parse filter"),
        // an out-of-int literal without L: the parser throws a raw NumberFormatException
        Arguments.of("x == 3000000000", "cannot parse filter 'x == 3000000000'"),
        Arguments.of(" ", "the filter text is empty"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void refused(String text, String problem) {
    assertThatThrownBy(() -> SpringAiFilters.parse(text))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.violations())
            .anySatisfy(v -> {
              assertThat(v.field()).isEqualTo("filter");
              assertThat(v.problem()).contains(problem);
            }));
  }

  @Test
  void builderExpressionsWithDatesAndGroups() {
    FilterExpressionBuilder b = new FilterExpressionBuilder();
    Date date = Date.from(Instant.parse("2025-03-01T10:00:00Z"));
    Filter.Expression expression = b.and(
        b.group(b.or(b.eq("topic", "food"), b.gte("valid_from", date))),
        b.not(b.in("genre", "drama", "comedy"))).build();

    assertThat(SpringAiFilters.toMemoryFilter(expression)).isEqualTo(and(
        or(MemoryFilter.topic().eq("food"), MemoryFilter.validFrom().gte(date.toInstant())),
        not(metadata("genre").in("drama", "comedy"))));

    // a time with an offset or zone names one instant, as a Date does
    Instant t = date.toInstant();
    assertThat(SpringAiFilters.toMemoryFilter(b.and(
        b.gt("created_at", t.atOffset(java.time.ZoneOffset.ofHours(-5))),
        b.lte("updated_at", t.atZone(java.time.ZoneId.of("Europe/Paris")))).build()))
        .isEqualTo(and(MemoryFilter.createdAt().gt(t), MemoryFilter.updatedAt().lte(t)));

    // JDBC's dates are Dates too (java.sql.Date has no toInstant)
    assertThat(SpringAiFilters.toMemoryFilter(b.and(
        b.gte("created_at", new java.sql.Date(date.getTime())),
        b.lt("updated_at", new java.sql.Timestamp(date.getTime()))).build()))
        .isEqualTo(and(MemoryFilter.createdAt().gte(t), MemoryFilter.updatedAt().lt(t)));
  }

  @Test
  void deepOrMalformedInputIsARefusedFilterNotACrash() {
    FilterExpressionBuilder b = new FilterExpressionBuilder();
    Filter.Expression deep = b.eq("x", 1).build();
    for (int i = 0; i < 1000; i++) {
      deep = new Filter.Expression(Filter.ExpressionType.NOT, new Filter.Group(deep), null);
    }
    Filter.Expression tooDeep = deep;
    assertThatThrownBy(() -> SpringAiFilters.toMemoryFilter(tooDeep))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("nested deeper than 1000");
    // a long chain of one operator is one level, however the parser nests it
    Filter.Expression chain = b.eq("x", 0).build();
    for (int i = 1; i < 5000; i++) {
      chain = new Filter.Expression(Filter.ExpressionType.AND, chain, b.eq("x", i).build());
    }
    assertThat(SpringAiFilters.toMemoryFilter(chain)).isInstanceOfSatisfying(
        MemoryFilter.All.class, all -> {
          assertThat(all.filters()).hasSize(5000);
          assertThat(all.filters().get(4999)).isEqualTo(metadata("x").eq(4999));
        });
    for (String nested : List.of("not(".repeat(20_000) + "x == 1" + ")".repeat(20_000),
        "(".repeat(20_000) + "x == 1" + ")".repeat(20_000))) {
      assertThatThrownBy(() -> SpringAiFilters.parse(nested))
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("cannot parse filter");
    }
    assertThatThrownBy(() -> SpringAiFilters.toMemoryFilter(new Filter.Expression(null,
        new Filter.Key("x"), new Filter.Value(1))))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("without a type");
    assertThatThrownBy(() -> SpringAiFilters.toMemoryFilter(new Filter.Expression(
        Filter.ExpressionType.AND, b.eq("x", 1).build(), null)))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("expected an expression");
    assertThatThrownBy(() -> SpringAiFilters.toMemoryFilter(b.eq("x", new Object()).build()))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("unsupported type");
  }

  @Test
  void aNullExpressionIsRefused() {
    assertThatThrownBy(() -> SpringAiFilters.toMemoryFilter(null))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("null");
  }
}
