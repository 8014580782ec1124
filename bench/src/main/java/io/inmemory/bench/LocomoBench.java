package io.inmemory.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.inmemory.AddRequest;
import io.inmemory.ConversationRequest;
import io.inmemory.ConversationResult;
import io.inmemory.EventType;
import io.inmemory.Health;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryClients;
import io.inmemory.MemoryRecord;
import io.inmemory.bench.LocomoOptions.Variant;
import io.inmemory.bench.LocomoReport.Corpus;
import io.inmemory.bench.LocomoReport.Row;
import io.inmemory.bench.LocomoReport.Timing;
import io.inmemory.cli.imports.LocomoConversations.Question;
import io.inmemory.cli.imports.LocomoConversations.Sample;
import io.inmemory.cli.imports.LocomoConversations.Session;
import io.inmemory.cli.imports.LocomoConversations.Turn;
import io.inmemory.cli.imports.LocomoConversations.TurnContent;
import io.inmemory.cli.imports.LocomoConversations;
import io.inmemory.engine.extraction.Extraction;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * Retrieval quality of the public {@link MemoryClient} API on a LoCoMo-format dataset: every turn
 * of every conversation is stored as one memory of that conversation's user (created at its
 * session's time, mentioning its speaker, with metadata {@code dia_id} and {@code session}), then
 * every question with evidence is asked with {@code search(question, user, 25)} and the retrieved
 * turns are scored against the evidence turns by {@link RetrievalMetrics}. By default each session
 * is one {@code add(ConversationRequest)} (the product's conversation path); {@code --ingest add}
 * stores the turns with {@code addAll}; with {@code --ingest facts} the sessions go through the
 * engine's extraction pipeline against {@link LocomoFactModel}, and a retrieved fact stands for
 * the turns it came from (its metadata {@code source_message_ids}).
 *
 * <p>Every model × retrieval mode asked for runs on a fresh client and is compared by
 * {@link LocomoComparison}; {@code --tune} with {@code --folds 2} runs {@link LocomoTuning}
 * instead.
 *
 * <p>Usage: see {@link LocomoOptions#USAGE}. Prints a Markdown report whose last line is
 * {@code overall recall@5=R recall@10=R}, one such line per run prefixed by its label when there
 * are several.
 */
final class LocomoBench {
  static final List<Integer> KS = List.of(1, 5, 10, 25);
  static final Map<Integer, String> CATEGORY_NAMES = Map.of(0, "no category", 1, "multi-hop",
      2, "temporal", 3, "open-domain", 4, "single-hop", 5, "adversarial");

  private LocomoBench() {}

  public static void main(String[] args) throws IOException {
    LocomoOptions options;
    try {
      options = LocomoOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(LocomoOptions.USAGE);
      System.exit(2);
      return;
    }
    LocomoConversations dataset =
        LocomoConversations.read(options.dataset()).firstSamples(options.samples());
    String markdown;
    Object json;
    if (options.tune().isEmpty()) {
      List<LocomoComparison.Run> runs = new ArrayList<>();
      for (Variant variant : options.variants()) {
        runs.add(new LocomoComparison.Run(variant, run(options, dataset, variant, Map.of())));
      }
      LocomoComparison comparison = new LocomoComparison(runs);
      markdown = comparison.markdown();
      json = comparison.toJson();
      if (options.chart() != null) {
        System.err.println("wrote " + comparison.chart(options.chart()));
      }
    } else {
      Variant variant = options.variants().get(0);
      LocomoTuning tuning = LocomoTuning.run(options.grid(), LocomoTuning.halves(dataset),
          (half, point) -> run(options, half, variant, point));
      markdown = tuning.markdown();
      json = tuning.toJson();
    }
    if (options.json() != null) {
      new ObjectMapper().writerWithDefaultPrettyPrinter()
          .writeValue(options.json().toFile(), json);
      System.err.println("wrote " + options.json());
    }
    System.out.print(markdown);
  }

  /**
   * Ingests {@code dataset} into a fresh client of {@code variant} with the grid {@code point}'s
   * keys set, asks every question and scores it; reports progress on standard error.
   */
  static LocomoReport run(LocomoOptions options, LocomoConversations dataset, Variant variant,
      Map<String, String> point) throws IOException {
    String name = variant.label() + (point.isEmpty() ? "" : " " + point) + " on "
        + dataset.samples().size() + " conversations";
    System.err.println("locomo: running " + name);
    Map<String, String> users = LocomoConversations.users(dataset);
    long start = System.nanoTime();
    try (LocomoFactModel model = options.ingest() == LocomoIngest.FACTS
            ? LocomoFactModel.start(dataset, users, options.content()) : null;
        MemoryClient client = MemoryClients.create(options.config(variant, point,
            model == null ? Map.of() : model.settings()))) {
      Health health = client.healthCheck();
      if (!health.isUp()) {
        throw new IllegalStateException("client is not healthy: " + health);
      }
      double startSeconds = (System.nanoTime() - start) / 1e9;
      Ingest ingest = ingest(client, dataset, users, options);
      RetrievalMetrics metrics = new RetrievalMetrics(KS);
      long[] queryNanos = ask(client, dataset, users, metrics, options.ingest());
      Timing timing = new Timing(startSeconds, ingest.nanos() / 1e9,
          Stats.percentileMillis(queryNanos, 50), Stats.percentileMillis(queryNanos, 99));
      Corpus corpus = new Corpus(dataset.samples().size(),
          dataset.samples().stream().mapToInt(sample -> sample.sessions().size()).sum(),
          ingest.memories(), dataset.questionCount(), queryNanos.length);
      LocomoReport.Ingest counts = model == null
          ? new LocomoReport.Ingest("turns", ingest.items(), ingest.memories(), ingest.none(),
              null)
          : new LocomoReport.Ingest("facts", model.facts(), ingest.memories(), ingest.none(),
              model.calls());
      Map<String, String> setup = setup(options, variant, embedder(health));
      if (!point.isEmpty()) {
        setup.put("tuned", point.toString());
      }
      LocomoReport report = report(setup, dataset, metrics, corpus, counts, timing);
      System.err.println("locomo: " + name + ": " + report.summaryLine() + " ("
          + Math.round((System.nanoTime() - start) / 1e9) + " s)");
      return report;
    }
  }

  /**
   * What ingest did.
   *
   * @param items turns handed to the client
   * @param memories memories added
   * @param none facts or turns found known ({@code NONE} events)
   * @param nanos time in the client's add calls
   */
  private record Ingest(int items, int memories, int none, long nanos) {}

  /** Stores every sample's turns as the options say, timing only the calls. */
  private static Ingest ingest(MemoryClient client, LocomoConversations dataset,
      Map<String, String> users, LocomoOptions options) {
    return switch (options.ingest()) {
      case ADD -> add(client, dataset, users, options);
      case MESSAGES, FACTS -> converse(client, dataset, users, options);
    };
  }

  /** Each sample's turns with {@code addAll}. */
  private static Ingest add(MemoryClient client, LocomoConversations dataset,
      Map<String, String> users, LocomoOptions options) {
    long nanos = 0;
    int memories = 0;
    for (Sample sample : dataset.samples()) {
      List<AddRequest> requests = requests(sample, users.get(sample.sampleId()),
          options.content());
      for (int from = 0; from < requests.size(); from += options.batchSize()) {
        List<AddRequest> batch =
            requests.subList(from, Math.min(requests.size(), from + options.batchSize()));
        long t0 = System.nanoTime();
        client.addAll(batch);
        nanos += System.nanoTime() - t0;
      }
      memories += requests.size();
    }
    return new Ingest(memories, memories, 0, nanos);
  }

  /** Each session as one conversation of the sample's user; memories are the events that add. */
  private static Ingest converse(MemoryClient client, LocomoConversations dataset,
      Map<String, String> users, LocomoOptions options) {
    long nanos = 0;
    int turns = 0;
    int memories = 0;
    int none = 0;
    for (Sample sample : dataset.samples()) {
      for (ConversationRequest request :
          LocomoConversations.conversations(sample, users.get(sample.sampleId()), options.content())) {
        long t0 = System.nanoTime();
        ConversationResult result = client.add(request);
        nanos += System.nanoTime() - t0;
        turns += request.messages().size();
        memories += count(result, EventType.ADD);
        none += count(result, EventType.NONE);
      }
    }
    return new Ingest(turns, memories, none, nanos);
  }

  private static int count(ConversationResult result, EventType type) {
    return (int) result.events().stream().filter(event -> event.type() == type).count();
  }

  /** Asks every question that has evidence, scores the hits and returns each search's time. */
  private static long[] ask(MemoryClient client, LocomoConversations dataset, Map<String, String> users,
      RetrievalMetrics metrics, LocomoIngest ingest) {
    int depth = KS.get(KS.size() - 1);
    List<Long> nanos = new ArrayList<>();
    for (Sample sample : dataset.samples()) {
      String user = users.get(sample.sampleId());
      for (Question question : sample.questions()) {
        if (question.evidence().isEmpty()) {
          continue;
        }
        long t0 = System.nanoTime();
        List<MemoryRecord> found = client.search(question.question(), user, depth).memories();
        nanos.add(System.nanoTime() - t0);
        metrics.addItems(question.category(), question.evidence(), found.stream()
            .map(memory -> turns(memory, ingest)).toList());
      }
    }
    return nanos.stream().mapToLong(Long::longValue).toArray();
  }

  /** The turns a memory stands for: its own, or for a fact those it came from. */
  private static List<String> turns(MemoryRecord memory, LocomoIngest ingest) {
    if (ingest != LocomoIngest.FACTS) {
      return List.of(String.valueOf(memory.metadata().get("dia_id")));
    }
    Object sources = memory.metadata().get(Extraction.SOURCE_MESSAGE_IDS);
    return sources instanceof List<?> ids ? ids.stream().map(String::valueOf).toList()
        : List.of();
  }

  /** What a run measures, in display order. */
  static Map<String, String> setup(LocomoOptions options, Variant variant, String embedder) {
    Map<String, String> setup = new LinkedHashMap<>();
    setup.put("dataset", options.dataset().getFileName().toString());
    setup.put("embedder", embedder);
    setup.put("retrieval", variant.retrieval() == null ? "engine default" : variant.retrieval());
    setup.put("content", options.content().optionName());
    setup.put("ingest", options.ingest().optionName());
    if (options.ingest() == LocomoIngest.ADD) {
      setup.put("batch", String.valueOf(options.batchSize()));
    }
    if (!options.settings().isEmpty()) {
      setup.put("settings", new TreeMap<>(options.settings()).toString());
    }
    return setup;
  }

  private static LocomoReport report(Map<String, String> setup, LocomoConversations dataset,
      RetrievalMetrics metrics, Corpus corpus, LocomoReport.Ingest ingest, Timing timing) {
    List<Row> rows = new ArrayList<>();
    for (int category : metrics.categories()) {
      rows.add(new Row(category + " " + CATEGORY_NAMES.getOrDefault(category, "other"), category,
          metrics.summarize(List.of(category))));
    }
    rows.add(new Row("overall 1-4", null, metrics.summarize(categories(1, 4))));
    RetrievalMetrics.Summary overall = metrics.summarize(categories(1, 5));
    rows.add(new Row("overall 1-5", null, overall));
    // A file of LoCoMo's shape may have questions of other categories (or none): still scored.
    if (!categories(1, 5).containsAll(metrics.categories())) {
      overall = metrics.summarize(metrics.categories());
      rows.add(new Row("overall all", null, overall));
    }
    return new LocomoReport(setup, corpus, dataset.evidence(), KS, rows, overall, ingest,
        timing);
  }

  static List<Integer> categories(int first, int last) {
    return IntStream.rangeClosed(first, last).boxed().toList();
  }

  /** One memory per turn with content, in conversation order. */
  static List<AddRequest> requests(Sample sample, String user, TurnContent content) {
    List<AddRequest> requests = new ArrayList<>();
    for (Session session : sample.sessions()) {
      for (Turn turn : session.turns()) {
        String text = content.form(turn);
        if (text.isBlank()) {
          continue;
        }
        requests.add(AddRequest.builder(text, user)
            .people(turn.speaker())
            .metadata(Map.of("dia_id", turn.diaId(), "session", session.number()))
            .createdAt(session.time())
            .build());
      }
    }
    return requests;
  }

  /** The embedder a client's health names, or {@code unknown}. */
  static String embedder(Health health) {
    Health.Component component = health.components().get("embedder");
    return component == null ? "unknown" : component.detail();
  }
}
