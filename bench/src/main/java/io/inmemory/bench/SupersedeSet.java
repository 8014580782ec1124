package io.inmemory.bench;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * A generated set of fact changes for the {@code supersede} benchmark: per person, a sequence of
 * statements about their life (where they live, where they work, their pet, car, partner, …), each
 * said strictly later than the one before. About 10% restate the topic's current fact in other
 * words, about 5% tell an older fact of a topic late (its time, an explicit date, is before the
 * topic's current fact), and about 10% of the changes say when they happened with a relative
 * phrase ("yesterday", "last Tuesday") that the engine resolves against the message time. Each
 * change knows the fact the model extracts from it and the time that fact holds from, so that the
 * benchmark can check what the engine stored. Deterministic for a seed. Immutable.
 *
 * @param people the people, one user each
 */
record SupersedeSet(List<Person> people) {

  /** When the first statement of every person is made. */
  static final Instant START = Instant.parse("2024-01-01T08:00:00Z");
  private static final String[] NAMES = {"Ana", "Bruno", "Chen", "Dara", "Emil", "Farah", "Goran",
      "Hana", "Ivo", "Jana", "Kofi", "Lea", "Mateo", "Nora", "Omar", "Pia"};
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("d MMMM uuuu", Locale.ENGLISH);
  private static final double REPEATS = 0.10;
  private static final double LATE = 0.05;
  private static final double RELATIVE = 0.12;

  SupersedeSet {
    people = List.copyOf(people);
  }

  /**
   * Generates {@code changes} changes for each of {@code users} people.
   *
   * @throws IllegalArgumentException when a count is not positive
   */
  static SupersedeSet generate(int users, int changes, long seed) {
    if (users < 1 || changes < 1) {
      throw new IllegalArgumentException("users and changes must be positive, were " + users
          + " and " + changes);
    }
    Random random = new Random(seed);
    List<Person> people = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      String name = NAMES[u % NAMES.length] + (u < NAMES.length ? "" : " " + (u / NAMES.length));
      people.add(new Person("supersede-" + (u + 1), name, changes(name, changes, random)));
    }
    return new SupersedeSet(people);
  }

  private static List<Change> changes(String name, int count, Random random) {
    Map<Topic, Change> current = new EnumMap<>(Topic.class);
    List<Change> changes = new ArrayList<>(count);
    Instant said = START;
    Topic[] topics = Topic.values();
    for (int i = 0; i < count; i++) {
      said = said.plus(Duration.ofHours(24 + random.nextInt(48)).plusMinutes(random.nextInt(60)));
      Topic topic = topics[random.nextInt(topics.length)];
      Change now = current.get(topic);
      double draw = random.nextDouble();
      Change change;
      if (now != null && draw < REPEATS) {
        change = new Change(i, topic, Kind.REPEAT, now.value(), topic.repeat(now.value()),
            topic.restated(name, now.value()), said, null, said);
      } else if (now != null && draw < REPEATS + LATE) {
        String value = otherValue(topic, now.value(), random);
        LocalDate day = LocalDate.ofInstant(now.validFrom(), ZoneOffset.UTC)
            .minusDays(1 + random.nextInt(60));
        String when = "on " + DATE.format(day);
        change = new Change(i, topic, Kind.LATE, value,
            "Back " + when + ", " + topic.past(value) + ".", topic.fact(name, value), said, when,
            day.atStartOfDay(ZoneOffset.UTC).toInstant());
      } else {
        String value = now == null ? topic.values.get(random.nextInt(topic.values.size()))
            : otherValue(topic, now.value(), random);
        String when = null;
        Instant validFrom = said;
        if (random.nextDouble() < RELATIVE) {
          String phrase = relativePhrase(random);
          Instant start = resolve(phrase, said);
          // a phrase reaching back before the topic's current fact would make this change late
          if (now == null || start.isAfter(now.validFrom())) {
            when = phrase;
            validFrom = start;
          }
        }
        change = new Change(i, topic, Kind.NEW, value,
            topic.say(value) + (when == null ? "." : " " + when + "."), topic.fact(name, value),
            said, when, validFrom);
        current.put(topic, change);
      }
      changes.add(change);
    }
    return changes;
  }

  private static String otherValue(Topic topic, String value, Random random) {
    String other;
    do {
      other = topic.values.get(random.nextInt(topic.values.size()));
    } while (other.equals(value));
    return other;
  }

  private static String relativePhrase(Random random) {
    int pick = random.nextInt(8);
    return pick == 7 ? "yesterday"
        : "last " + DayOfWeek.of(pick + 1).getDisplayName(TextStyle.FULL, Locale.ENGLISH);
  }

  /**
   * The start of the day a relative phrase names, said at {@code said} (UTC): "yesterday" the day
   * before, "last Tuesday" the most recent Tuesday before the day it is said.
   */
  static Instant resolve(String phrase, Instant said) {
    LocalDate today = LocalDate.ofInstant(said, ZoneOffset.UTC);
    LocalDate day = phrase.equals("yesterday") ? today.minusDays(1)
        : today.with(TemporalAdjusters.previous(
            DayOfWeek.valueOf(phrase.substring("last ".length()).toUpperCase(Locale.ROOT))));
    return day.atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /** Every change of every person. */
  int size() {
    return people.stream().mapToInt(person -> person.changes().size()).sum();
  }

  /** How many changes of every person are of {@code kind}. */
  long count(Kind kind) {
    return people.stream().flatMap(person -> person.changes().stream())
        .filter(change -> change.kind() == kind).count();
  }

  /** How many changes say their time with a relative phrase. */
  long relative() {
    return people.stream().flatMap(person -> person.changes().stream())
        .filter(change -> change.kind() == Kind.NEW && change.when() != null).count();
  }

  /**
   * One person and what they say over time.
   *
   * @param userId their user
   * @param name their name, the speaker of every message and the person of every fact
   * @param changes what they say, in order
   */
  record Person(String userId, String name, List<Change> changes) {
    Person {
      Objects.requireNonNull(userId, "userId");
      Objects.requireNonNull(name, "name");
      changes = List.copyOf(changes);
    }
  }

  /** What a change is to its topic. */
  enum Kind {
    /** A new current fact of the topic: it supersedes the current one, if any. */
    NEW,
    /** The topic's current fact said again in other words: nothing changes. */
    REPEAT,
    /** A fact of the topic older than its current one, told late: stored already superseded. */
    LATE
  }

  /**
   * One statement.
   *
   * @param number its place in the person's sequence, from 0
   * @param topic what it is about
   * @param kind what it does to the topic
   * @param value the topic's value it states (a city, an employer, …)
   * @param message what the person says
   * @param fact the fact the model extracts: one sentence in the third person
   * @param said when it is said: strictly after the person's previous statement
   * @param when the time phrase of the fact as the model gives it, or {@code null}
   * @param validFrom the time the fact holds from: its phrase resolved, else {@code said}
   */
  record Change(int number, Topic topic, Kind kind, String value, String message, String fact,
      Instant said, String when, Instant validFrom) {
    Change {
      Objects.requireNonNull(topic, "topic");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(fact, "fact");
      Objects.requireNonNull(said, "said");
      Objects.requireNonNull(validFrom, "validFrom");
    }
  }

  /** A part of a person's life that has one current value at a time. */
  enum Topic {
    RESIDENCE("home", "Where does %s live?", "%s lives in %s", "%s still lives in %s",
        "I moved to %s", "I still live in %s", "I lived in %s",
        List.of("Berlin", "Lisbon", "Paris", "Madrid", "Oslo", "Vienna", "Prague", "Dublin",
            "Warsaw", "Athens", "Helsinki", "Zurich", "Rome", "Budapest", "Copenhagen")),
    EMPLOYER("work", "Where does %s work?", "%s works at %s", "%s still works at %s",
        "I started working at %s", "I'm still working at %s", "I worked at %s",
        List.of("Acme", "Globex", "Initech", "Umbrella Labs", "Stark Industries", "Wayne Foods",
            "Hooli", "Vandelay Imports", "Soylent", "Cyberdyne", "Tyrell", "Wonka Sweets")),
    FOOD("food", "What is %s's favourite food?", "%s's favourite food is %s",
        "%s still likes %s best of all foods", "I don't care for my old favourite anymore, I"
        + " love %s now", "I still like %s best", "my favourite food was %s",
        List.of("sushi", "pizza", "ramen", "tacos", "curry", "paella", "dumplings", "falafel",
            "lasagne", "pho", "burritos", "risotto")),
    PET("pet", "What pet does %s have?", "%s has a %s as a pet", "%s still keeps a %s as a pet",
        "We adopted a %s", "our %s is still with us", "we had a %s",
        List.of("beagle", "tabby cat", "parrot", "rabbit", "golden retriever", "hamster",
            "tortoise", "ferret", "siamese cat", "border collie")),
    CAR("car", "What car does %s drive?", "%s drives a %s", "%s still drives a %s",
        "I bought a %s", "I still drive the %s", "I drove a %s",
        List.of("Volvo estate", "Toyota Corolla", "Tesla Model 3", "Fiat Panda", "VW Golf",
            "Mazda MX-5", "Renault Clio", "Skoda Octavia", "Honda Civic", "Ford Fiesta")),
    PARTNER("partner", "Who is %s dating?", "%s is dating %s", "%s is still together with %s",
        "I'm dating %s now", "%s and I are still together", "I was dating %s",
        List.of("Alex", "Sam", "Robin", "Kim", "Jordan", "Taylor", "Morgan", "Casey", "Riley",
            "Jamie")),
    HOBBY("hobby", "What is %s's hobby?", "%s's hobby is %s", "%s still spends weekends %s",
        "These days I spend my weekends %s", "I'm still %s every weekend", "I spent my weekends %s",
        List.of("climbing", "painting", "sailing", "baking bread", "playing chess", "cycling",
            "gardening", "birdwatching", "knitting", "surfing")),
    DRINK("drink", "What does %s drink in the morning?", "%s drinks %s every morning",
        "%s still starts the day with %s", "I switched to %s in the morning",
        "I still have %s every morning", "I used to drink %s in the morning",
        List.of("espresso", "green tea", "black coffee", "matcha", "orange juice", "chai",
            "hot chocolate", "oat latte", "mint tea", "a smoothie"));

    private final String key;
    private final String question;
    private final String fact;
    private final String restated;
    private final String say;
    private final String repeat;
    private final String past;
    private final List<String> values;

    Topic(String key, String question, String fact, String restated, String say, String repeat,
        String past, List<String> values) {
      this.key = key;
      this.question = question;
      this.fact = fact;
      this.restated = restated;
      this.say = say;
      this.repeat = repeat;
      this.past = past;
      this.values = values;
    }

    /** The memory topic of its facts, such as {@code home}. */
    String key() {
      return key;
    }

    /** The question that asks for the topic's current fact about {@code name}. */
    String question(String name) {
      return String.format(Locale.ROOT, question, name);
    }

    /** The fact that {@code name}'s value is {@code value}. */
    String fact(String name, String value) {
      return String.format(Locale.ROOT, fact, name, value);
    }

    /** The same fact in other words. */
    String restated(String name, String value) {
      return String.format(Locale.ROOT, restated, name, value);
    }

    private String say(String value) {
      return String.format(Locale.ROOT, say, value);
    }

    private String repeat(String value) {
      String text = String.format(Locale.ROOT, repeat, value);
      return Character.toUpperCase(text.charAt(0)) + text.substring(1) + ".";
    }

    private String past(String value) {
      return String.format(Locale.ROOT, past, value);
    }
  }
}
