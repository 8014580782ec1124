package io.inmemory.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.inmemory.engine.index.VectorIndex;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The results of one benchmark run — notes, tables and charts — written into one folder as
 * {@code <name>.md} (also printed), {@code <name>.json} and one {@code <name>-<chart>.png} per
 * chart, so that every figure quoted elsewhere points at a file anyone can regenerate with the
 * command recorded in it. Numbers keep full precision in JSON and are rounded for reading in
 * Markdown.
 *
 * <p>Not thread-safe: a benchmark builds its report from one thread. Arguments are non-null.
 */
final class Report {
  /** Where reports go unless {@code --out} says otherwise: relative to the working directory. */
  static final String DEFAULT_FOLDER = "bench/results";

  private static final int WIDTH = 900;
  private static final int HEIGHT = 560;

  private final String name;
  private final String title;
  private final Map<String, Object> environment = new LinkedHashMap<>();
  private final List<Object> parts = new ArrayList<>();

  private Report(String name, String benchmark, String title, String[] args) {
    if (!name.matches("[a-z0-9-]+")) {
      throw new IllegalArgumentException("report name must be lower-case words and dashes: " + name);
    }
    this.name = name;
    this.title = Objects.requireNonNull(title, "title");
    List<String> jvmArgs = ManagementFactory.getRuntimeMXBean().getInputArguments();
    environment.put("command", "java " + (jvmArgs.isEmpty() ? "" : String.join(" ", jvmArgs) + " ")
        + "-jar bench/target/inmemory-bench.jar " + benchmark
        + (args.length == 0 ? "" : " " + String.join(" ", args)));
    environment.put("started", Instant.now().toString());
    environment.put("processors", Runtime.getRuntime().availableProcessors());
    environment.put("max_heap_mib", Runtime.getRuntime().maxMemory() >> 20);
    environment.put("jvm", System.getProperty("java.vm.name") + " " + Runtime.version());
    environment.put("jvm_args", jvmArgs);
    environment.put("dot_product", VectorIndex.dotProduct());
    environment.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
  }

  /**
   * A report named like the benchmark command ({@code index}, {@code server}, …) that records
   * {@code args} as the command that reproduces it.
   */
  static Report of(String name, String title, String[] args) {
    return new Report(name, name, title, args);
  }

  /**
   * A report of the benchmark command {@code benchmark} written under another {@code name}, for a
   * mode of one command whose results sit beside its default report ({@code index --jvms}).
   */
  static Report of(String name, String benchmark, String title, String[] args) {
    return new Report(name, benchmark, title, args);
  }

  /** Adds a paragraph of Markdown. */
  Report note(String markdown) {
    parts.add(new Note(markdown));
    return this;
  }

  /** Adds a table with these column headers; fill it with {@link Table#row}. */
  Table table(String caption, String... columns) {
    Table table = new Table(caption, List.of(columns));
    parts.add(table);
    return table;
  }

  /** Adds a line chart of numeric series over a numeric x axis. */
  Plot lines(String stem, String caption, String xTitle, String yTitle) {
    Plot plot = new Plot(stem, caption, xTitle, yTitle, false);
    parts.add(plot);
    return plot;
  }

  /** Adds a grouped bar chart: each series has one bar per category. */
  Plot bars(String stem, String caption, String xTitle, String yTitle) {
    Plot plot = new Plot(stem, caption, xTitle, yTitle, true);
    parts.add(plot);
    return plot;
  }

  /**
   * A grouped bar chart on its own, for a benchmark that draws one PNG where its user asks
   * ({@link Plot#save}) rather than a whole report.
   */
  static Plot barChart(String caption, String xTitle, String yTitle) {
    return new Plot("chart", caption, xTitle, yTitle, true);
  }

