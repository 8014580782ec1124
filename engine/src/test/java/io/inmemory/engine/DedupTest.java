package io.inmemory.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.MemoryRecord;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class DedupTest {
  private static final Instant T = Instant.parse("2024-01-01T00:00:00Z");
  private static final Predicate<MemoryRecord> ANY = memory -> true;

  private static MemoryRecord record(String id, String content) {
    return new MemoryRecord(id, "u", content, List.of(), List.of(), null, Map.of(), T, T);
  }

  private static MemoryRecord superseded(String id, String content) {
    return new MemoryRecord(id, "u", content, List.of(), List.of(), null, Map.of(), T, T, null,
        null, null, T, T.plusSeconds(1), "newer");
  }

  private static Function<String, MemoryRecord> byId(MemoryRecord... memories) {
    return Stream.of(memories).collect(Collectors.toMap(MemoryRecord::id, m -> m))::get;
  }

  @Test
  void theNormalFormFoldsCaseWidthSpacesAndTrailingPunctuation() {
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("I love pizza!", "i love pizza");
    cases.put("  I   LOVE\tpizza \n", "i love pizza");
    cases.put("I love pizza?!\u2026 . ", "i love pizza");
    cases.put("\uff50\uff49\uff5a\uff5a\uff41\u3000night", "pizza night");
    cases.put("Stra\u00dfe", "stra\u00dfe");
    cases.put("...", "");
    cases.put("Is it? No.", "is it? no");

    cases.forEach((text, normal) -> assertThat(Dedup.normalize(text)).as(text).isEqualTo(normal));
  }

  @Test
  void keysOfTheSameNormalFormAreEqualAndOthersDiffer() {
    assertThat(Dedup.Key.of("I love pizza!")).isEqualTo(Dedup.Key.of("i love  pizza"));
    assertThat(Dedup.Key.of("I love pizza").hash())
        .isNotEqualTo(Dedup.Key.of("I love pasta").hash());
  }

  @Test
  void aHashCollisionNeverMergesTwoTexts() {
    Dedup dedup = new Dedup();
    MemoryRecord pizza = record("m1", "I love pizza");
    dedup.add(pizza);
    Dedup.Key colliding = new Dedup.Key("i love pasta", Dedup.Key.of("I love pizza").hash());

    assertThat(dedup.find(colliding, ANY, byId(pizza))).isNull();
    assertThat(dedup.find(Dedup.Key.of("I LOVE PIZZA."), ANY, byId(pizza))).isEqualTo(pizza);
  }

  @Test
  void severalMemoriesOfOneTextAreHeldAndRemovedOneByOne() {
    Dedup dedup = new Dedup();
    MemoryRecord first = record("m1", "Tea at five");
    MemoryRecord second = record("m2", "tea at five!");
    MemoryRecord third = record("m3", "Tea at five.");
    Function<String, MemoryRecord> memories = byId(first, second, third);
    Dedup.Key key = Dedup.Key.of("tea at five");
    dedup.add(first);
    dedup.add(second);
    dedup.add(third);

    assertThat(dedup.find(key, memory -> memory.id().equals("m2"), memories)).isEqualTo(second);
    dedup.remove(first);
    assertThat(dedup.find(key, ANY, memories)).isEqualTo(second);
    dedup.remove(second);
    dedup.remove(second);
    assertThat(dedup.find(key, ANY, memories)).isEqualTo(third);
    dedup.remove(third);
    assertThat(dedup.find(key, ANY, memories)).isNull();
  }

  @Test
  void onlyCurrentMemoriesAreHeld() {
    Dedup dedup = new Dedup();
    MemoryRecord old = superseded("m1", "I live in Rome");
    dedup.add(old);

    assertThat(dedup.find(Dedup.Key.of("I live in Rome"), ANY, byId(old))).isNull();
  }
}
