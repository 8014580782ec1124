package io.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Metadata normalization, as every request and record applies it. */
class MetadataTest {

  private static Map<String, Object> normalize(Map<String, ?> metadata) {
    return AddRequest.builder("x", "u").metadata(metadata).build().metadata();
  }

  private static InvalidRequestException rejected(Map<String, ?> metadata) {
    return catchThrowableOfType(InvalidRequestException.class, () -> normalize(metadata));
  }

  private static List<String> fields(InvalidRequestException e) {
    return e.violations().stream().map(InvalidRequestException.Violation::field).toList();
  }

  @Test
  void integersBecomeLongs() {
    Map<String, Object> normalized = normalize(Map.of(
        "byte", (byte) 1, "short", (short) 2, "int", 3, "long", 4L,
        "big", BigInteger.valueOf(5)));

    assertThat(normalized).isEqualTo(Map.of("byte", 1L, "short", 2L, "int", 3L, "long", 4L,
        "big", 5L));
    assertThat(normalized.values()).allSatisfy(value -> assertThat(value).isInstanceOf(Long.class));
  }

  @Test
  void wholeDecimalsBecomeLongsAndOthersDoubles() {
    Map<String, Object> normalized = normalize(Map.of(
        "whole", 3.0, "float", 1.5f, "decimal", new BigDecimal("2.25"), "fraction", 0.1,
        "huge", 1e20, "tenth", 0.1f));

    // a float is the decimal it prints as, as JSON carries it to a server
    assertThat(normalized).isEqualTo(Map.of("whole", 3L, "float", 1.5, "decimal", 2.25,
        "fraction", 0.1, "huge", 1e20, "tenth", 0.1));
  }

  @Test
  void nestedStructuresAreCopiedDeeplyAndUnmodifiable() {
    List<Object> list = new ArrayList<>(List.of(1, "a"));
    Map<String, Object> inner = new HashMap<>(Map.of("n", 2));
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("list", list);
    metadata.put("inner", inner);

    Map<String, Object> normalized = normalize(metadata);
    list.add("later");
    inner.put("later", true);

    assertThat(normalized).isEqualTo(Map.of("list", List.of(1L, "a"), "inner", Map.of("n", 2L)));
    assertThatThrownBy(() -> normalized.put("x", 1))
        .isInstanceOf(UnsupportedOperationException.class);
    @SuppressWarnings("unchecked")
    List<Object> copiedList = (List<Object>) normalized.get("list");
    assertThatThrownBy(() -> copiedList.add(1)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void keysKeepTheirOrder() {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("z", 1);
    metadata.put("a", 2);
    metadata.put("m", 3);

    assertThat(normalize(metadata).keySet()).containsExactly("z", "a", "m");
  }

  @Test
  void nullsAreRejectedWithTheirPath() {
    Map<String, Object> inner = new HashMap<>();
    inner.put("gone", null);

    assertThat(fields(rejected(Map.of("inner", inner)))).containsExactly("metadata.inner.gone");
    assertThat(fields(rejected(Map.of("list", Arrays.asList(1, null)))))
        .containsExactly("metadata.list[1]");
  }

  @Test
  void unsupportedValuesAreRejected() {
    assertThat(rejected(Map.of("date", new java.util.Date())).getMessage())
        .contains("unsupported type java.util.Date");
    assertThat(fields(rejected(Map.of("nan", Double.NaN)))).containsExactly("metadata.nan");
    assertThat(fields(rejected(Map.of("inf", Float.POSITIVE_INFINITY))))
        .containsExactly("metadata.inf");
    assertThat(rejected(Map.of("big", BigInteger.TWO.pow(64))).getMessage())
        .contains("does not fit in 64 bits");
  }

  @Test
  void keysMustBeNonBlankStrings() {
    Map<Object, Object> badKeys = new HashMap<>();
    badKeys.put(1, "number key");
    assertThat(fields(rejected(Map.of("inner", badKeys)))).containsExactly("metadata.inner");
    assertThat(fields(rejected(Map.of(" ", 1)))).containsExactly("metadata");
  }

  @Test
  void depthIsLimitedToSixteenLevels() {
    // The top-level map is level 0, so a leaf under 15 more maps sits at level 16.
    assertThat(normalize(Map.of("d", nested(15)))).hasSize(1);
    assertThat(rejected(Map.of("d", nested(16))).getMessage()).contains("nested deeper than 16");
  }

  private static Object nested(int maps) {
    Object value = "leaf";
    for (int i = 0; i < maps; i++) {
      value = Map.of("d", value);
    }
    return value;
  }

  @Test
  void aHundredThousandNullsListTheFirstHundredProblems() {
    Map<String, Object> nulls = new HashMap<>();
    for (int i = 0; i < 100_000; i++) {
      nulls.put("k" + i, null);
    }

    InvalidRequestException e = rejected(nulls);

    assertThat(e.violations()).hasSize(InvalidRequestException.MAX_LISTED + 1);
    assertThat(e.violations().get(InvalidRequestException.MAX_LISTED).problem())
        .isEqualTo("99900 more problems are not listed");
    assertThat(e.getMessage().length()).isLessThan(10_000);
  }
}
