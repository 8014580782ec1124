package io.inmemory.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.inmemory.ConversationRequest;
import io.inmemory.ConversationResult;
import io.inmemory.EventType;
import io.inmemory.HistoryEntry;
import io.inmemory.InMemoryConfig;
import io.inmemory.ListRequest;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryClients;
import io.inmemory.MemoryEvent;
import io.inmemory.MemoryFilter;
import io.inmemory.MemoryRecord;
import io.inmemory.Message;
import io.inmemory.Scope;
import io.inmemory.SearchRequest;
import io.inmemory.bench.SupersedeSet.Change;
import io.inmemory.bench.SupersedeSet.Kind;
import io.inmemory.bench.SupersedeSet.Person;
import io.inmemory.bench.SupersedeSet.Topic;
import io.inmemory.store.file.FileStoreSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Supersede correctness at size: each person of a generated {@link SupersedeSet} tells their
 * changes one conversation at a time to a client whose engine uses the {@code openai} extractor
 * against {@link SupersedeModel}, and after each change (and for every topic and superseded
 * memory at the end) the benchmark checks what the client shows: the topic's question ranks the
 * current fact first among the default search's top 5; no superseded memory is in the default
 * search or list, and {@code includeSuperseded} lists every memory of the topic; a superseded
 * memory's history is [ADD, SUPERSEDE related to its successor]; its {@code invalidAt} is its
 * successor's {@code validFrom} (a fact told late: the current fact's) and every new fact holds
 * from its message time or its resolved time phrase; each conversation answers the expected
 * event (ADD, SUPERSEDE of the current fact, NONE for a restatement, an already superseded ADD for
 * a late fact). The embedder is the engine's default, so ranking is real retrieval.
 *
 * <p>It is a correctness check that happens to live in bench for its size: any violation makes
 * {@link #main} exit with status 1. Usage: {@link #USAGE}.
 */
final class SupersedeBench {
  static final String USAGE = "usage: supersede [--users 5] [--changes 200] [--store memory|file]"
      + " [--seed 13] [--json file] [--out " + Report.DEFAULT_FOLDER + "]";
  private static final int SEARCH_LIMIT = 5;
  private static final int SHOWN_VIOLATIONS = 20;

  private SupersedeBench() {}

  public static void main(String[] args) throws IOException {
    Result result;
    try {
      result = run(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    if (!result.passed()) {
      System.err.println("supersede: " + result.violations().size() + " violations shown of "
          + result.violationCount());
      System.exit(1);
    }
  }

  /**
   * Generates the set, runs it, writes the report (and {@code --json}) and returns the result.
   *
   * @throws IllegalArgumentException on a malformed command line
   */
  static Result run(String[] args) throws IOException {
    Options options = Options.parse(args);
    if (!options.positional().isEmpty()) {
      throw new IllegalArgumentException("unexpected arguments " + options.positional());
    }
    int users = options.integer("users", 5);
    int changes = options.integer("changes", 200);
    long seed = options.integer("seed", 13);
    String store = options.get("store", "memory");
    if (!store.equals("memory") && !store.equals("file")) {
      throw new IllegalArgumentException("--store is memory or file, was " + store);
    }
    SupersedeSet set = SupersedeSet.generate(users, changes, seed);
    Path folder = store.equals("file") ? Files.createTempDirectory("inmemory-supersede") : null;
    Result result;
    try (SupersedeModel model = new SupersedeModel(set);
        MemoryClient client = MemoryClients.create(config(store, folder, model))) {
      Checker checker = new Checker(client, model);
      for (Person person : set.people()) {
        for (Change change : person.changes()) {
          checker.tell(person, change);
        }
      }
      for (Person person : set.people()) {
        checker.sweep(person);
      }
      result = checker.result(set, changes, store,
          LocomoBench.embedder(client.healthCheck()));
    } finally {
      if (folder != null) {
        EngineBench.deleteTree(folder);
      }
    }
    report(result, args).write(options);
    String json = options.get("json");
    if (json != null) {
      new ObjectMapper().writerWithDefaultPrettyPrinter()
          .writeValue(Path.of(json).toFile(), result.toJson());
      System.err.println("wrote " + json);
    }
    return result;
  }

  private static InMemoryConfig config(String store, Path folder, SupersedeModel model) {
    InMemoryConfig.Builder config = InMemoryConfig.builder().isolated()
        .set(InMemoryConfig.STORE, store)
        // the set's relative phrases are resolved in UTC, as the benchmark expects them
        .set(InMemoryConfig.TIME_ZONE.name(), "UTC");
    if (folder != null) {
      config.set(FileStoreSettings.DIR.name(), folder.toString());
    }
    model.settings().forEach(config::set);
    return config.build();
  }

  private static Report report(Result result, String[] args) {
    Report report = Report.of("supersede",
        "Supersede correctness: generated fact changes through the openai extractor", args);
    report.note("Store `" + result.store() + "`, embedder `" + result.embedder() + "` (the"
        + " engine default), extractor `openai` against a scripted OpenAI-compatible model on a"
        + " loopback port (extraction answers the stated fact; reconciliation answers SUPERSEDE"
        + " naming the shown memory that is the topic's current fact, NONE for a restatement)."
        + " Per user " + result.changesPerUser() + " changes over " + Topic.values().length
        + " topics, each said strictly later: " + result.newFacts() + " new facts ("
        + result.relative() + " with a relative time phrase), " + result.repeats()
        + " restatements, " + result.outOfOrder() + " older facts told late. Checks after each"
        + " change and for every topic and superseded memory at the end; 'current first' ="
        + " the topic's question ranks its current fact first in the default search (top "
        + SEARCH_LIMIT + "); 'hidden violations' = a superseded memory in the default search or"
        + " list, or a memory of the topic missing with includeSuperseded; latency = the"
        + " conversation add (two model calls, embedding, commit).");
    report.table("Supersede correctness", "users", "changes", "current first",
        "hidden violations", "history violations", "validity errors", "out-of-order ok",
        "p50 / p99 ms per change")
        .row(result.users(), String.format(Locale.ROOT, "%,d (%d per user)",
                result.users() * result.changesPerUser(), result.changesPerUser()),
            String.format(Locale.ROOT, "%.1f%% (%,d / %,d)", 100.0 * result.currentFirst()
                / Math.max(1, result.currentFirstChecks()), result.currentFirst(),
                result.currentFirstChecks()),
            result.hiddenViolations(), result.historyViolations(), result.validityErrors(),
            result.outOfOrderOk() + " / " + result.outOfOrder(),
            String.format(Locale.ROOT, "%.1f / %.1f", result.p50Millis(), result.p99Millis()));
    report.note("Events as expected: " + (result.changesTotal() - result.eventErrors()) + " / "
        + result.changesTotal() + "; model calls " + result.modelCalls() + ". "
        + (result.passed() ? "No violation." : "Violations (first " + SHOWN_VIOLATIONS + "): "
        + String.join("; ", result.violations())));
    return report;
  }

  /**
   * The outcome of a run. Immutable.
   *
   * @param violations the first violations, described
   * @param violationCount all violations, including failed current-first checks and unexpected
   *     events
   */
  record Result(int users, int changesPerUser, int changesTotal, long newFacts, long relative,
      long repeats, int currentFirst, int currentFirstChecks, int hiddenViolations,
      int historyViolations, int validityErrors, int eventErrors, int outOfOrder,
      int outOfOrderOk, double p50Millis, double p99Millis, int modelCalls, String store,
      String embedder, List<String> violations, int violationCount) {

    Result {
      Objects.requireNonNull(store, "store");
      Objects.requireNonNull(embedder, "embedder");
      violations = List.copyOf(violations);
    }

    /** Whether every check held. */
    boolean passed() {
      return violationCount == 0;
    }

    Map<String, Object> toJson() {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("mode", "supersede");
      json.put("passed", passed());
      json.put("users", users);
      json.put("changes_per_user", changesPerUser);
      json.put("changes", changesTotal);
      json.put("new_facts", newFacts);
      json.put("relative", relative);
      json.put("repeats", repeats);
      json.put("current_first", currentFirst);
      json.put("current_first_checks", currentFirstChecks);
      json.put("hidden_violations", hiddenViolations);
      json.put("history_violations", historyViolations);
      json.put("validity_errors", validityErrors);
      json.put("event_errors", eventErrors);
      json.put("out_of_order", outOfOrder);
      json.put("out_of_order_ok", outOfOrderOk);
      json.put("p50_ms", p50Millis);
      json.put("p99_ms", p99Millis);
      json.put("model_calls", modelCalls);
      json.put("store", store);
      json.put("embedder", embedder);
      json.put("violation_count", violationCount);
      json.put("violations", violations);
      return json;
    }
  }

  /**
   * Tells changes and checks the client against what they should have made of it. Not
   * thread-safe: one run drives it from one thread.
   */
  private static final class Checker {
    private final MemoryClient client;
    private final SupersedeModel model;
    /** Per user, each topic's current memory as the benchmark expects it. */
    private final Map<String, Map<Topic, MemoryRecord>> current = new HashMap<>();
    /** Per user, every memory of each topic. */
    private final Map<String, Map<Topic, Set<String>>> all = new HashMap<>();
    /** Per user, each superseded memory's expected successor and invalidAt. */
    private final Map<String, Map<String, Successor>> superseded = new HashMap<>();
    private final List<Long> nanos = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    private int violationCount;
    private int currentFirst;
    private int currentFirstChecks;
    private int hidden;
    private int history;
    private int validity;
    private int events;
    private int outOfOrder;
    private int outOfOrderOk;

    private record Successor(String id, Instant invalidAt) {}

    Checker(MemoryClient client, SupersedeModel model) {
      this.client = client;
      this.model = model;
    }

    /** Tells one change and checks its event, its topic and the memory it superseded. */
    void tell(Person person, Change change) {
      Scope scope = Scope.user(person.userId());
      Map<Topic, MemoryRecord> now = current.computeIfAbsent(person.userId(),
          user -> new EnumMap<>(Topic.class));
      Set<String> topicMemories = all.computeIfAbsent(person.userId(),
          user -> new EnumMap<>(Topic.class)).computeIfAbsent(change.topic(),
          topic -> new HashSet<>());
      Map<String, Successor> successors = superseded.computeIfAbsent(person.userId(),
          user -> new HashMap<>());
      MemoryRecord prior = now.get(change.topic());
      long t0 = System.nanoTime();
      ConversationResult result = client.add(ConversationRequest.builder(scope)
          .messages(Message.user(change.message()).withName(person.name())
              .withTimestamp(change.said()))
          .build());
      nanos.add(System.nanoTime() - t0);
      String where = person.userId() + " change " + change.number() + " (" + change.kind() + " "
          + change.topic().key() + ")";
      if (result.events().size() != 1) {
        events++;
        violation(where + ": " + result.events().size() + " events, expected 1");
        return;
      }
      MemoryEvent event = result.events().get(0);
      MemoryRecord memory = event.memory();
      switch (change.kind()) {
        case NEW -> {
          EventType expected = prior == null ? EventType.ADD : EventType.SUPERSEDE;
          if (event.type() != expected
              || prior != null && !prior.id().equals(event.previousId())) {
            events++;
            violation(where + ": " + event.type() + " of " + event.previousId() + ", expected "
                + expected + (prior == null ? "" : " of " + prior.id()));
          }
          if (!memory.validFrom().equals(change.validFrom()) || memory.invalidAt() != null) {
            validity++;
            violation(where + ": new fact valid " + memory.validFrom() + " to "
                + memory.invalidAt() + ", expected from " + change.validFrom());
          }
          topicMemories.add(memory.id());
          now.put(change.topic(), memory);
          model.current(person.userId(), change.topic(), memory.content());
          if (prior != null) {
            successors.put(prior.id(), new Successor(memory.id(), change.validFrom()));
            checkSuperseded(scope, prior.id(), successors.get(prior.id()));
          }
        }
        case REPEAT -> {
          if (event.type() != EventType.NONE || !memory.id().equals(prior.id())) {
            events++;
            violation(where + ": " + event.type() + " " + memory.id() + ", expected NONE "
                + prior.id());
          }
        }
        case LATE -> {
          outOfOrder++;
          boolean ok = event.type() == EventType.ADD
              && prior.validFrom().equals(memory.invalidAt())
              && prior.id().equals(memory.supersededBy())
              && change.validFrom().equals(memory.validFrom());
          if (ok) {
            outOfOrderOk++;
          } else {
            violation(where + ": " + event.type() + " valid " + memory.validFrom() + " to "
                + memory.invalidAt() + " superseded by " + memory.supersededBy()
                + ", expected ADD valid " + change.validFrom() + " to " + prior.validFrom()
                + " superseded by " + prior.id());
          }
          topicMemories.add(memory.id());
          successors.put(memory.id(), new Successor(prior.id(), prior.validFrom()));
          checkSuperseded(scope, memory.id(), successors.get(memory.id()));
        }
      }
      checkTopic(person, change.topic());
    }

    /** Checks every topic and every superseded memory of a person once more. */
    void sweep(Person person) {
      Scope scope = Scope.user(person.userId());
      for (Topic topic : current.getOrDefault(person.userId(), Map.of()).keySet()) {
        checkTopic(person, topic);
      }
      superseded.getOrDefault(person.userId(), Map.of())
          .forEach((id, successor) -> checkSuperseded(scope, id, successor));
    }

    /** Current first, nothing superseded shown by default, everything shown on request. */
    private void checkTopic(Person person, Topic topic) {
      Scope scope = Scope.user(person.userId());
      MemoryRecord expected = current.get(person.userId()).get(topic);
      Set<String> hiddenIds = superseded.get(person.userId()).keySet();
      List<MemoryRecord> found = client.search(SearchRequest.builder(scope)
          .query(topic.question(person.name())).limit(SEARCH_LIMIT).build()).memories();
      currentFirstChecks++;
      if (!found.isEmpty() && found.get(0).id().equals(expected.id())) {
        currentFirst++;
      } else {
        violation(person.userId() + " '" + topic.question(person.name()) + "': first "
            + (found.isEmpty() ? "nothing" : "'" + found.get(0).content() + "'") + ", expected '"
            + expected.content() + "'");
      }
      List<String> shownHidden = found.stream().map(MemoryRecord::id)
          .filter(hiddenIds::contains).toList();
      if (!shownHidden.isEmpty()) {
        hidden++;
        violation(person.userId() + " search shows superseded " + shownHidden);
      }
      Set<String> listed = ids(client.list(ListRequest.builder(scope)
          .limit(SearchRequest.MAX_LIMIT).build()).items());
      Set<String> currentIds = current.get(person.userId()).values().stream()
          .map(MemoryRecord::id).collect(Collectors.toSet());
      if (!listed.equals(currentIds)) {
        hidden++;
        violation(person.userId() + " list shows " + listed + ", expected the current "
            + currentIds);
      }
      Set<String> withSuperseded = ids(client.list(ListRequest.builder(scope)
          .filter(MemoryFilter.topic().eq(topic.key())).includeSuperseded(true)
          .limit(SearchRequest.MAX_LIMIT).build()).items());
      Set<String> topicIds = all.get(person.userId()).get(topic);
      if (!withSuperseded.equals(topicIds)) {
        hidden++;
        violation(person.userId() + " includeSuperseded lists " + withSuperseded.size()
            + " memories of " + topic.key() + ", expected " + topicIds.size());
      }
    }

    /** History [ADD, SUPERSEDE related to the successor]; invalid from the successor's time. */
    private void checkSuperseded(Scope scope, String id, Successor successor) {
      MemoryRecord old = client.get(id, scope).orElse(null);
      if (old == null || !successor.invalidAt().equals(old.invalidAt())
          || !successor.id().equals(old.supersededBy())) {
        validity++;
        violation(id + " is " + (old == null ? "gone" : "invalid at " + old.invalidAt()
            + " superseded by " + old.supersededBy()) + ", expected invalid at "
            + successor.invalidAt() + " superseded by " + successor.id());
      }
      List<HistoryEntry> entries = client.history(id, scope);
      boolean ok = entries.size() == 2 && entries.get(0).event() == HistoryEntry.Event.ADD
          && entries.get(1).event() == HistoryEntry.Event.SUPERSEDE
          && successor.id().equals(entries.get(1).relatedId());
      if (!ok) {
        history++;
        violation(id + " history " + entries.stream()
            .map(entry -> entry.event() + "(" + entry.relatedId() + ")").toList()
            + ", expected [ADD, SUPERSEDE(" + successor.id() + ")]");
      }
    }

    private static Set<String> ids(List<MemoryRecord> memories) {
      return memories.stream().map(MemoryRecord::id).collect(Collectors.toSet());
    }

    private void violation(String description) {
      violationCount++;
      if (violations.size() < SHOWN_VIOLATIONS) {
        violations.add(description);
      }
    }

    Result result(SupersedeSet set, int changesPerUser, String store, String embedder) {
      long[] times = nanos.stream().mapToLong(Long::longValue).toArray();
      return new Result(set.people().size(), changesPerUser, set.size(), set.count(Kind.NEW),
          set.relative(), set.count(Kind.REPEAT), currentFirst, currentFirstChecks, hidden,
          history, validity, events, outOfOrder, outOfOrderOk,
          Stats.percentileMillis(times, 50), Stats.percentileMillis(times, 99), model.calls(),
          store, embedder, violations, violationCount);
    }
  }
}
