package io.inmemory.samples;

import io.inmemory.AddRequest;
import io.inmemory.EventType;
import io.inmemory.Health;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryClients;
import io.inmemory.SearchHit;
import io.inmemory.SearchRequest;
import io.inmemory.SearchResult;
import io.inmemory.UserStats;
import java.io.PrintStream;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * The quick start: says where the memories live, adds the seed's example memories for two users
 * (de-duplicated, so that a second run adds none of them again), then recalls them by meaning (with a relevance threshold, explaining the score), time, tag,
 * person and user, and prints stats and health. Runs on whatever the configuration selects
 * and never names a backend: by default the embedded engine with offline embeddings and the file
 * store in {@code ~/.inmemory} (set by this module's {@code inmemory.properties}); {@code
 * -Dinmemory.store=h2} or {@code INMEMORY_STORAGE_TYPE=mongo} (with {@code INMEMORY_MONGODB_URI})
 * switch the storage, {@code -Dinmemory.mode=managed} (with {@code inmemory.base-url} and
 * {@code INMEM_API_KEY}) a server. Each run also records itself, to
 * show what a durable store keeps from one run to the next.
 */
public final class QuickStart {
  /** The user whose memories are the quick start's own runs. */
  static final String RUNS_USER = "quickstart-runs";
  /**
   * The least relevance the semantic search shows: with the default model, memories on other
   * subjects score about 0.2 and the answer about 0.4.
   */
  static final double THRESHOLD = 0.3;
  /** The health component that describes the storage. */
  private static final String STORE = "store";

  private QuickStart() {}

  public static void main(String[] args) {
    try (MemoryClient memory = MemoryClients.create()) {
      run(memory, System.out);
    }
  }

  static void run(MemoryClient memory, PrintStream out) {
    String john = "john";
    String jane = "jane";
    section(out, "Storage: where the memories live");
    out.printf("  %s%n", memory.healthCheck().components().get(STORE).detail());

    section(out, "Persistence: runs of this quick start remembered by the store");
    memory.add("The quick start ran", RUNS_USER);
    out.printf("  runs remembered: %d (a durable store counts up from run to run)%n",
        memory.getAll(RUNS_USER, 1, 0).total());

    // De-duplicated: a later run finds the examples held and adds none again (=), so the
    // output below is the same every time while the demo users keep what they had.
    section(out, "Adding memories for " + john + " and " + jane + " (+ new, = already held)");
    memory.addAll(List.of(
        AddRequest.builder("I love pizza but hate broccoli", john)
            .tags("food", "preferences").topic("food").deduplicate(true).build(),
        AddRequest.builder("Meeting with Bob and Carol about Q4 planning tomorrow at 3pm", john)
            .tags("work", "meeting").people("Bob", "Carol").topic("work")
            .metadata(Map.of("priority", "high", "room", 4)).deduplicate(true).build(),
        AddRequest.builder("My dog Rex needs his vaccination next month", john)
            .tags("pets", "health").topic("personal").deduplicate(true).build(),
        AddRequest.builder("Bob recommended the book 'Thinking, Fast and Slow'", john)
            .tags("books", "preferences").people("Bob").topic("reading").deduplicate(true)
            .build(),
        AddRequest.builder("Went to the climbing gym with Carol", john)
            .tags("sport").people("Carol").topic("personal")
            .createdAt(LocalDate.now().minusDays(1).atTime(18, 30)
                .atZone(ZoneId.systemDefault()).toInstant()).deduplicate(true).build(),
        AddRequest.builder("I am allergic to peanuts", jane)
            .tags("food", "health").topic("health").deduplicate(true).build(),
        AddRequest.builder("Lunch with Carol at the sushi place on Friday", jane)
            .tags("food", "social").people("carol").topic("social").deduplicate(true).build()))
        .forEach(added -> out.printf("  %s %-5s %s%n", added.event() == EventType.ADD ? "+" : "=",
            added.memory().userId(), added.memory().content()));

    section(out, "Semantic search: \"What food does John like?\" (user john, score "
        + THRESHOLD + " or more)");
    print(out, memory.search(SearchRequest.builder(john).query("What food does John like?")
        .limit(3).threshold(THRESHOLD).build()));
    out.printf("""
          The score is relevance, 0 to 1: closeness in meaning (cosine similarity), raised
          when the memory shares words with the question. Memories on other subjects still
          score about 0.2, so this search sets a threshold of %s. Searches by time, tag or
          person alone list their matches newest first, each with score 1.
        """, THRESHOLD);

    section(out, "Time: \"yesterday\" (user john; imported with a past createdAt)");
    print(out, memory.temporalSearch("yesterday", john));

    section(out, "Tags: food AND preferences (user john)");
    print(out, memory.searchByTags(List.of("food", "preferences"), john, null, true, 10));

    section(out, "Tags: pets OR books (user john)");
    print(out, memory.searchByTags(List.of("pets", "books"), john, null, false, 10));

    section(out, "People: \"bob\" (case-insensitive, user john)");
    print(out, memory.searchByPeople(List.of("bob"), john, null, 10));

    section(out, "User isolation: \"food allergies\" as john, then as jane");
    print(out, memory.search("food allergies", john, 1));
    print(out, memory.search("food allergies", jane, 1));

    section(out, "Stats of john");
    UserStats stats = memory.getUserStats(john);
    out.printf("  memories: %d, tags: %s, people: %s, topics: %s%n", stats.memoryCount(),
        stats.tagCounts(), stats.peopleCounts(), stats.topicCounts());

    section(out, "Health");
    Health health = memory.healthCheck();
    out.printf("  %s (version %s)%n", health.status(), health.version());
    health.components().forEach((name, component) -> out.printf("  %-8s %s in %d ms: %s%n", name,
        component.status(), component.latency().toMillis(), component.detail()));
  }

  private static void section(PrintStream out, String title) {
    out.println();
    out.println("== " + title);
  }

  private static void print(PrintStream out, SearchResult result) {
    if (result.isEmpty()) {
      out.println("  (nothing)");
    }
    for (SearchHit hit : result.hits()) {
      out.printf("  %.3f  %s  %s%n", hit.score(), hit.memory().content(), hit.memory().tags());
    }
  }
}
