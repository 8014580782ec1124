package io.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigKeyTest {

  private static final ConfigKey<Long> SIZE = ConfigKey.bytes("test.size", 1024L, 1, "a size");
  private static final ConfigKey<Integer> PORT =
      ConfigKey.integer("test.port", 8080, 1, 65535, "a port");
  private static final ConfigKey<Double> RATIO =
      ConfigKey.decimal("test.ratio", 0.5, 0, 1, "a ratio");
  private static final ConfigKey<Boolean> FLAG = ConfigKey.bool("test.flag", false, "a flag");
  private static final ConfigKey<Duration> WAIT = ConfigKey.duration("test.wait",
      Duration.ofSeconds(1), Duration.ofMillis(10), Duration.ofHours(2), "a wait");

  @Test
  void environmentNamesAreUpperCaseWithUnderscores() {
    assertThat(InMemoryConfig.MAX_MEMORY_SIZE.envName()).isEqualTo("INMEMORY_MAX_MEMORY_SIZE");
    assertThat(InMemoryConfig.STORE.envName()).isEqualTo("INMEMORY_STORE");
    assertThat(ConfigKey.string("a.b-c.d1", null, "x").envName()).isEqualTo("A_B_C_D1");
  }

  @Test
  void aliasesAreKeptInOrder() {
    ConfigKey<String> key = ConfigKey.string("x.y", null, "d", "FIRST", "SECOND");

    assertThat(key.aliases()).containsExactly("FIRST", "SECOND");
    assertThat(InMemoryConfig.STORE.aliases()).containsExactly("INMEMORY_STORAGE_TYPE");
    assertThat(InMemoryConfig.API_KEY.aliases()).containsExactly("INMEM_API_KEY");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Upper.case", "under_score", "trailing.", ".leading", "a..b",
      "sp ace", "a-.b"})
  void namesMustBeLowerCaseWordsJoinedByDotsOrDashes(String name) {
    assertThatThrownBy(() -> ConfigKey.string(name, null, "d"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void keysDescribeThemselves() {
    assertThat(SIZE.name()).isEqualTo("test.size");
    assertThat(SIZE).hasToString("test.size");
    assertThat(SIZE.description()).isEqualTo("a size");
    assertThat(SIZE.defaultValue()).contains(1024L);
    assertThat(InMemoryConfig.MODE.defaultValue()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"100, 100", "100B, 100", "512KB, 524288", "512 kb, 524288", "1MB, 1048576",
      "1 MiB, 1048576", "2KiB, 2048", "1GB, 1073741824", "3gib, 3221225472", " 7 , 7"})
  void sizesAcceptUnitsInPowersOf1024(String text, long bytes) {
    assertThat(SIZE.parse(text)).isEqualTo(bytes);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "abc", "1.5MB", "MB", "-1", "0", "12TB", "99999999999GB"})
  void badSizesAreRejected(String text) {
    assertThatThrownBy(() -> SIZE.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sizeErrorsSayWhatIsExpected() {
    assertThatThrownBy(() -> SIZE.parse("lots")).hasMessageContaining("512KB");
    assertThatThrownBy(() -> SIZE.parse("0")).hasMessageContaining("below the minimum of 1");
  }

  @ParameterizedTest
  @CsvSource({"500ms,PT0.5S", "10s,PT10S", "2m,PT2M", "1h,PT1H", "PT1.5S,PT1.5S", "pt3s,PT3S",
      " 20 ms ,PT0.02S", "2h,PT2H"})
  void durationsAcceptShortFormsAndIso8601(String text, String expected) {
    assertThat(WAIT.parse(text)).isEqualTo(Duration.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "10", "1.5s", "s", "-5s", "0s", "9ms", "PT-1S", "121m", "1d"})
  void badDurationsAreRejected(String text) {
    assertThatThrownBy(() -> WAIT.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void durationErrorsSayWhatIsExpected() {
    assertThatThrownBy(() -> WAIT.parse("soon")).hasMessageContaining("500ms, 10s, 2m or PT10S");
    assertThatThrownBy(() -> WAIT.parse("5ms")).hasMessageContaining("between 10ms and 7200s");
    assertThatThrownBy(() -> ConfigKey.duration("test.x", null, Duration.ZERO,
        Duration.ofSeconds(1), "d")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void integersMustBeWholeAndInRange() {
    assertThat(PORT.parse(" 443 ")).isEqualTo(443);
    assertThat(PORT.parse("65535")).isEqualTo(65535);
    assertThatThrownBy(() -> PORT.parse("0")).hasMessageContaining("between 1 and 65535");
    assertThatThrownBy(() -> PORT.parse("80.5")).hasMessageContaining("not a whole number");
    assertThatThrownBy(() -> PORT.parse("99999999999")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void decimalsMustBeNumbersInRange() {
    assertThat(RATIO.parse(" 0.25 ")).isEqualTo(0.25);
    assertThat(RATIO.parse("1")).isEqualTo(1.0);
    assertThatThrownBy(() -> RATIO.parse("1.5")).hasMessageContaining("between 0.0 and 1.0");
    assertThatThrownBy(() -> RATIO.parse("NaN")).hasMessageContaining("between 0.0 and 1.0");
    assertThatThrownBy(() -> RATIO.parse("half")).hasMessageContaining("not a number");
  }

  @Test
  void enumerationsIgnoreCaseAndNameTheAcceptedValues() {
    ConfigKey<java.time.DayOfWeek> day = ConfigKey.enumeration(
        "test.day", java.time.DayOfWeek.class, java.time.DayOfWeek.MONDAY, "a day");
    assertThat(day.parse(" sunday ")).isEqualTo(java.time.DayOfWeek.SUNDAY);
    assertThat(day.parse("Friday")).isEqualTo(java.time.DayOfWeek.FRIDAY);
    assertThat(day.defaultValue()).contains(java.time.DayOfWeek.MONDAY);
    assertThatThrownBy(() -> day.parse("someday"))
        .hasMessageContaining("'someday' is not monday, tuesday,")
        .hasMessageEndingWith("saturday or sunday");
  }

  @ParameterizedTest
  @CsvSource({"true, true", "YES, true", "on, true", "1, true", "false, false", "No, false",
      "OFF, false", "0, false"})
  void booleansAcceptCommonSpellings(String text, boolean value) {
    assertThat(FLAG.parse(text)).isEqualTo(value);
  }

  @Test
  void otherBooleanSpellingsAreRejected() {
    assertThatThrownBy(() -> FLAG.parse("maybe")).hasMessageContaining("not true or false");
  }

  @Test
  void zonesAreZoneIds() {
    assertThat(InMemoryConfig.TIME_ZONE.parse(" Europe/Paris ")).isEqualTo(ZoneId.of("Europe/Paris"));
    assertThat(InMemoryConfig.TIME_ZONE.parse("UTC")).isEqualTo(ZoneId.of("UTC"));
    assertThatThrownBy(() -> InMemoryConfig.TIME_ZONE.parse("Mars/Olympus"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Mars/Olympus");
  }

  @Test
  void pathsExpandTheHomeDirectory() {
    ConfigKey<Path> dir = ConfigKey.path("test.dir", null, "a dir");
    String home = System.getProperty("user.home");

    assertThat(dir.parse("~")).isEqualTo(Path.of(home));
    assertThat(dir.parse("~/data/x")).isEqualTo(Path.of(home, "data", "x"));
    assertThat(dir.parse("/tmp/~x")).isEqualTo(Path.of("/tmp/~x"));
  }
}
