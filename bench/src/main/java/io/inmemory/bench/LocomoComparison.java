package io.inmemory.bench;

import io.inmemory.bench.LocomoOptions.Variant;
import io.inmemory.bench.RetrievalMetrics.Summary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code locomo} runs of several model × retrieval mode combinations on the same dataset: one
 * Markdown document (a summary table, then each run's section, then one summary line per run
 * prefixed by its label), the JSON of every run and a bar chart of recall@5 and @10. A single run
 * renders exactly as its {@link LocomoReport}. Immutable.
 *
 * @param runs the runs in the order asked for; at least one
 */
record LocomoComparison(List<Run> runs) {
  /** The categories whose recall@10 the summary table shows: LoCoMo's. */
  static final List<Integer> CATEGORIES = LocomoBench.categories(1, 5);

  LocomoComparison {
    runs = List.copyOf(runs);
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("nothing was run");
    }
  }

  /**
   * One client's results.
   *
   * @param variant its model and mode
   * @param report what it measured
   */
  record Run(Variant variant, LocomoReport report) {
    Run {
      Objects.requireNonNull(variant, "variant");
      Objects.requireNonNull(report, "report");
    }

    /** {@code <model/mode> overall recall@5=R recall@10=R}. */
    String summaryLine() {
      return variant.label() + " " + report.summaryLine();
    }
  }

  String markdown() {
    if (runs.size() == 1) {
      return runs.get(0).report().markdown();
    }
    StringBuilder out = new StringBuilder("## LoCoMo retrieval by model and mode\n\n");
    out.append("| model | retrieval | R@1 | R@5 | R@10 | MRR |");
    CATEGORIES.forEach(category -> out.append(" R@10 ").append(category).append(' ')
        .append(LocomoBench.CATEGORY_NAMES.get(category)).append(" |"));
    out.append(" memories/s | query p50 ms | query p99 ms |\n|---|---|");
    out.append("---:|".repeat(4 + CATEGORIES.size() + 3)).append('\n');
    for (Run run : runs) {
      LocomoReport report = run.report();
      Summary overall = report.overall();
      out.append("| ").append(run.variant().model()).append(" | ")
          .append(report.setup().get("retrieval")).append(" |");
      for (double value : new double[] {overall.recall().get(1), overall.recall().get(5),
          overall.recall().get(10), overall.mrr()}) {
        out.append(String.format(Locale.ROOT, " %.3f |", value));
      }
      for (int category : CATEGORIES) {
        Summary summary = report.category(category);
        out.append(summary == null ? " — |"
            : String.format(Locale.ROOT, " %.3f |", summary.recall().get(10)));
      }
      out.append(String.format(Locale.ROOT, " %.0f | %.2f | %.2f |%n", report.memoriesPerSecond(),
          report.timing().queryP50Millis(), report.timing().queryP99Millis()));
    }
    out.append('\n');
    runs.forEach(run -> out.append(run.report().section(run.variant().label())));
    runs.forEach(run -> out.append(run.summaryLine()).append('\n'));
    return out.toString();
  }

  /** One run's JSON as {@link LocomoReport#toJson}; several as {@code runs} and summary lines. */
  Map<String, Object> toJson() {
    if (runs.size() == 1) {
      return runs.get(0).report().toJson();
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("runs", runs.stream().map(run -> {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("label", run.variant().label());
      entry.put("model", run.variant().model());
      entry.put("retrieval", run.variant().retrieval());
      entry.putAll(run.report().toJson());
      return entry;
    }).toList());
    json.put("summary", runs.stream().map(Run::summaryLine).toList());
    return json;
  }

  /**
   * Draws recall@5 and recall@10 of each run as grouped bars into {@code png}.
   *
   * @return the file written
   */
  Path chart(Path png) throws IOException {
    Report.Plot plot = Report.barChart("LoCoMo retrieval: recall by model and mode",
        "model / retrieval", "recall")
        .categories(runs.stream().map(run -> run.variant().label()).toArray(String[]::new));
    for (int k : List.of(5, 10)) {
      plot.series("recall@" + k, runs.stream()
          .mapToDouble(run -> run.report().overall().recall().get(k)).toArray());
    }
    return plot.save(png);
  }
}