  /** The report as Markdown, charts linked by file name. */
  String markdown() {
    StringBuilder out = new StringBuilder("# ").append(title).append("\n\n");
    out.append("`").append(environment.get("command")).append("` — ")
        .append(environment.get("processors")).append(" processors, heap ")
        .append(environment.get("max_heap_mib")).append(" MiB, ").append(environment.get("jvm"))
        .append(", dot products: ").append(environment.get("dot_product"))
        .append(", ").append(environment.get("started")).append("\n\n");
    for (Object part : parts) {
      if (part instanceof Note note) {
        out.append(note.markdown()).append("\n\n");
      } else if (part instanceof Table table) {
        table.appendMarkdown(out);
      } else if (part instanceof Plot plot) {
        out.append("![").append(plot.caption).append("](").append(plot.fileName(name))
            .append(")\n\n");
      }
    }
    return out.toString();
  }

  /**
   * Prints the Markdown and writes the three kinds of file into {@code folder} (created if
   * needed), replacing an earlier run's files of the same name.
   *
   * @return the files written
   */
  List<Path> write(Path folder) {
    String markdown = markdown();
    System.out.println(markdown);
    List<Path> written = new ArrayList<>();
    try {
      Files.createDirectories(folder);
      written.add(Files.writeString(folder.resolve(name + ".md"), markdown));
      Path json = folder.resolve(name + ".json");
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), json());
      written.add(json);
      for (Object part : parts) {
        if (part instanceof Plot plot && !plot.series.isEmpty()) {
          written.add(plot.save(folder.resolve(plot.fileName(name))));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report into " + folder, e);
    }
    System.out.println("Report written: " + written);
    return written;
  }

  /** Writes into {@code --out}, or {@link #DEFAULT_FOLDER}. */
  List<Path> write(Options options) {
    return write(Path.of(options.get("out", DEFAULT_FOLDER)));
  }

