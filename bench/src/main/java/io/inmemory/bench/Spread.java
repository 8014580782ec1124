package io.inmemory.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.DoubleStream;
import java.util.stream.IntStream;

/**
 * One figure measured once per run, each run in a fresh JVM: every run's value in run order,
 * their min / median / max, and the runs a factor of two or more away from the median. A JVM whose
 * JIT compiled the hot code another way lands in another mode, several times slower, which a
 * median of three hides and noise rarely mimics; such runs are flagged, never dropped. Immutable.
 *
 * @param values the runs' values in run order, at least one, none NaN
 */
record Spread(List<Double> values) {
  /** How far from the median, as a factor either way, a run is flagged. */
  static final double FLAG_FACTOR = 2;

  Spread {
    values = List.copyOf(values);
    if (values.isEmpty() || values.stream().anyMatch(value -> value.isNaN())) {
      throw new IllegalArgumentException("a spread needs at least one run and no NaN: " + values);
    }
  }

  static Spread of(double... values) {
    return new Spread(Arrays.stream(values).boxed().toList());
  }

  double min() {
    return array().min().orElseThrow();
  }

  double median() {
    return Stats.median(array().toArray());
  }

  double max() {
    return array().max().orElseThrow();
  }

  private DoubleStream array() {
    return values.stream().mapToDouble(Double::doubleValue);
  }

  /**
   * The runs, numbered from 1, more than {@link #FLAG_FACTOR} times the median or less than the
   * median divided by it: latencies that jumped, rates that fell.
   */
  List<Integer> flagged() {
    double median = median();
    return IntStream.range(0, values.size())
        .filter(i -> values.get(i) > FLAG_FACTOR * median || values.get(i) * FLAG_FACTOR < median)
        .mapToObj(i -> i + 1).toList();
  }

  /** How many runs are at most {@code limit}. */
  long atMost(double limit) {
    return array().filter(value -> value <= limit).count();
  }

  /** How many runs are at least {@code limit}. */
  long atLeast(double limit) {
    return array().filter(value -> value >= limit).count();
  }

  /** Every run in order, rounded for reading, flagged runs in bold: {@code 0.53, **2.01**}. */
  String runs() {
    List<Integer> flagged = flagged();
    List<String> cells = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      String cell = Report.format(values.get(i));
      cells.add(flagged.contains(i + 1) ? "**" + cell + "**" : cell);
    }
    return String.join(", ", cells);
  }

  /**
   * Adds a table of spreads to {@code report}: the {@code labels} columns, then every run, min,
   * median, max and the flagged runs' numbers; fill it with {@link #row}.
   */
  static Report.Table table(Report report, String caption, String... labels) {
    List<String> columns = new ArrayList<>(List.of(labels));
    columns.addAll(List.of("runs (fresh JVMs, in order)", "min", "median", "max",
        "beyond 2× median"));
    return report.table(caption, columns.toArray(String[]::new));
  }

  /** Adds this spread to a {@link #table} after its label cells. */
  void row(Report.Table table, Object... labels) {
    List<Object> cells = new ArrayList<>(List.of(labels));
    List<Integer> flagged = flagged();
    cells.addAll(List.of(runs(), min(), median(), max(), flagged.isEmpty() ? "none"
        : "run " + flagged.stream().map(String::valueOf).collect(Collectors.joining(", "))));
    table.row(cells.toArray());
  }
}
