package io.inmemory.bench;

import io.inmemory.bench.RetrievalMetrics.Summary;
import io.inmemory.cli.imports.LocomoConversations.EvidenceStats;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The results of one {@code locomo} run (one client), rendered as Markdown (whose last line is
 * {@code overall recall@5=R recall@10=R} over every scored question) or as a JSON-ready map.
 * Immutable.
 *
 * @param setup what was measured (dataset, embedder, retrieval mode, content mode, settings), in
 *     display order
 * @param corpus what was stored and asked
 * @param evidence how the evidence ids were read
 * @param ks the cut-offs, ascending
 * @param rows one row per category, then overall 1–4, overall 1–5 and, when there are questions
 *     of other categories, overall over all
 * @param overall the summary over every scored question, also the last row
 * @param ingest what was handed to the client and what it made of it
 * @param timing how long ingest and queries took
 */
record LocomoReport(Map<String, String> setup, Corpus corpus, EvidenceStats evidence,
    List<Integer> ks, List<Row> rows, Summary overall, Ingest ingest, Timing timing) {

  LocomoReport {
    setup = Collections.unmodifiableMap(new LinkedHashMap<>(setup));
    Objects.requireNonNull(corpus, "corpus");
    Objects.requireNonNull(evidence, "evidence");
    ks = List.copyOf(ks);
    rows = List.copyOf(rows);
    Objects.requireNonNull(overall, "overall");
    Objects.requireNonNull(ingest, "ingest");
    Objects.requireNonNull(timing, "timing");
    if (!ks.contains(5) || !ks.contains(10)) {
      throw new IllegalArgumentException("the summary line needs recall@5 and recall@10");
    }
  }

  /**
   * Counts of the run.
   *
   * @param samples conversations (one user each)
   * @param sessions sessions across them
   * @param memories turns stored as memories
   * @param questions questions read
   * @param scored questions with valid evidence, each asked once
   */
  record Corpus(int samples, int sessions, int memories, int questions, int scored) {}

  /**
   * What ingest handed over and what came of it.
   *
   * @param unit what was handed over: {@code turns}, or {@code facts} the model answered
   * @param items how many
   * @param memories memories added
   * @param none items found known ({@code NONE} events)
   * @param modelCalls chat requests the model answered, or {@code null} without a model
   */
  record Ingest(String unit, int items, int memories, int none, Integer modelCalls) {
    Ingest {
      Objects.requireNonNull(unit, "unit");
    }
  }

  /**
   * One line of the table.
   *
   * @param label what the line averages
   * @param category the question category it averages, or {@code null} for several
   * @param summary the averages
   */
  record Row(String label, Integer category, Summary summary) {
    Row {
      Objects.requireNonNull(label, "label");
      Objects.requireNonNull(summary, "summary");
    }
  }

  /**
   * Wall-clock times.
   *
   * @param startSeconds building the client (loading the model) and its health check
   * @param ingestSeconds all {@code addAll} calls
   * @param queryP50Millis median search latency, embedding included
   * @param queryP99Millis 99th percentile search latency
   */
  record Timing(double startSeconds, double ingestSeconds, double queryP50Millis,
      double queryP99Millis) {}

  double memoriesPerSecond() {
    return corpus.memories() / Math.max(timing.ingestSeconds(), 1e-9);
  }

  /** Turns or facts handed over per second of ingest. */
  double itemsPerSecond() {
    return ingest.items() / Math.max(timing.ingestSeconds(), 1e-9);
  }

  /** {@code facts N, memories M, none K, facts/s X[, model calls C]}. */
  String ingestLine() {
    return String.format(Locale.ROOT, "%s %d, memories %d, none %d, %s/s %.0f%s", ingest.unit(),
        ingest.items(), ingest.memories(), ingest.none(), ingest.unit(), itemsPerSecond(),
        ingest.modelCalls() == null ? "" : ", model calls " + ingest.modelCalls());
  }

  /** The machine-checked summary: {@code overall recall@5=R recall@10=R}, three decimals. */
  String summaryLine() {
    return summaryLine(overall);
  }

  /** {@code overall recall@5=R recall@10=R} of a summary, three decimals. */
  static String summaryLine(Summary summary) {
    return String.format(Locale.ROOT, "overall recall@5=%.3f recall@10=%.3f",
        summary.recall().get(5), summary.recall().get(10));
  }

  /** The summary of one question category, or {@code null} when it has no row. */
  Summary category(int category) {
    return rows.stream().filter(row -> Integer.valueOf(category).equals(row.category()))
        .map(Row::summary).findFirst().orElse(null);
  }

  /** The whole report: its {@linkplain #section section} then the summary line. */
  String markdown() {
    return section("LoCoMo retrieval") + summaryLine() + "\n";
  }

  /** The setup, counts, metrics and timing under a {@code ##} heading, without summary line. */
  String section(String heading) {
    StringBuilder out = new StringBuilder("## ").append(heading).append("\n\n");
    setup.forEach((key, value) -> out.append("- ").append(key).append(": ").append(value)
        .append('\n'));
    out.append(String.format(Locale.ROOT, "- corpus: %d samples (users), %d sessions, %d memories;"
        + " %d questions, %d scored%n", corpus.samples(), corpus.sessions(), corpus.memories(),
        corpus.questions(), corpus.scored()));
    out.append(String.format(Locale.ROOT, "- evidence: %d ids, %d normalized, %d skipped %s;"
        + " %d questions without valid evidence (not scored)%n", evidence.ids(),
        evidence.normalized(), evidence.skipped(), evidence.skippedIds(),
        evidence.questionsWithoutEvidence()));
    out.append("- ingest: ").append(ingestLine()).append("\n\n");

    out.append("| category | questions |");
    for (String metric : List.of("recall", "hit", "all")) {
      ks.forEach(k -> out.append(' ').append(metric).append('@').append(k).append(" |"));
    }
    out.append(" MRR@").append(ks.get(ks.size() - 1)).append(" |\n|---|---:|");
    out.append("---:|".repeat(3 * ks.size() + 1)).append('\n');
    for (Row row : rows) {
      Summary s = row.summary();
      out.append("| ").append(row.label()).append(" | ").append(s.questions()).append(" |");
      for (Map<Integer, Double> metric : List.of(s.recall(), s.hit(), s.all())) {
        ks.forEach(k -> out.append(String.format(Locale.ROOT, " %.3f |", metric.get(k))));
      }
      out.append(String.format(Locale.ROOT, " %.3f |%n", s.mrr()));
    }

    out.append("\n| client start s | ingest s | memories/s | queries | query p50 ms |"
        + " query p99 ms |\n|---:|---:|---:|---:|---:|---:|\n");
    out.append(String.format(Locale.ROOT, "| %.1f | %.1f | %.0f | %d | %.2f | %.2f |%n%n",
        timing.startSeconds(), timing.ingestSeconds(), memoriesPerSecond(), corpus.scored(),
        timing.queryP50Millis(), timing.queryP99Millis()));
    return out.toString();
  }

  /** The report as nested maps and lists of JSON-compatible values. */
  Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("mode", setup.get("ingest"));
    json.put("recall", byK(overall.recall()));
    json.put("setup", setup);
    json.put("corpus", corpus);
    json.put("evidence", evidence);
    Map<String, Object> metrics = new LinkedHashMap<>();
    for (Row row : rows) {
      Summary s = row.summary();
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("questions", s.questions());
      entry.put("recall", byK(s.recall()));
      entry.put("hit", byK(s.hit()));
      entry.put("all", byK(s.all()));
      entry.put("mrr", s.mrr());
      metrics.put(row.label(), entry);
    }
    json.put("metrics", metrics);
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put(ingest.unit(), ingest.items());
    counts.put("memories", ingest.memories());
    counts.put("none", ingest.none());
    counts.put(ingest.unit() + "_per_s", itemsPerSecond());
    if (ingest.modelCalls() != null) {
      counts.put("model_calls", ingest.modelCalls());
    }
    json.put("ingest", counts);
    Map<String, Object> times = new LinkedHashMap<>();
    times.put("client_start_s", timing.startSeconds());
    times.put("ingest_s", timing.ingestSeconds());
    times.put("memories_per_s", memoriesPerSecond());
    times.put("query_p50_ms", timing.queryP50Millis());
    times.put("query_p99_ms", timing.queryP99Millis());
    json.put("timing", times);
    json.put("summary", summaryLine());
    return json;
  }

  private Map<String, Double> byK(Map<Integer, Double> values) {
    Map<String, Double> byK = new LinkedHashMap<>();
    ks.forEach(k -> byK.put(String.valueOf(k), values.get(k)));
    return byK;
  }
}
