package io.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.inmemory.MemoryFilter.Compare;
import io.inmemory.MemoryFilter.Field;
import io.inmemory.MemoryFilter.Op;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MemoryFilterTest {

  private static String problem(Runnable build) {
    InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class, build::run);
    assertThat(e).as("expected an invalid filter").isNotNull();
    assertThat(e.violations()).extracting(InvalidRequestException.Violation::field)
        .containsOnly("filter");
    return e.getMessage();
  }

  @Test
  void fluentLeavesBuildNormalizedComparisons() {
    assertThat(MemoryFilter.metadata("price").gt(3))
        .isEqualTo(new Compare(new Field("metadata", "price"), Op.GT, 3L));
    assertThat(MemoryFilter.tags().contains(" Food ").value()).isEqualTo("food");
    assertThat(MemoryFilter.topic().eq(" Work ").value()).isEqualTo("work");
    assertThat(MemoryFilter.createdAt().gte("2024-01-01T00:00:00.123456Z").value())
        .isEqualTo(Instant.parse("2024-01-01T00:00:00.123Z"));
    assertThat(MemoryFilter.role().in("user", Role.TOOL).value())
        .isEqualTo(List.of(Role.USER, Role.TOOL));
    assertThat(MemoryFilter.agentId().in("a", "b").value()).isEqualTo(List.of("a", "b"));
    assertThat(MemoryFilter.metadata("address.city").eq(List.of(1, "x")).value())
        .isEqualTo(List.of(1L, "x"));
  }

  @Test
  void combinatorsCopyTheirOperands() {
    List<MemoryFilter> operands = new ArrayList<>(List.of(MemoryFilter.content().contains("x")));
    MemoryFilter.All all = new MemoryFilter.All(operands);
    operands.add(MemoryFilter.sessionId().eq("s"));

    assertThat(all.filters()).hasSize(1);
    assertThat(MemoryFilter.or(all, MemoryFilter.not(all))).isInstanceOf(MemoryFilter.Any.class);
    assertThat(problem(() -> MemoryFilter.and())).contains("AND needs at least one filter");
    assertThat(problem(() -> new MemoryFilter.Any(List.of()))).contains("OR needs");
    assertThat(problem(() -> MemoryFilter.not(null))).contains("NOT needs a filter");
  }

  @Test
  void operatorsMustApplyToTheField() {
    assertThat(problem(() -> MemoryFilter.tags().gt("a")))
        .contains("operator gt does not apply to tags; tags supports in, nin, contains");
    assertThat(problem(() -> MemoryFilter.createdAt().contains("2024")))
        .contains("does not apply to created_at");
    assertThat(problem(() -> MemoryFilter.content().eq("x")))
        .contains("content supports contains");
    assertThat(problem(() -> MemoryFilter.agentId().contains("a")))
        .contains("agent_id supports eq, ne, in, nin");
  }

  @Test
  void unknownFieldsAndUserIdAreRefused() {
    assertThat(problem(() -> new Field("price", null)))
        .contains("unknown field 'price'; supported: metadata.<key>, created_at, updated_at");
    assertThat(problem(() -> new Field("user_id", null)))
        .contains("user_id is the request's scope (userId)");
    assertThat(problem(() -> MemoryFilter.metadata("a..b")))
        .contains("metadata needs a key");
    assertThat(problem(() -> new Field("tags", "x"))).contains("tags has no key");
    assertThat(problem(() -> MemoryFilter.metadata("a.b\ud800")))
        .contains("metadata key 'a.b\\uD800' holds a lone UTF-16 surrogate");
    assertThat(problem(() -> MemoryFilter.metadata("\udc00")))
        .contains("lone UTF-16 surrogate");
  }

  @Test
  void orderingTakesANumberTextOrAnInstantOnly() {
    assertThat(problem(() -> MemoryFilter.metadata("price").gt(true)))
        .contains("metadata.price: gt compares a number, text or an instant, was a boolean");
    assertThat(problem(() -> MemoryFilter.metadata("price").lte(List.of(1))))
        .contains("metadata.price: lte compares a number, text or an instant, was a list");
    assertThat(problem(() -> MemoryFilter.metadata("price").gte(Map.of("a", 1))))
        .contains("metadata.price: gte compares a number, text or an instant, was an object");
    assertThat(problem(() -> MemoryFilter.metadata("price").lt(null)))
        .contains("a value is required");
    // what ordering takes, and what eq and contains take besides
    assertThat(MemoryFilter.metadata("price").gt(3).value()).isEqualTo(3L);
    assertThat(MemoryFilter.metadata("name").lt("m").value()).isEqualTo("m");
    assertThat(MemoryFilter.metadata("ok").eq(true).value()).isEqualTo(true);
    assertThat(MemoryFilter.metadata("list").contains(List.of(1)).value()).isEqualTo(List.of(1L));
  }

  @Test
  void aTimeFieldTakesEveryJavaTimeThatNamesOneInstant() {
    Instant t = Instant.parse("2025-03-01T10:00:00Z");
    // as java.sql.Date does: a Date whose toInstant is not supported
    Date jdbcLike = new Date(t.toEpochMilli()) {
      @Override
      public Instant toInstant() {
        throw new UnsupportedOperationException();
      }
    };

    assertThat(MemoryFilter.createdAt().gt(Date.from(t))).isEqualTo(MemoryFilter.createdAt().gt(t));
    assertThat(MemoryFilter.validFrom().eq(jdbcLike)).isEqualTo(MemoryFilter.validFrom().eq(t));
    assertThat(MemoryFilter.updatedAt().lte(t.atOffset(ZoneOffset.ofHours(-5))))
        .isEqualTo(MemoryFilter.updatedAt().lte(t));
    assertThat(MemoryFilter.invalidAt().ne(t.atZone(ZoneId.of("Europe/Paris"))))
        .isEqualTo(MemoryFilter.invalidAt().ne(t));
    // a local date-time names no instant
    assertThat(problem(() -> MemoryFilter.createdAt().gt(LocalDateTime.of(2025, 3, 1, 10, 0))))
        .contains("created_at: the value must be an ISO-8601 instant");
  }

  @Test
  void valuesMustSuitTheField() {
    assertThat(problem(() -> MemoryFilter.createdAt().gt("yesterday")))
        .contains("created_at: the value must be an ISO-8601 instant");
    assertThat(problem(() -> MemoryFilter.role().eq("robot")))
        .contains("role: the value must be one of user, assistant, system, tool");
    assertThat(problem(() -> MemoryFilter.tags().contains(3)))
        .contains("tags: the value must be text, was a number");
    assertThat(problem(() -> MemoryFilter.topic().eq(List.of("x"))))
        .contains("topic: the value must be text, was a list");
    assertThat(problem(() -> MemoryFilter.tags().in(List.of())))
        .contains("in and nin need a non-empty list");
    assertThat(problem(() -> MemoryFilter.tags().in("ok", " ")))
        .contains("must not contain blank tags");
    assertThat(problem(() -> MemoryFilter.metadata("a").eq(Map.of("b", 1))))
        .contains("not an object");
    assertThat(problem(() -> MemoryFilter.metadata("a").eq(Double.NaN)))
        .contains("finite");
    assertThat(problem(() -> MemoryFilter.sessionId().eq("has space")))
        .contains("letters, digits");
    assertThat(problem(() -> MemoryFilter.content().contains("bad \ud800")))
        .contains("lone UTF-16 surrogate");
    assertThatThrownBy(() -> MemoryFilter.topic().eq(null))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("a value is required");
  }
}
