package io.inmemory.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inmemory.engine.index.VectorIndex;
import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

  @TempDir Path folder;

  @Test
  void writesMarkdownJsonAndChartsThatAgree() throws Exception {
    Report report = Report.of("index", "Vector index", new String[] {"--sizes", "10000"});
    report.note("Clustered vectors.");
    report.table("Latency", "size", "p50 ms", "recall@10")
        .row(10_000, 0.4567, 0.99)
        .row(100_000, 1234.5, 0.951);
    report.lines("latency", "Latency by size", "memories", "ms").logarithmic(true, true)
        .series("HNSW", new double[] {1e4, 1e5}, new double[] {0.45, 0.96});
    report.bars("speedup", "Speed-up", "size", "times").categories("10k", "100k")
        .series("vs exact", 2.5, 12);

    List<Path> files = report.write(folder);

    assertThat(files).extracting(path -> path.getFileName().toString()).containsExactly(
        "index.md", "index.json", "index-latency.png", "index-speedup.png");
    String markdown = Files.readString(folder.resolve("index.md"));
    // The build runs tests with --add-modules jdk.incubator.vector, which the command records.
    String jvmArguments = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .map(argument -> argument + " ").collect(Collectors.joining());
    assertThat(jvmArguments).contains("jdk.incubator.vector");
    assertThat(markdown)
        .contains("`java " + jvmArguments + "-jar bench/target/inmemory-bench.jar index"
            + " --sizes 10000`")
        .contains("dot products: " + VectorIndex.dotProduct())
        .contains("| 10,000 | 0.457 | 0.990 |")
        .contains("| 100,000 | 1,235 | 0.951 |")
        .contains("![Latency by size](index-latency.png)");
    JsonNode json = new ObjectMapper().readTree(folder.resolve("index.json").toFile());
    assertThat(json.at("/tables/0/rows/1/p50 ms").asDouble()).isEqualTo(1234.5);
    assertThat(json.at("/charts/1/series/vs exact/1").asDouble()).isEqualTo(12);
    assertThat(json.at("/environment/dot_product").asText()).startsWith("Vector API");
    assertThat(json.at("/environment/processors").asInt())
        .isEqualTo(Runtime.getRuntime().availableProcessors());
    BufferedImage png = ImageIO.read(folder.resolve("index-latency.png").toFile());
    assertThat(png.getWidth()).isEqualTo(900);
    assertThat(png.getHeight()).isEqualTo(560);
  }

  @Test
  void aChartOnItsOwnGoesToExactlyTheFileAsked() throws Exception {
    Path file = folder.resolve("recall.chart");
    Report.barChart("Recall", "run", "recall").categories("a/dense", "a/lexical")
        .series("recall@5", 0.5, 0.6).series("recall@10", 0.7, 0.8).save(file);
    BufferedImage png = ImageIO.read(file.toFile());
    assertThat(png.getWidth()).isEqualTo(900);
    assertThat(folder.resolve("recall.chart.png")).doesNotExist();
  }

  @Test
  void rejectsRowsAndSeriesThatDoNotFit() {
    Report report = Report.of("index", "Vector index", new String[0]);
    Report.Table table = report.table("t", "a", "b");
    assertThatThrownBy(() -> table.row(1)).hasMessageContaining("has 2 columns, the row has 1");
    Report.Plot bars = report.bars("b", "b", "x", "y").categories("one", "two");
    assertThatThrownBy(() -> bars.series("s", 1.0)).hasMessageContaining("one value per category");
    assertThatThrownBy(() -> report.lines("l", "l", "x", "y").series("s", new double[] {1},
        new double[0])).hasMessageContaining("as many x as y");
    assertThatThrownBy(() -> Report.of("Index!", "x", new String[0]))
        .hasMessageContaining("lower-case");
  }
}
