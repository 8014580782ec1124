package io.inmemory.engine.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The parts of the day tile the 24 hours: no gap, no overlap, also across DST days. */
class PartOfDayTest {

  @Test
  void everyMinuteOfTheDayBelongsToExactlyOnePart() {
    for (int minute = 0; minute < 24 * 60; minute++) {
      LocalTime time = LocalTime.of(minute / 60, minute % 60);
      List<PartOfDay> parts = Arrays.stream(PartOfDay.values())
          .filter(part -> part.contains(time)).collect(Collectors.toList());
      assertThat(parts).as("parts containing %s", time).hasSize(1);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"Europe/Berlin@2024-03-31", "Europe/Berlin@2024-10-27",
      "America/New_York@2024-03-10", "America/New_York@2024-11-03", "Asia/Kolkata@2024-06-01"})
  void everyInstantOfADayMatchesExactlyOneRecurringPart(String zoneAndDay) {
    String[] split = zoneAndDay.split("@");
    At at = At.at(split[1] + "T12:00", split[0]);
    Map<String, TemporalExpression> parts = Map.of(
        "mornings", at.parse("mornings"), "afternoons", at.parse("afternoons"),
        "evenings", at.parse("evenings"), "nights", at.parse("nights"));
    LocalDate day = LocalDate.parse(split[1]);
    Instant end = day.plusDays(1).atStartOfDay(at.zone()).toInstant();
    for (Instant t = day.atStartOfDay(at.zone()).toInstant(); t.isBefore(end);
        t = t.plusSeconds(15 * 60)) {
      Instant instant = t;
      assertThat(parts.entrySet().stream().filter(e -> e.getValue().matches(instant))
          .map(Map.Entry::getKey)).as("parts matching %s", instant).hasSize(1);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"2024-03-31", "2024-10-27", "2024-06-01"})
  void theConcretePartsOfADayFollowEachOtherWithoutGaps(String day) {
    At at = At.at("2024-12-01T12:00", "Europe/Berlin");
    LocalDate date = LocalDate.parse(day);
    List<TemporalExpression> chain = List.of(
        at.parse(date.minusDays(1) + " night"), at.parse(day + " morning"),
        at.parse(day + " afternoon"), at.parse(day + " evening"), at.parse(day + " night"));
    for (int i = 1; i < chain.size(); i++) {
      assertThat(chain.get(i).bounds().start()).isEqualTo(chain.get(i - 1).bounds().end());
    }
    assertThat(chain.get(0).bounds().start())
        .isBefore(date.atStartOfDay(at.zone()).toInstant());
    assertThat(chain.get(4).bounds().end())
        .isAfter(date.plusDays(1).atStartOfDay(at.zone()).toInstant());
  }
}
