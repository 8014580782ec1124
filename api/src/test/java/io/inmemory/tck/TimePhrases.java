package io.inmemory.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.AddRequest;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryRecord;
import io.inmemory.SearchRequest;
import io.inmemory.SearchResult;
import io.inmemory.TimeRange;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every form of the time-phrase grammar, as documented in the README's "Time phrases" table: an
 * example phrase and what it must select at {@link #REFERENCE} in {@link #ZONE}. The README's
 * table is checked against {@link #FORMS} (same phrases, same meanings, rendered by
 * {@link #meaning(Form)}), and {@link #assertEveryFormSelectsExactlyItsMemories} sends each
 * phrase through a client, so every documented form is exercised end to end.
 */
public final class TimePhrases {
  /** Sunday 10 March 2024, 15:30 in New York: the day daylight saving time begins there. */
  public static final ZoneId ZONE = ZoneId.of("America/New_York");
  public static final Instant REFERENCE =
      LocalDateTime.parse("2024-03-10T15:30").atZone(ZONE).toInstant();

  private static final Set<DayOfWeek> WEEKEND = EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
  private static final Set<DayOfWeek> WEEKDAYS =
      EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);
  private static final Map<Set<DayOfWeek>, String> DAY_NAMES =
      Map.of(WEEKEND, "Saturdays and Sundays", WEEKDAYS, "Monday to Friday");

  /**
   * A documented form's example and its meaning: creation times in {@code [start, end)} (local
   * date-times in {@link #ZONE}, {@code null} for an open side), on one of {@code days} (empty
   * for any day), at a local time in {@code [fromHour, toHour)} (wrapping past midnight; equal
   * hours for any time).
   */
  public record Form(String phrase, String start, String end, Set<DayOfWeek> days, int fromHour,
      int toHour) {
    public Form {
      days = days.isEmpty() ? Set.of() : EnumSet.copyOf(days);
    }

    /** The bounds as instants, open sides {@code null}. */
    public TimeRange bounds() {
      return new TimeRange(instant(start), instant(end));
    }

    public boolean bounded() {
      return start != null || end != null;
    }

    /** Whether a memory created at {@code createdAt} must be selected. */
    public boolean selects(Instant createdAt) {
      ZonedDateTime local = createdAt.atZone(ZONE);
      int hour = local.getHour();
      boolean inHours = fromHour == toHour
          || (fromHour < toHour ? hour >= fromHour && hour < toHour
          : hour >= fromHour || hour < toHour);
      return bounds().contains(createdAt)
          && (days.isEmpty() || days.contains(local.getDayOfWeek())) && inHours;
    }

    @Override
    public String toString() {
      return phrase;
    }
  }

  private static Form at(String phrase, String start, String end) {
    return new Form(phrase, start, end, Set.of(), 0, 0);
  }

  private static Form onDays(String phrase, String start, String end, Set<DayOfWeek> days) {
    return new Form(phrase, start, end, days, 0, 0);
  }

  private static Form atHours(String phrase, String start, String end, Set<DayOfWeek> days,
      int fromHour, int toHour) {
    return new Form(phrase, start, end, days, fromHour, toHour);
  }

  /** Every documented form, in the README's order. */
  public static final List<Form> FORMS = List.of(
      // days
      at("today", "2024-03-10T00:00", "2024-03-11T00:00"),
      at("yesterday", "2024-03-09T00:00", "2024-03-10T00:00"),
      at("tomorrow", "2024-03-11T00:00", "2024-03-12T00:00"),
      at("tonight", "2024-03-10T22:00", "2024-03-11T05:00"),
      at("the day before yesterday", "2024-03-08T00:00", "2024-03-09T00:00"),
      at("the day after tomorrow", "2024-03-12T00:00", "2024-03-13T00:00"),
      // calendar units
      at("this week", "2024-03-04T00:00", "2024-03-11T00:00"),
      at("last week", "2024-02-26T00:00", "2024-03-04T00:00"),
      at("next month", "2024-04-01T00:00", "2024-05-01T00:00"),
      at("this year", "2024-01-01T00:00", "2025-01-01T00:00"),
      at("last quarter", "2023-10-01T00:00", "2024-01-01T00:00"),
      at("last hour", "2024-03-10T14:00", "2024-03-10T15:00"),
      at("the week before last", "2024-02-19T00:00", "2024-02-26T00:00"),
      at("the month after next", "2024-05-01T00:00", "2024-06-01T00:00"),
      // counted back
      at("3 days ago", "2024-03-07T00:00", "2024-03-08T00:00"),
      at("two weeks ago", "2024-02-19T00:00", "2024-02-26T00:00"),
      at("twenty-one days ago", "2024-02-18T00:00", "2024-02-19T00:00"),
      at("an hour ago", "2024-03-10T14:00", "2024-03-10T15:00"),
      at("a couple of days ago", "2024-03-08T00:00", "2024-03-09T00:00"),
      at("a few weeks ago", "2024-02-05T00:00", "2024-02-26T00:00"),
      at("the other day", "2024-03-06T00:00", "2024-03-09T00:00"),
      at("a fortnight ago", "2024-02-19T00:00", "2024-02-26T00:00"),
      // rolling windows
      at("past 3 days", "2024-03-07T15:30", "2024-03-10T15:30"),
      at("last 24 hours", "2024-03-09T14:30", "2024-03-10T15:30"),
      at("past week", "2024-03-03T15:30", "2024-03-10T15:30"),
      at("past few days", "2024-03-06T15:30", "2024-03-10T15:30"),
      at("next 2 days", "2024-03-10T15:30", "2024-03-12T15:30"),
      at("recently", "2024-03-03T15:30", "2024-03-10T15:30"),
      // weekdays
      at("friday", "2024-03-08T00:00", "2024-03-09T00:00"),
      at("last friday", "2024-03-08T00:00", "2024-03-09T00:00"),
      at("last sunday", "2024-03-03T00:00", "2024-03-04T00:00"),
      at("this monday", "2024-03-04T00:00", "2024-03-05T00:00"),
      at("next friday", "2024-03-15T00:00", "2024-03-16T00:00"),
      at("the friday before last", "2024-03-01T00:00", "2024-03-02T00:00"),
      at("tuesday last week", "2024-02-27T00:00", "2024-02-28T00:00"),
      onDays("mondays", null, null, Set.of(DayOfWeek.MONDAY)),
      onDays("weekdays", null, null, WEEKDAYS),
      // the weekend
      at("the weekend", "2024-03-09T00:00", "2024-03-11T00:00"),
      at("last weekend", "2024-03-02T00:00", "2024-03-04T00:00"),
      at("this past weekend", "2024-03-02T00:00", "2024-03-04T00:00"),
      at("next weekend", "2024-03-16T00:00", "2024-03-18T00:00"),
      at("2 weekends ago", "2024-02-24T00:00", "2024-02-26T00:00"),
      onDays("weekends", null, null, WEEKEND),
      // parts of the day
      at("this morning", "2024-03-10T05:00", "2024-03-10T12:00"),
      at("yesterday evening", "2024-03-09T17:00", "2024-03-09T22:00"),
      at("last night", "2024-03-09T22:00", "2024-03-10T05:00"),
      at("last friday evening", "2024-03-08T17:00", "2024-03-08T22:00"),
      at("the night before last", "2024-03-08T22:00", "2024-03-09T05:00"),
      atHours("evening", null, null, Set.of(), 17, 22),
      atHours("at night", null, null, Set.of(), 22, 5),
      atHours("mornings", null, null, Set.of(), 5, 12),
      atHours("last week evenings", "2024-02-26T00:00", "2024-03-04T00:00", Set.of(), 17, 22),
      atHours("weekend afternoons", null, null, WEEKEND, 12, 17),
      // months, quarters, years
      at("march", "2024-03-01T00:00", "2024-04-01T00:00"),
      at("april", "2023-04-01T00:00", "2023-05-01T00:00"),
      at("last march", "2023-03-01T00:00", "2023-04-01T00:00"),
      at("march 3", "2024-03-03T00:00", "2024-03-04T00:00"),
      at("the 3rd of march 2023", "2023-03-03T00:00", "2023-03-04T00:00"),
      at("the 5th", "2024-03-05T00:00", "2024-03-06T00:00"),
      at("february last year", "2023-02-01T00:00", "2023-03-01T00:00"),
      at("q1", "2024-01-01T00:00", "2024-04-01T00:00"),
      at("q3 2023", "2023-07-01T00:00", "2023-10-01T00:00"),
      at("2023", "2023-01-01T00:00", "2024-01-01T00:00"),
      // parts of a period
      at("earlier this month", "2024-03-01T00:00", "2024-03-10T15:30"),
      at("earlier today", "2024-03-10T00:00", "2024-03-10T15:30"),
      at("later today", "2024-03-10T15:30", "2024-03-11T00:00"),
      at("so far this week", "2024-03-04T00:00", "2024-03-10T15:30"),
      at("early march", "2024-03-01T00:00", "2024-03-11T00:00"),
      at("mid-february", "2024-02-10T00:00", "2024-02-20T00:00"),
      at("the end of the month", "2024-03-21T00:00", "2024-04-01T00:00"),
      at("late last year", "2023-09-01T00:00", "2024-01-01T00:00"),
      at("the first week of march", "2024-03-01T00:00", "2024-03-08T00:00"),
      at("the last day of february", "2024-02-29T00:00", "2024-03-01T00:00"),
      // ISO
      at("2024-02", "2024-02-01T00:00", "2024-03-01T00:00"),
      at("2024-03-05", "2024-03-05T00:00", "2024-03-06T00:00"),
      at("2024-03-05T10:00", "2024-03-05T10:00", "2024-03-05T10:01"),
      at("2024-03-05T10:00Z", "2024-03-05T05:00", "2024-03-05T05:01"),
      // ranges
      at("since monday", "2024-03-04T00:00", null),
      at("since yesterday evening", "2024-03-09T17:00", null),
      at("since this morning", "2024-03-10T05:00", null),
      at("after march 3", "2024-03-04T00:00", null),
      at("before 2024", null, "2024-01-01T00:00"),
      at("until yesterday", null, "2024-03-10T00:00"),
      at("until now", null, "2024-03-10T15:30"),
      at("between march 3 and march 6", "2024-03-03T00:00", "2024-03-07T00:00"),
      at("from last monday to friday", "2024-03-04T00:00", "2024-03-09T00:00"),
      at("monday to wednesday", "2024-03-04T00:00", "2024-03-07T00:00"),
      onDays("weekends since february", "2024-02-01T00:00", null, WEEKEND),
      // tolerance
      at("last   WEEK?", "2024-02-26T00:00", "2024-03-04T00:00"),
      at("Last_Friday_Evening.", "2024-03-08T17:00", "2024-03-08T22:00"),
      at("Yesterday's", "2024-03-09T00:00", "2024-03-10T00:00"),
      at("past 24h", "2024-03-09T14:30", "2024-03-10T15:30"));

  private TimePhrases() {}

  /** The instant of a local date-time in {@link #ZONE}, or {@code null}. */
  public static Instant instant(String localDateTime) {
    return localDateTime == null ? null
        : LocalDateTime.parse(localDateTime).atZone(ZONE).toInstant();
  }

  /**
   * The creation times that tell each form apart from its neighbours: a minute before, at, a
   * minute before the end of and at the end of every bounded form, and the edges of the parts
   * of the day on a weekday and a weekend day.
   */
  public static List<Instant> probes() {
    TreeSet<Instant> probes = new TreeSet<>();
    for (Form form : FORMS) {
      for (Instant edge : new Instant[] {instant(form.start()), instant(form.end())}) {
        if (edge != null) {
          probes.add(edge.minusSeconds(60));
          probes.add(edge);
        }
      }
    }
    for (String day : List.of("2024-03-05", "2024-03-09")) {
      for (int hour : new int[] {4, 5, 11, 12, 16, 17, 21, 22}) {
        probes.add(instant(day + "T" + String.format("%02d", hour) + ":30"));
      }
    }
    return List.copyOf(probes);
  }

  /**
   * Adds one memory per {@linkplain #probes() probe} for {@code user}, then checks that every form
   * selects exactly the memories it must, with and without a query, and reports the range it
   * resolved to.
   */
  public static void assertEveryFormSelectsExactlyItsMemories(MemoryClient client, String user) {
    List<Instant> probes = probes();
    List<MemoryRecord> memories = new ArrayList<>();
    for (int from = 0; from < probes.size(); from += 100) {
      List<AddRequest> batch = probes.subList(from, Math.min(probes.size(), from + 100)).stream()
          .map(at -> AddRequest.builder("note written " + at.atZone(ZONE).toLocalDateTime(), user)
              .createdAt(at).build())
          .toList();
      client.addAll(batch).forEach(result -> memories.add(result.memory()));
    }
    for (Form form : FORMS) {
      List<String> expected = memories.stream()
          .filter(memory -> form.selects(memory.createdAt()))
          .sorted((a, b) -> b.createdAt().compareTo(a.createdAt()))
          .map(MemoryRecord::id).toList();
      SearchResult listed = client.search(request(form, user, null));
      assertThat(listed.hits()).as("%s lists", form)
          .extracting(hit -> hit.memory().id()).containsExactlyElementsOf(expected);
      assertThat(listed.timeRange()).as("%s range", form)
          .isEqualTo(form.bounded() ? Optional.of(form.bounds())
              : Optional.empty());
      SearchResult ranked = client.search(request(form, user, "note"));
      assertThat(ranked.hits()).as("%s with a query", form)
          .extracting(hit -> hit.memory().id()).containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  private static SearchRequest request(Form form, String user, String query) {
    return SearchRequest.builder(user).temporal(form.phrase()).query(query)
        .referenceTime(REFERENCE).zone(ZONE).limit(SearchRequest.MAX_LIMIT).build();
  }

  /**
   * What the form means, as the README's table states it: whole days by their first and last day
   * ("Fri 2024-03-08", "Mon 2024-03-04 – Sun 2024-03-10"), other periods by their start and
   * exclusive end ("Sat 2024-03-09 22:00 – Sun 2024-03-10 05:00"), open ranges from or before
   * an instant ("from Mon 2024-03-04"), then the days and hours it is limited to ("any time,
   * Saturdays and Sundays only").
   */
  public static String meaning(Form form) {
    LocalDateTime start = form.start() == null ? null : LocalDateTime.parse(form.start());
    LocalDateTime end = form.end() == null ? null : LocalDateTime.parse(form.end());
    String range;
    if (start == null && end == null) {
      range = "any time";
    } else if (end == null) {
      range = "from " + local(start);
    } else if (start == null) {
      range = "before " + local(end);
    } else if (midnight(start) && midnight(end)) {
      LocalDate last = end.toLocalDate().minusDays(1);
      range = last.equals(start.toLocalDate()) ? day(last) : day(start.toLocalDate()) + " – "
          + day(last);
    } else if (start.toLocalDate().equals(end.toLocalDate())) {
      range = day(start.toLocalDate()) + " " + start.toLocalTime() + "–" + end.toLocalTime();
    } else {
      range = day(start.toLocalDate()) + " " + start.toLocalTime() + " – "
          + day(end.toLocalDate()) + " " + end.toLocalTime();
    }
    List<String> only = new ArrayList<>();
    if (!form.days().isEmpty()) {
      only.add(dayNames(form.days()));
    }
    if (form.fromHour() != form.toHour()) {
      only.add(String.format("%02d:00–%02d:00", form.fromHour(), form.toHour()));
    }
    return only.isEmpty() ? range : range + ", " + String.join(", ", only) + " only";
  }

  private static boolean midnight(LocalDateTime time) {
    return time.toLocalTime().equals(LocalTime.MIDNIGHT);
  }

  private static String day(LocalDate date) {
    return date.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH) + " " + date;
  }

  private static String local(LocalDateTime time) {
    return midnight(time) ? day(time.toLocalDate()) : day(time.toLocalDate()) + " "
        + time.toLocalTime();
  }

  private static String dayNames(Set<DayOfWeek> days) {
    String named = DAY_NAMES.get(days);
    return named != null ? named : days.stream()
        .map(day -> day.getDisplayName(TextStyle.FULL, Locale.ENGLISH) + "s")
        .collect(Collectors.joining(" and "));
  }

  /** The phrases of {@link #FORMS}, in order. */
  public static Stream<String> phrases() {
    return FORMS.stream().map(Form::phrase);
  }
}
