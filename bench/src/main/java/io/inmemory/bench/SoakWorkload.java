package io.inmemory.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * The requests of the {@code soak} benchmark and the bookkeeping that keeps them valid and checks
 * their answers: what a handful of users of an assistant would send over a long time.
 *
 * <ul>
 *   <li><b>Users</b> are unequal, as real ones are: user {@code k} of {@code n} gets a share
 *       {@code 1/(k+1)} (Zipf) of the seeded memories, adds and searches, so the first user's
 *       collection can outgrow the exact scan and be searched through the HNSW graph.
 *   <li><b>Texts</b> are sentences built from word lists ({@link #content}, {@link #query}):
 *       {@link #CONTENTS} distinct memory texts and {@link #QUERIES} distinct questions, in a
 *       scrambled order so that consecutive ones differ throughout.
 *   <li><b>Searches</b> (limit {@value #LIMIT}) ask a repeated question (its embedding cached
 *       after its first use) or, at the configured share, a question never asked before (embedded
 *       in the call); the new ones start after the questions sent to warm the cache up.
 *   <li><b>Updates</b> change the text of a seeded memory (re-embedding it); <b>deletes</b>
 *       remove a memory that updates never touch — one of the other half of the seeded memories
 *       or one added during the run at least the workload's minimum age ago — so an update and a
 *       delete never race for the same memory and every one of them must succeed. The minimum
 *       age is for several replicas behind a balancer: a memory added through one replica may be
 *       deleted through another only once every replica can have seen it (the staleness bound).
 * </ul>
 *
 * <p>Every 2xx answer is checked ({@link #check}): an add must return the memory as sent, an
 * update the new text, a delete {@code deleted: true}, a search at most {@value #LIMIT} hits,
 * all of the searching user. The count of memories each user should hold is kept from the
 * successful answers, to compare with the server's own count at the end.
 *
 * <p>Thread-safe: generators and checks are called concurrently by the load driver's threads.
 */
final class SoakWorkload {
  /** Results asked of each search. */
  static final int LIMIT = 10;
  /** Memories per seeding request. */
  static final int SEED_BATCH = 100;
  static final String USER_PREFIX = "soak-user-";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] SUBJECTS = {
      "Alice", "Bob", "Carol", "Dan", "Priya", "Mateo", "Yuki", "Omar", "Lena", "Grace",
      "my sister", "my manager", "the landlord", "our neighbour", "the team lead", "my dentist"};
  private static final String[] INTENTS = {
      "wants to", "plans to", "forgot to", "promised to", "decided to", "asked me to", "needs to",
      "would love to", "hates having to", "agreed to", "is trying to", "offered to",
      "keeps putting off the plan to", "was reminded to", "refused to", "hopes to"};
  /** Things to do, and the same things as a question names them, index for index. */
  private static final String[][] ACTIVITIES = {
      {"book a table at the Italian place", "the Italian restaurant"},
      {"renew the passport", "the passport renewal"},
      {"finish the Q4 planning deck", "the Q4 planning deck"},
      {"take the dog to the vet", "the dog's vet visit"},
      {"call the plumber about the kitchen leak", "the kitchen leak"},
      {"practise Japanese for half an hour", "the Japanese lessons"},
      {"buy new running shoes", "the running shoes"},
      {"review the household budget", "the household budget"},
      {"pick up the kids from school", "the school pick-up"},
      {"water the tomato plants", "the tomato plants"},
      {"visit grandma in the hospital", "grandma's hospital visit"},
      {"cancel the gym membership", "the gym membership"},
      {"order a birthday cake for Sam", "Sam's birthday cake"},
      {"fix the flat tyre on the bike", "the bike repair"},
      {"send the invoice to the client", "the client invoice"},
      {"prepare slides for the conference talk", "the conference talk"},
      {"book flights to Lisbon", "the Lisbon flights"},
      {"clean out the garage", "the garage clean-up"},
      {"try the new ramen shop downtown", "the new ramen shop"},
      {"read the book club novel", "the book club novel"},
      {"schedule a dentist check-up", "the dentist appointment"},
      {"pay the electricity bill", "the electricity bill"},
      {"repaint the bedroom walls", "painting the bedroom"},
      {"learn the guitar chords for the wedding", "the wedding songs"},
      {"write a thank-you note to the neighbours", "the thank-you note"},
      {"return the library books", "the library books"},
      {"set up the new laptop", "the new laptop"},
      {"plan the team offsite", "the team offsite"},
      {"go hiking in the mountains", "the mountain hike"},
      {"update the resume", "the resume"},
      {"call the bank about the mortgage", "the mortgage"},
      {"bake bread for the picnic", "the picnic"},
      {"get the car serviced", "the car service"},
      {"sign up for the marathon", "the marathon"},
      {"move the meeting with the accountant", "the accountant meeting"},
      {"start a vegetable garden", "the vegetable garden"},
      {"sell the old sofa online", "selling the sofa"},
      {"pick a gift for the anniversary", "the anniversary gift"},
      {"rehearse the piano piece", "the piano recital"},
      {"sort the tax documents", "the tax documents"}};
  private static final String[] TIMES = {
      "tomorrow morning", "next Friday", "before the end of the month", "this weekend",
      "on Tuesday afternoon", "after the holidays", "in March", "tonight", "next week",
      "before the trip", "on Sunday", "in the spring", "by Thursday", "after work",
      "early next month", "this evening"};
  private static final String[] QUESTIONS = {
      "what did %s say about", "when does %s want to deal with", "any reminders from %s about",
      "what are %s's plans for", "did %s mention", "how is %s getting on with",
      "what should I tell %s about", "is %s still worried about", "what was decided with %s on",
      "remind me what %s thinks of", "has %s done anything about", "what does %s need for"};
  private static final String[] TAGS = {"work", "family", "health", "travel", "home", "errands"};

  /** Distinct memory texts before they repeat. */
  static final int CONTENTS = SUBJECTS.length * INTENTS.length * ACTIVITIES.length
      * TIMES.length;
  /** Distinct questions before they repeat. */
  static final int QUERIES = QUESTIONS.length * SUBJECTS.length * ACTIVITIES.length
      * TIMES.length;
  /** Coprime with both counts (7,919 is a prime): multiplying by it permutes each range. */
  private static final long SCRAMBLE = 7_919;

  /** What the workload sends; see {@link SoakWorkload}. */
  enum Operation {
    SEARCH, ADD, UPDATE, DELETE;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A memory the workload knows: its id and its user's number. */
  private record Known(String id, int user) {}

  /** A memory added during the run, at {@code addedNanos} ({@link System#nanoTime}). */
  private record Young(Known memory, long addedNanos) {}

  private final String key;
  private final int users;
  /** Cumulative Zipf shares of the users, the last one 1. */
  private final double[] cumulative;
  private final int repeatedQueries;
  private final double newQueryShare;
  /** The first question sent as new during the run: those before warm the cache up. */
  private final long firstNewQuery;
  private final AtomicLongArray held;
  private final AtomicLong contents = new AtomicLong();
  private final AtomicLong searches = new AtomicLong();
  private final AtomicLong adds = new AtomicLong();
  private final List<Known> updatable = new ArrayList<>();
  private final List<Known> deletable = new ArrayList<>();
  /** Memories added during the run and not yet {@link #minAgeNanos} old, oldest first. */
  private final ArrayDeque<Young> young = new ArrayDeque<>();
  private final long minAgeNanos;

  /**
   * A workload over {@code users} users sending {@code key}.
   *
   * @param repeatedQueries how many questions the repeated searches cycle through, at least one
   * @param newQueryShare the share of searches asking a question never asked before, 0 to 1
   * @param warmQueries how many questions {@link #warmUpQueries} sends before the run
   */
  SoakWorkload(String key, int users, int repeatedQueries, double newQueryShare, int warmQueries) {
    this(key, users, repeatedQueries, newQueryShare, warmQueries, Duration.ZERO);
  }

  /**
   * As {@link #SoakWorkload(String, int, int, double, int)}; a memory added during the run is
   * deleted only once it is at least {@code minAge} old.
   */
  SoakWorkload(String key, int users, int repeatedQueries, double newQueryShare, int warmQueries,
      Duration minAge) {
    if (users < 1 || repeatedQueries < 1 || !(newQueryShare >= 0 && newQueryShare <= 1)
        || warmQueries < 0 || minAge.isNegative()) {
      throw new IllegalArgumentException("a soak workload needs users >= 1, repeated queries"
          + " >= 1, a new-query share from 0 to 1, warm queries >= 0 and a minimum age >= 0: "
          + users + ", " + repeatedQueries + ", " + newQueryShare + ", " + warmQueries + ", "
          + minAge);
    }
    this.minAgeNanos = minAge.toNanos();
    this.key = key;
    this.users = users;
    this.cumulative = new double[users];
    double total = 0;
    for (int k = 0; k < users; k++) {
      total += 1.0 / (k + 1);
      cumulative[k] = total;
    }
    for (int k = 0; k < users; k++) {
      cumulative[k] /= total;
    }
    cumulative[users - 1] = 1;
    this.repeatedQueries = repeatedQueries;
    this.newQueryShare = newQueryShare;
    this.firstNewQuery = Math.max(repeatedQueries, warmQueries);
    this.held = new AtomicLongArray(users);
  }

  static String user(int k) {
    return USER_PREFIX + k;
  }

  /** Memory text {@code n}; texts differ when their numbers differ modulo {@link #CONTENTS}. */
  static String content(long n) {
    int[] d = digits(n, SUBJECTS.length, INTENTS.length, ACTIVITIES.length, TIMES.length);
    return capitalized(SUBJECTS[d[0]] + " " + INTENTS[d[1]] + " " + ACTIVITIES[d[2]][0] + " "
        + TIMES[d[3]] + ".");
  }

  /** Question {@code n}; questions differ when their numbers differ modulo {@link #QUERIES}. */
  static String query(long n) {
    int[] d = digits(n, QUESTIONS.length, SUBJECTS.length, ACTIVITIES.length, TIMES.length);
    return capitalized(QUESTIONS[d[0]].replace("%s", SUBJECTS[d[1]]) + " " + ACTIVITIES[d[2]][1]
        + " " + TIMES[d[3]] + "?");
  }

  /**
   * Number {@code n}, taken modulo the product of the bases and scrambled, written in those
   * bases (the last digit varies fastest): a distinct combination of word indexes per number.
   */
  private static int[] digits(long n, int... bases) {
    long size = Arrays.stream(bases).asLongStream().reduce(1, (a, b) -> a * b);
    long i = Math.floorMod(n, size) * SCRAMBLE % size;
    int[] digits = new int[bases.length];
    for (int d = bases.length - 1; d >= 0; d--) {
      digits[d] = (int) (i % bases[d]);
      i /= bases[d];
    }
    return digits;
  }

  private static String capitalized(String text) {
    return Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }

  /**
   * The user of request {@code n} of a stream: user {@code k} with probability proportional to
   * {@code 1/(k+1)}, the same for the same {@code n}.
   */
  int userOf(long n) {
    double u = (mix(n) >>> 11) * 0x1.0p-53;
    int k = Arrays.binarySearch(cumulative, u);
    return Math.min(users - 1, k >= 0 ? k + 1 : -k - 1);
  }

  /** {@code total} split over the users by their shares (largest remainders), in user order. */
  int[] shares(int total) {
    int[] counts = new int[users];
    double[] remainders = new double[users];
    int given = 0;
    for (int k = 0; k < users; k++) {
      double exact = total * (cumulative[k] - (k == 0 ? 0 : cumulative[k - 1]));
      counts[k] = (int) Math.floor(exact);
      remainders[k] = exact - counts[k];
      given += counts[k];
    }
    for (; given < total; given++) {
      int best = 0;
      for (int k = 1; k < users; k++) {
        if (remainders[k] > remainders[best]) {
          best = k;
        }
      }
      counts[best]++;
      remainders[best] = -1;
    }
    return counts;
  }

  /**
   * The requests that seed {@code total} memories over the users by their shares, at most
   * {@link #SEED_BATCH} per request; send them in order, each checked by {@link #seeded}.
   */
  List<HttpConnection.Request> seedRequests(int total) {
    List<HttpConnection.Request> requests = new ArrayList<>();
    List<Map<String, Object>> batch = new ArrayList<>();
    int[] counts = shares(total);
    for (int k = 0; k < users; k++) {
      for (int i = 0; i < counts[k]; i++) {
        batch.add(memory(k));
        if (batch.size() == SEED_BATCH) {
          requests.add(new HttpConnection.Request("/v1/memories/batch", key,
              json(Map.of("memories", batch))));
          batch = new ArrayList<>();
        }
      }
    }
    if (!batch.isEmpty()) {
      requests.add(new HttpConnection.Request("/v1/memories/batch", key,
          json(Map.of("memories", batch))));
    }
    return requests;
  }

  /**
   * Checks the answer to a seeding request and records its memories, alternately as ones to
   * update and ones to delete.
   */
  void seeded(HttpConnection.Request request, HttpConnection.Response response) {
    if (!response.ok()) {
      throw new IllegalStateException("seeding failed: HTTP " + response.status() + " "
          + response.body());
    }
    JsonNode sent = tree(request.json()).get("memories");
    JsonNode results = tree(response.body()).path("results");
    if (results.size() != sent.size()) {
      throw new IllegalStateException("seeding " + sent.size() + " memories returned "
          + results.size());
    }
    for (int i = 0; i < sent.size(); i++) {
      Known known = added(sent.get(i), results.get(i).path("memory"));
      synchronized (this) {
        (updatable.size() <= deletable.size() ? updatable : deletable).add(known);
      }
    }
  }

  /**
   * The questions that warm the server's query-embedding cache up, each asked once; none is
   * asked again by {@link #requests}, whose new questions come after them.
   */
  LongFunction<HttpConnection.Request> warmUpQueries() {
    return n -> search(userOf(n), query(n));
  }

  /** The requests of {@code operation}, numbered by the load driver. */
  LongFunction<HttpConnection.Request> requests(Operation operation) {
    return switch (operation) {
      case SEARCH -> n -> {
        long i = searches.getAndIncrement();
        // exactly share * i new questions among the first i searches
        boolean fresh = Math.floor((i + 1) * newQueryShare) > Math.floor(i * newQueryShare);
        long question = fresh ? firstNewQuery + (long) Math.floor(i * newQueryShare)
            : i % repeatedQueries;
        return search(userOf(i ^ 0x5DEECE66DL), query(question));
      };
      case ADD -> n -> new HttpConnection.Request("/v1/memories", key,
          json(memory(userOf(adds.getAndIncrement()))));
      case UPDATE -> n -> {
        Known memory = pick(false);
        return new HttpConnection.Request("PUT", path(memory), key,
            json(Map.of("memory_content", content(contents.getAndIncrement()))));
      };
      case DELETE -> n -> new HttpConnection.Request("DELETE", path(pick(true)), key, "");
    };
  }

  /**
   * Runs every operation of {@code rates} for {@code length}, all at once, each on its own
   * {@code connections} connections from {@code connect} (asked once per operation): in open loop
   * at its rate, or in closed loop where the rate is 0. Every answer is checked.
   */
  Map<Operation, LoadDriver.Result> run(Map<Operation, Double> rates, int connections,
      Duration length, Function<Operation, Supplier<HttpConnection>> connect)
      throws InterruptedException {
    ExecutorService drivers = Executors.newFixedThreadPool(rates.size());
    try {
      Map<Operation, Future<LoadDriver.Result>> running = new EnumMap<>(Operation.class);
      rates.forEach((operation, rate) -> running.put(operation, drivers.submit(() ->
          LoadDriver.run(new LoadDriver.Load(connections, length, Long.MAX_VALUE, rate),
              connect.apply(operation), requests(operation), check(operation)))));
      Map<Operation, LoadDriver.Result> results = new EnumMap<>(Operation.class);
      for (Map.Entry<Operation, Future<LoadDriver.Result>> entry : running.entrySet()) {
        results.put(entry.getKey(), entry.getValue().get());
      }
      return results;
    } catch (ExecutionException e) {
      throw new IllegalStateException("a load driver failed", e.getCause());
    } finally {
      drivers.shutdownNow();
    }
  }

  /** Checks a 2xx answer to a request of {@code operation} and records what it changed. */
  LoadDriver.Check check(Operation operation) {
    return switch (operation) {
      case SEARCH -> (request, response) -> {
        String user = tree(request.json()).get("user_id").asText();
        JsonNode hits = tree(response.body()).path("hits");
        if (!hits.isArray() || hits.size() > LIMIT) {
          throw new IllegalStateException("expected at most " + LIMIT + " hits");
        }
        for (JsonNode hit : hits) {
          if (!hit.path("memory").path("user_id").asText().equals(user)) {
            throw new IllegalStateException("a hit of another user than " + user);
          }
        }
      };
      case ADD -> (request, response) -> {
        Known known = added(tree(request.json()), tree(response.body()).path("memory"));
        synchronized (this) {
          young.addLast(new Young(known, System.nanoTime()));
        }
      };
      case UPDATE -> (request, response) -> {
        JsonNode memory = tree(response.body());
        if (!request.path().startsWith("/v1/memories/" + memory.path("id").asText() + "?")
            || !memory.path("memory_content").asText()
                .equals(tree(request.json()).get("memory_content").asText())) {
          throw new IllegalStateException("the answer is not the memory with its new text");
        }
      };
      case DELETE -> (request, response) -> {
        if (!tree(response.body()).path("deleted").asBoolean(false)) {
          throw new IllegalStateException("the memory was not deleted");
        }
        String user = request.path().substring(request.path().indexOf("user_id=") + 8);
        held.decrementAndGet(Integer.parseInt(user.substring(USER_PREFIX.length())));
      };
    };
  }

  /** How many memories each user holds by the answers so far, by user id. */
  Map<String, Long> held() {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (int k = 0; k < users; k++) {
      counts.put(user(k), held.get(k));
    }
    return counts;
  }

  /** How many memories all users hold by the answers so far. */
  long heldTotal() {
    long total = 0;
    for (int k = 0; k < users; k++) {
      total += held.get(k);
    }
    return total;
  }

  /** The request for the server's statistics of user {@code k}, whose memory count to compare. */
  HttpConnection.Request statsRequest(int k) {
    return new HttpConnection.Request("GET", "/v1/users/" + user(k) + "/stats", key, "");
  }

  private Map<String, Object> memory(int user) {
    long n = contents.getAndIncrement();
    return Map.of("memory_content", content(n), "user_id", user(user), "tags",
        List.of(TAGS[(int) (n % TAGS.length)]));
  }

  private HttpConnection.Request search(int user, String question) {
    return new HttpConnection.Request("/v1/memories/search", key,
        json(Map.of("query", question, "user_id", user(user), "limit", LIMIT)));
  }

  /** Checks that {@code stored} is {@code sent} as stored, counts it and returns it. */
  private Known added(JsonNode sent, JsonNode stored) {
    String user = sent.get("user_id").asText();
    if (!stored.path("id").isTextual() || !stored.path("user_id").asText().equals(user)
        || !stored.path("memory_content").asText().equals(sent.get("memory_content").asText())) {
      throw new IllegalStateException("the stored memory is not the one sent");
    }
    int k = Integer.parseInt(user.substring(USER_PREFIX.length()));
    held.incrementAndGet(k);
    return new Known(stored.get("id").asText(), k);
  }

  /**
   * A random memory to update (it stays known) or to delete (it is forgotten, so nothing is
   * deleted twice).
   */
  private synchronized Known pick(boolean delete) {
    long now = System.nanoTime();
    while (!young.isEmpty() && now - young.peekFirst().addedNanos() >= minAgeNanos) {
      deletable.add(young.removeFirst().memory());
    }
    List<Known> from = delete ? deletable : updatable;
    if (from.isEmpty()) {
      throw new IllegalStateException("no memory left to " + (delete ? "delete" : "update")
          + ": seed more or add faster than deleting" + (young.isEmpty() ? "" : " (" + young.size()
          + " added ones are younger than the minimum age)"));
    }
    int i = ThreadLocalRandom.current().nextInt(from.size());
    if (!delete) {
      return from.get(i);
    }
    Known last = from.remove(from.size() - 1);
    return i == from.size() ? last : from.set(i, last);
  }

  private static String path(Known memory) {
    return "/v1/memories/" + memory.id() + "?user_id=" + user(memory.user());
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("not JSON: " + e.getOriginalMessage());
    }
  }

  /** SplitMix64: spreads consecutive numbers over all 64 bits. */
  private static long mix(long n) {
    long z = (n + 1) * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
