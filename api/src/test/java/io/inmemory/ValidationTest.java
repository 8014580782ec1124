package io.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.inmemory.tck.TckData;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class ValidationTest {

  private static List<String> fields(InvalidRequestException e) {
    return e.violations().stream().map(InvalidRequestException.Violation::field).toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "alice", "Alice", "0", "user_1", "a.b_c@d:e+f-g",
      "user@example.com", "tenant:42"})
  void wellFormedUserIdsPass(String userId) {
    assertThat(Validation.requireUserId(userId)).isEqualTo(userId);
  }

  @Test
  void userIdsMayBe128CharactersLong() {
    assertThat(Validation.requireUserId("u".repeat(128))).hasSize(128);
    assertThat(catchThrowableOfType(InvalidRequestException.class,
        () -> Validation.requireUserId("u".repeat(129))).getMessage())
        .contains("129 characters, over the maximum of 128");
  }

  @ParameterizedTest
  @NullSource
  @FieldSource("io.inmemory.tck.TckData#BAD_USER_IDS")
  void malformedUserIdsAreRejected(String userId) {
    assertThat(fields(catchThrowableOfType(InvalidRequestException.class,
        () -> Validation.requireUserId(userId)))).containsExactly("userId");
  }

  @Test
  void userIdsAreNeitherTrimmedNorCaseFolded() {
    assertThat(catchThrowableOfType(InvalidRequestException.class,
        () -> Validation.requireUserId(" alice")).getMessage()).contains("no trimming");
    assertThat(Validation.requireUserId("ALICE")).isEqualTo("ALICE");
  }

  @Test
  void wellFormedMemoryIdsPass() {
    String uuid = UUID.randomUUID().toString();

    assertThat(Validation.requireMemoryId(uuid)).isEqualTo(uuid);
    assertThat(Validation.requireMemoryId("01HZX3K9_abc-DEF")).isEqualTo("01HZX3K9_abc-DEF");
    assertThat(Validation.requireMemoryId("m".repeat(64))).hasSize(64);
  }

  @ParameterizedTest
  @NullSource
  @FieldSource("io.inmemory.tck.TckData#MALFORMED_MEMORY_IDS")
  void malformedMemoryIdsAreRejected(String memoryId) {
    assertThat(fields(catchThrowableOfType(InvalidRequestException.class,
        () -> Validation.requireMemoryId(memoryId)))).containsExactly("memoryId");
  }

  @Test
  void pagesNeedALimitInRangeAndAnOffsetNotNegative() {
    assertThatCode(() -> Validation.requirePage(1, 0)).doesNotThrowAnyException();
    assertThatCode(() -> Validation.requirePage(SearchRequest.MAX_LIMIT, Integer.MAX_VALUE))
        .doesNotThrowAnyException();
    assertThat(fields(catchThrowableOfType(InvalidRequestException.class,
        () -> Validation.requirePage(0, 0)))).containsExactly("limit");
    assertThat(fields(catchThrowableOfType(InvalidRequestException.class,
        () -> Validation.requirePage(SearchRequest.MAX_LIMIT + 1, 0)))).containsExactly("limit");
    assertThat(fields(catchThrowableOfType(InvalidRequestException.class,
        () -> Validation.requirePage(10, -1)))).containsExactly("offset");
    assertThat(fields(catchThrowableOfType(InvalidRequestException.class,
        () -> Validation.requirePage(-3, -1)))).containsExactly("limit", "offset");
  }

  @Test
  void textIsWellFormedWhenEverySurrogateIsHalfOfAPair() {
    assertThat(Validation.isWellFormedText("")).isTrue();
    assertThat(Validation.isWellFormedText("caf\u00e9 \ud83d\ude80 \ud83d\ude80")).isTrue();
    for (String lone : List.of("\ud800", "a\udc00", "\ud83d", "\ude80\ud83d",
        "\ud83d\ud83d\ude80", "\ud83d\ude80\ude80")) {
      assertThat(Validation.isWellFormedText(lone)).as(lone.chars().mapToObj(Integer::toHexString)
          .toList().toString()).isFalse();
    }
  }

  /** The message shows the surrogate as an escape, so the error itself is well-formed text. */
  @Test
  void aLoneSurrogateIsNamedByItsEscapeAndIndex() {
    InvalidRequestException invalid = catchThrowableOfType(InvalidRequestException.class,
        () -> AddRequest.builder("abc \ud800 def", "u")
            .tags("x".repeat(19) + "\ud83d\ude80" + "y".repeat(100) + "\udc00")
            .metadata(Map.of("k\udc00", "v")).build());

    assertThat(fields(invalid)).containsExactly("content", "tags", "metadata");
    assertThat(invalid.violations().get(0).problem()).contains("\\uD800 at index 4");
    assertThat(invalid.violations().get(1).problem()).as("cut before the pair")
        .startsWith("tag '" + "x".repeat(19) + "…'");
    assertThat(invalid.violations().get(2).problem()).contains("key 'k\\uDC00'");
    assertThat(Validation.isWellFormedText(invalid.getMessage())).isTrue();
  }

  /** What an earlier version stored (H2 kept lone surrogates) stays readable. */
  @Test
  void recordsReadBackKeepTheirTextAsItIs() {
    Instant now = Instant.now();
    MemoryRecord legacy = new MemoryRecord("m1", "u", "abc \ud800", List.of("t\udc00"),
        List.of(), null, Map.of("k\ud800", "v"), now, now);

    assertThat(legacy.tags()).containsExactly("t\udc00");
    assertThat(legacy.metadata()).containsKey("k\ud800");
  }

  @Test
  void theTckDataIsMalformed() {
    // Guards the shared lists themselves: a well-formed entry would make the TCK vacuous.
    assertThat(TckData.BAD_USER_IDS).noneSatisfy(id ->
        assertThatCode(() -> Validation.requireUserId(id)).doesNotThrowAnyException());
    assertThat(TckData.MALFORMED_MEMORY_IDS).noneSatisfy(id ->
        assertThatCode(() -> Validation.requireMemoryId(id)).doesNotThrowAnyException());
  }
}
