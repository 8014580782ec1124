package io.inmemory.bench;

import java.util.List;

/**
 * Memory-like sentences and questions made from word lists, each number giving a different text
 * (no file, no corpus to install): for loading a server with many distinct memories and with
 * query texts it has never embedded. The first 72,000 memories and 2,400 queries are distinct
 * combinations; past those the combinations repeat with a round number appended, so that no two
 * numbers ever give the same text. Stateless.
 */
final class GeneratedTexts {
  private static final List<String> PEOPLE = List.of("Maya", "The user", "Tom", "Grandma",
      "Priya", "The user's manager", "Leo", "Sofia", "The landlord", "Dr. Chen",
      "The user's sister", "Ahmed");
  private static final List<String> ACTIONS = List.of("booked", "cancelled", "asked about",
      "recommended", "forgot", "paid for", "complained about", "planned", "finished", "started",
      "rescheduled", "loved", "disliked", "borrowed", "returned", "ordered", "reviewed",
      "postponed", "organised", "mentioned");
  private static final List<String> THINGS = List.of("a table at the Thai restaurant",
      "the dentist appointment", "a weekend trip to Lisbon", "the quarterly budget",
      "new running shoes", "the piano lessons", "a birthday cake", "the car insurance",
      "the team offsite", "a book about astronomy", "the yoga class", "concert tickets",
      "the kitchen renovation", "a vegan recipe", "the electricity bill", "a hiking route",
      "the project deadline", "a gift for the wedding", "the dog's vaccination",
      "Spanish lessons", "a flight to Tokyo", "the gym membership", "a podcast episode",
      "the garden fence", "a laptop repair", "the school play", "a camping tent",
      "the tax return", "a chess tournament", "the rent increase");
  private static final List<String> TIMES = List.of("on Monday", "last week", "yesterday",
      "for next month", "this morning", "before the holidays", "after work", "on the weekend",
      "in March", "two days ago");
  private static final List<String> QUESTIONS = List.of("what happened with", "who took care of",
      "any news about", "did anyone mention", "when was", "remind me about",
      "what did we decide on", "how did it go with");

  private GeneratedTexts() {}

  /** Memory {@code n} (from 0): who did what, when. */
  static String memory(long n) {
    long[] digits = digits(n, PEOPLE.size(), ACTIONS.size(), THINGS.size(), TIMES.size());
    return withRound(PEOPLE.get((int) digits[0]) + " " + ACTIONS.get((int) digits[1]) + " "
        + THINGS.get((int) digits[2]) + " " + TIMES.get((int) digits[3]), digits[4]);
  }

  /** Query {@code n} (from 0): a question about something, sometime. */
  static String query(long n) {
    long[] digits = digits(n, QUESTIONS.size(), THINGS.size(), TIMES.size());
    return withRound(QUESTIONS.get((int) digits[0]) + " " + THINGS.get((int) digits[1]) + " "
        + TIMES.get((int) digits[2]), digits[3]);
  }

  /** {@code n} in the mixed radix {@code bases}, least significant first, then the rest. */
  private static long[] digits(long n, int... bases) {
    if (n < 0) {
      throw new IllegalArgumentException("text numbers start at 0, was " + n);
    }
    long[] digits = new long[bases.length + 1];
    long rest = n;
    for (int i = 0; i < bases.length; i++) {
      digits[i] = rest % bases[i];
      rest /= bases[i];
    }
    digits[bases.length] = rest;
    return digits;
  }

  private static String withRound(String text, long round) {
    return round == 0 ? text : text + " (" + (round + 1) + ")";
  }
}