  private Map<String, Object> json() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("benchmark", name);
    root.put("title", title);
    root.put("environment", environment);
    List<Object> notes = new ArrayList<>();
    List<Object> tables = new ArrayList<>();
    List<Object> charts = new ArrayList<>();
    for (Object part : parts) {
      if (part instanceof Note note) {
        notes.add(note.markdown());
      } else if (part instanceof Table table) {
        tables.add(table.json());
      } else if (part instanceof Plot plot) {
        charts.add(plot.json(name));
      }
    }
    root.put("notes", notes);
    root.put("tables", tables);
    root.put("charts", charts);
    return root;
  }

  /** Rounds for reading: whole numbers with separators from 100 on, else three decimals. */
  static String format(Object cell) {
    if (cell instanceof Double || cell instanceof Float) {
      double value = ((Number) cell).doubleValue();
      if (Double.isNaN(value)) {
        return "—";
      }
      return Math.abs(value) >= 100 ? String.format(Locale.ROOT, "%,.0f", value)
          : Math.abs(value) >= 10 ? String.format(Locale.ROOT, "%.1f", value)
          : String.format(Locale.ROOT, "%.3f", value);
    }
    if (cell instanceof Long || cell instanceof Integer) {
      return String.format(Locale.ROOT, "%,d", ((Number) cell).longValue());
    }
    return String.valueOf(cell);
  }

  private record Note(String markdown) {}

  /** A table of the report; cells are numbers (kept exact in JSON) or text. */
  static final class Table {
    private final String caption;
    private final List<String> columns;
    private final List<List<Object>> rows = new ArrayList<>();

    private Table(String caption, List<String> columns) {
      if (columns.isEmpty()) {
        throw new IllegalArgumentException("a table needs columns");
      }
      this.caption = caption;
      this.columns = columns;
    }

    /** Adds a row with one cell per column. */
    Table row(Object... cells) {
      if (cells.length != columns.size()) {
        throw new IllegalArgumentException("table '" + caption + "' has " + columns.size()
            + " columns, the row has " + cells.length + ": " + Arrays.toString(cells));
      }
      rows.add(List.of(cells));
      return this;
    }

    private void appendMarkdown(StringBuilder out) {
      out.append("**").append(caption).append("**\n\n| ").append(String.join(" | ", columns))
          .append(" |\n|");
      for (int i = 0; i < columns.size(); i++) {
        out.append(i == 0 ? "---|" : "---:|");
      }
      out.append('\n');
      for (List<Object> row : rows) {
        out.append("| ");
        for (int i = 0; i < row.size(); i++) {
          out.append(i == 0 ? "" : " | ").append(format(row.get(i)));
        }
        out.append(" |\n");
      }
      out.append('\n');
    }

    private Map<String, Object> json() {
      List<Map<String, Object>> objects = new ArrayList<>();
      for (List<Object> row : rows) {
        Map<String, Object> object = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
          object.put(columns.get(i), row.get(i));
        }
        objects.add(object);
      }
      return Map.of("caption", caption, "rows", objects);
    }
  }

  /** A chart of the report: named series of (x, y) points, or of bars per category. */
  static final class Plot {
    /** Category labels longer than this are drawn slanted. */
    private static final int LONG_LABEL = 14;
    private final String stem;
    private final String caption;
    private final String xTitle;
    private final String yTitle;
    private final boolean bars;
    private final Map<String, double[][]> series = new LinkedHashMap<>();
    private List<String> categories = List.of();
    private boolean logX;
    private boolean logY;

    private Plot(String stem, String caption, String xTitle, String yTitle, boolean bars) {
      if (!stem.matches("[a-z0-9-]+")) {
        throw new IllegalArgumentException("chart name must be lower-case words and dashes: " + stem);
      }
      this.stem = stem;
      this.caption = caption;
      this.xTitle = xTitle;
      this.yTitle = yTitle;
      this.bars = bars;
    }

    /** Logarithmic axes, for sizes and latencies spanning decades. */
    Plot logarithmic(boolean x, boolean y) {
      this.logX = x;
      this.logY = y;
      return this;
    }

    /** A line series; x and y have the same length. */
    Plot series(String label, double[] x, double[] y) {
      if (bars) {
        throw new IllegalStateException("a bar chart takes series(label, values) per category");
      }
      if (x.length != y.length || x.length == 0) {
        throw new IllegalArgumentException("series '" + label + "' needs as many x as y values,"
            + " at least one: " + x.length + " vs " + y.length);
      }
      series.put(label, new double[][] {x.clone(), y.clone()});
      return this;
    }

    /** The categories of a bar chart, in order; set before its series. */
    Plot categories(String... names) {
      this.categories = List.of(names);
      return this;
    }

    /** A bar series: one value per category. */
    Plot series(String label, double... values) {
      if (!bars || values.length != categories.size()) {
        throw new IllegalArgumentException("series '" + label + "' needs one value per category "
            + categories + " of a bar chart, got " + values.length);
      }
      series.put(label, new double[][] {values.clone()});
      return this;
    }

    /**
     * Draws the chart into exactly this file (no extension added), replacing it.
     *
     * @return the file
     * @throws IOException when it cannot be written
     */
    Path save(Path png) throws IOException {
      try (OutputStream out = Files.newOutputStream(png)) {
        BitmapEncoder.saveBitmap(render(), out, BitmapEncoder.BitmapFormat.PNG);
      }
      return png;
    }

    private String fileName(String report) {
      return report + "-" + stem + ".png";
    }

    private Chart<?, ?> render() {
      if (bars) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
            .title(caption).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setYAxisLogarithmic(logY);
        if (categories.stream().anyMatch(category -> category.length() > LONG_LABEL)) {
          // side by side, long labels run into each other
          chart.getStyler().setXAxisLabelRotation(20);
        }
        series.forEach((label, values) -> chart.addSeries(label, categories,
            Arrays.stream(values[0]).boxed().toList()));
        return chart;
      }
      XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
          .title(caption).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
      chart.getStyler().setXAxisLogarithmic(logX).setYAxisLogarithmic(logY);
      series.forEach((label, points) ->
          chart.addSeries(label, points[0], points[1]).setMarker(SeriesMarkers.CIRCLE));
      return chart;
    }

    private Map<String, Object> json(String report) {
      Map<String, Object> object = new LinkedHashMap<>();
      object.put("file", fileName(report));
      object.put("caption", caption);
      object.put("x", xTitle);
      object.put("y", yTitle);
      if (bars) {
        object.put("categories", categories);
      }
      Map<String, Object> data = new LinkedHashMap<>();
      series.forEach((label, points) -> data.put(label, bars ? points[0] : points));
      object.put("series", data);
      return object;
    }
  }
}
