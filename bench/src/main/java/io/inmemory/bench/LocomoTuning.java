package io.inmemory.bench;

import io.inmemory.bench.RetrievalMetrics.Summary;
import io.inmemory.cli.imports.LocomoConversations;
import io.inmemory.cli.imports.LocomoConversations.Sample;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Two-fold tuning of configuration keys on a LoCoMo-format dataset, so that a learned weight is
 * reported on conversations it was not chosen on: the conversations are split in two halves by
 * order (the first ⌈n/2⌉, then the rest); every grid point and the engine default (no tuned key)
 * run once on each half, each on a fresh client; for each half as tuning half the point with the
 * best recall@10 there (ties: recall@5, then the grid's order) is chosen and reported on the other
 * half. The two-fold result pools the two other-half results question by question. Immutable.
 */
final class LocomoTuning {
  private static final List<String> HALF_NAMES = List.of("A", "B");

  /** Runs one grid point on one half on a fresh client. */
  interface Runner {
    /**
     * @param half the conversations to ingest and ask
     * @param point the tuned keys' values; empty for the engine default
     */
    LocomoReport run(LocomoConversations half, Map<String, String> point) throws IOException;
  }

  private final Map<String, String> setup;
  private final List<Map<String, String>> grid;
  private final List<LocomoConversations> halves;
  /** By half, then grid point. */
  private final List<List<Summary>> results;
  /** By half. */
  private final List<Summary> defaults;

  private LocomoTuning(Map<String, String> setup, List<Map<String, String>> grid,
      List<LocomoConversations> halves, List<List<Summary>> results, List<Summary> defaults) {
    this.setup = setup;
    this.grid = grid;
    this.halves = halves;
    this.results = results;
    this.defaults = defaults;
  }

  /**
   * The first ⌈n/2⌉ conversations and the rest, each with its own evidence statistics.
   *
   * @throws IllegalArgumentException when there are fewer than two conversations
   */
  static List<LocomoConversations> halves(LocomoConversations dataset) {
    List<Sample> samples = dataset.samples();
    if (samples.size() < 2) {
      throw new IllegalArgumentException("two-fold tuning needs at least two conversations, the"
          + " dataset has " + samples.size());
    }
    int split = (samples.size() + 1) / 2;
    return List.of(dataset.samples(0, split), dataset.samples(split, samples.size()));
  }

  /**
   * The index of the best summary: highest recall@10, ties broken by recall@5, then by order.
   *
   * @throws IllegalArgumentException when there is none
   */
  static int choose(List<Summary> summaries) {
    if (summaries.isEmpty()) {
      throw new IllegalArgumentException("no grid point to choose from");
    }
    int best = 0;
    for (int i = 1; i < summaries.size(); i++) {
      Summary candidate = summaries.get(i);
      Summary chosen = summaries.get(best);
      int byTen = Double.compare(candidate.recall().get(10), chosen.recall().get(10));
      if (byTen > 0 || byTen == 0
          && Double.compare(candidate.recall().get(5), chosen.recall().get(5)) > 0) {
        best = i;
      }
    }
    return best;
  }

  /**
   * Runs the engine default and every grid point on each half: one client each.
   *
   * @param grid the grid points in order; at least one
   * @param halves the two halves of {@link #halves}
   */
  static LocomoTuning run(List<Map<String, String>> grid, List<LocomoConversations> halves,
      Runner runner) throws IOException {
    if (grid.isEmpty() || halves.size() != 2) {
      throw new IllegalArgumentException("tuning needs grid points and two halves");
    }
    Map<String, String> setup = null;
    List<List<Summary>> results = new ArrayList<>();
    List<Summary> defaults = new ArrayList<>();
    for (LocomoConversations half : halves) {
      LocomoReport byDefault = runner.run(half, Map.of());
      if (setup == null) {
        setup = byDefault.setup();
      }
      defaults.add(byDefault.overall());
      List<Summary> points = new ArrayList<>();
      for (Map<String, String> point : grid) {
        points.add(runner.run(half, point).overall());
      }
      results.add(List.copyOf(points));
    }
    return new LocomoTuning(setup, List.copyOf(grid), List.copyOf(halves), List.copyOf(results),
        List.copyOf(defaults));
  }

  /**
   * One direction of the two folds.
   *
   * @param tuning the index of the half the point was chosen on
   * @param point the index of the chosen grid point
   */
  private record Direction(int tuning, int point) {
    int other() {
      return 1 - tuning;
    }
  }

  private List<Direction> directions() {
    return List.of(0, 1).stream()
        .map(half -> new Direction(half, choose(results.get(half)))).toList();
  }

  /** The chosen points' results on the halves they were not chosen on, pooled. */
  Summary twoFold() {
    List<Direction> directions = directions();
    return otherHalf(directions.get(0)).plus(otherHalf(directions.get(1)));
  }

  /** The engine default over both halves, pooled. */
  Summary byDefault() {
    return defaults.get(0).plus(defaults.get(1));
  }

  private Summary otherHalf(Direction direction) {
    return results.get(direction.other()).get(direction.point());
  }

  /** The two summary lines: the default's, then the two-fold result's. */
  List<String> summaryLines() {
    return List.of("default " + LocomoReport.summaryLine(byDefault()),
        "two-fold " + LocomoReport.summaryLine(twoFold()));
  }

  String markdown() {
    StringBuilder out = new StringBuilder("## LoCoMo two-fold tuning\n\n");
    setup.forEach((key, value) -> out.append("- ").append(key).append(": ").append(value)
        .append('\n'));
    out.append("- grid: ").append(grid.size()).append(" points over ")
        .append(grid.get(0).keySet()).append('\n');
    for (int half = 0; half < 2; half++) {
      out.append("- half ").append(HALF_NAMES.get(half)).append(": ")
          .append(halves.get(half).samples().size()).append(" conversations ")
          .append(halves.get(half).samples().stream().map(Sample::sampleId).toList())
          .append(", ").append(defaults.get(half).questions()).append(" scored questions\n");
    }
    out.append("\n| point | A R@5 | A R@10 | B R@5 | B R@10 |\n|---|---:|---:|---:|---:|\n");
    appendPoint(out, "engine default", defaults.get(0), defaults.get(1));
    for (int point = 0; point < grid.size(); point++) {
      appendPoint(out, grid.get(point).toString(), results.get(0).get(point),
          results.get(1).get(point));
    }
    out.append("\n| tuned on | chosen | tuning-half R@5 | tuning-half R@10 | other half |"
        + " other-half R@5 | other-half R@10 | default other-half R@5 |"
        + " default other-half R@10 |\n|---|---|---:|---:|---|---:|---:|---:|---:|\n");
    for (Direction direction : directions()) {
      Summary tuned = results.get(direction.tuning()).get(direction.point());
      Summary other = otherHalf(direction);
      Summary otherDefault = defaults.get(direction.other());
      out.append(String.format(Locale.ROOT,
          "| %s | %s | %.3f | %.3f | %s | %.3f | %.3f | %.3f | %.3f |%n",
          HALF_NAMES.get(direction.tuning()), grid.get(direction.point()),
          tuned.recall().get(5), tuned.recall().get(10), HALF_NAMES.get(direction.other()),
          other.recall().get(5), other.recall().get(10), otherDefault.recall().get(5),
          otherDefault.recall().get(10)));
    }
    out.append('\n');
    summaryLines().forEach(line -> out.append(line).append('\n'));
    return out.toString();
  }

  private static void appendPoint(StringBuilder out, String label, Summary a, Summary b) {
    out.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %.3f |%n", label,
        a.recall().get(5), a.recall().get(10), b.recall().get(5), b.recall().get(10)));
  }

  /** The setup, halves, every run's overall metrics, the choices and the pooled results. */
  Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("setup", setup);
    List<Object> halvesJson = new ArrayList<>();
    for (int half = 0; half < 2; half++) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("name", HALF_NAMES.get(half));
      entry.put("samples", halves.get(half).samples().stream().map(Sample::sampleId).toList());
      entry.put("default", json(defaults.get(half)));
      List<Object> points = new ArrayList<>();
      for (int point = 0; point < grid.size(); point++) {
        points.add(Map.of("point", grid.get(point), "metrics", json(results.get(half).get(point))));
      }
      entry.put("grid", points);
      halvesJson.add(entry);
    }
    json.put("halves", halvesJson);
    json.put("directions", directions().stream().map(direction -> {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("tuned_on", HALF_NAMES.get(direction.tuning()));
      entry.put("chosen", grid.get(direction.point()));
      entry.put("tuning_half", json(results.get(direction.tuning()).get(direction.point())));
      entry.put("other_half", json(otherHalf(direction)));
      entry.put("default_other_half", json(defaults.get(direction.other())));
      return entry;
    }).toList());
    json.put("default", json(byDefault()));
    json.put("two_fold", json(twoFold()));
    json.put("summary", summaryLines());
    return json;
  }

  private static Map<String, Object> json(Summary summary) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("questions", summary.questions());
    Map<String, Double> recall = new LinkedHashMap<>();
    LocomoBench.KS.forEach(k -> recall.put(String.valueOf(k), summary.recall().get(k)));
    json.put("recall", recall);
    json.put("mrr", summary.mrr());
    return json;
  }
}
