package io.inmemory.engine.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.TimeRange;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;

/** A fixed reference instant and zone for tests, with helpers reading local date-times. */
record At(Instant reference, ZoneId zone, TemporalParser parser) {
  /** Wednesday 6 March 2024, 14:30 in Berlin (UTC+1, before the DST change of 31 March). */
  static final At WEDNESDAY = at("2024-03-06T14:30", "Europe/Berlin");
  /** Sunday 10 March 2024, 15:30 in New York (UTC-4 since 02:00 that day): the README's. */
  static final At SUNDAY = at("2024-03-10T15:30", "America/New_York");

  static At at(String localDateTime, String zone) {
    ZoneId zoneId = ZoneId.of(zone);
    return new At(LocalDateTime.parse(localDateTime).atZone(zoneId).toInstant(), zoneId,
        new TemporalParser());
  }

  At with(TemporalParser other) {
    return new At(reference, zone, other);
  }

  TemporalExpression parse(String phrase) {
    return parser.parse(phrase, reference, zone);
  }

  Instant local(String localDateTime) {
    return localDateTime == null ? null : LocalDateTime.parse(localDateTime).atZone(zone).toInstant();
  }

  /** Asserts the phrase resolves to {@code [start, end)}, local date-times or null for open. */
  TemporalExpression assertRange(String phrase, String start, String end) {
    TemporalExpression expression = parse(phrase);
    assertThat(expression.bounds()).as("%s -> %s", phrase, expression)
        .isEqualTo(new TimeRange(local(start), local(end)));
    return expression;
  }
}
