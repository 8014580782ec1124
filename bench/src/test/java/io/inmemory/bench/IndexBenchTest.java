package io.inmemory.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.bench.IndexBench.Check;
import io.inmemory.bench.IndexBench.Row;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inmemory.engine.index.IndexSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexBenchTest {

  @Test
  void recallIsTheShareOfTheTrueNeighboursFound() {
    assertThat(IndexBench.recall(Set.of("a", "b", "c", "d"), List.of("a", "x", "c"))).isEqualTo(0.5);
    assertThat(IndexBench.recall(Set.of(), List.of("a"))).isEqualTo(1);
  }

  @Test
  void rowMedianTakesEachFigureSeparately() {
    Row median = Row.median(List.of(
        row("clustered", 100_000, "InMemory", 1, 9, 0.5, 0.95),
        row("clustered", 100_000, "InMemory", 3, 1, 0.7, 0.97),
        row("clustered", 100_000, "InMemory", 2, 5, 0.9, 0.96)));

    assertThat(median.insertRate()).isEqualTo(2);
    assertThat(median.p50()).isEqualTo(5);
    assertThat(median.p99()).isEqualTo(0.7);
    assertThat(median.recall()).isEqualTo(0.96);
  }

  @Test
  void othersAnswerFewerQueriesAbove100k() {
    assertThat(IndexBench.othersQueries(200, 10_000, 500)).isEqualTo(200);
    assertThat(IndexBench.othersQueries(200, 100_000, 500)).isEqualTo(200);
    assertThat(IndexBench.othersQueries(200, 1_000_000, 500)).isEqualTo(20);
    assertThat(IndexBench.othersQueries(200, 10_000_000, 500)).isEqualTo(20);
    assertThat(IndexBench.othersQueries(200, 10_000, 50)).isEqualTo(50);
  }

  @Test
  void checksTheTargetsAt100kAnd1mButNotOnUniformVectors() {
    List<Row> rows = List.of(
        row("real", 100_000, "InMemory", 3_000, 0.8, 2, 0.96),
        row("real", 100_000, LangChain4jPeer.NAME, 1e6, 20, 30, 1),
        row("clustered", 1_000_000, "InMemory", 2_000, 3.5, 9, 0.99),
        row("uniform", 100_000, "InMemory", 10, 50, 90, 0.1));

    List<Check> checks = IndexBench.checks(rows);

    assertThat(checks).extracting(Check::target, Check::dataset, Check::pass).containsExactly(
        org.assertj.core.groups.Tuple.tuple("100k: search p50 ms", "real", true),
        org.assertj.core.groups.Tuple.tuple("100k: recall@10", "real", true),
        org.assertj.core.groups.Tuple.tuple("100k: inserts/s (1 thread)", "real", true),
        org.assertj.core.groups.Tuple.tuple(
            "100k: p50 speed-up vs LangChain4j, recall@10 >= 0.95", "real", true),
        org.assertj.core.groups.Tuple.tuple("1M: search p50 ms", "clustered", false),
        org.assertj.core.groups.Tuple.tuple("1M: recall@10", "clustered", true),
        org.assertj.core.groups.Tuple.tuple("1M: heap bytes per vector", "clustered", true));
    assertThat(checks.get(3).measured()).isEqualTo(25);
  }

  @Test
  void speedUpMissesWhenRecallIsTooLow() {
    List<Row> rows = List.of(
        row("real", 100_000, "InMemory", 3_000, 0.1, 1, 0.9),
        row("real", 100_000, LangChain4jPeer.NAME, 1e6, 20, 30, 1));

    assertThat(IndexBench.checks(rows))
        .filteredOn(c -> c.target().contains("speed-up")).singleElement()
        .satisfies(c -> assertThat(c.pass()).isFalse());
  }

  @Test
  void everySystemIsMeasuredInAChildJvmOnTheSameVectors(@TempDir Path folder) throws Exception {
    IndexBench.main(new String[] {"--datasets", "clustered", "--sizes", "5000", "--dim", "32",
        "--runs", "1", "--queries", "30", "--peer-queries", "30", "--inserts", "10",
        "--filtered-size", "0", "--mem0-sizes", "0", "--out", folder.toString()});

    JsonNode rows = new ObjectMapper().readTree(folder.resolve("index.json").toFile())
        .at("/tables/0/rows");
    assertThat(rows).extracting(row -> row.get("system").asText())
        .containsExactly(IndexBench.OURS, ExactScan.NAME, LangChain4jPeer.NAME);
    for (JsonNode row : rows) {
      assertThat(row.get("size").asInt()).isEqualTo(5000);
      assertThat(row.get("queries").asInt()).isEqualTo(30);
      assertThat(row.get("p50 ms").asDouble()).isPositive();
      // The children found the parent's exact top 10, so they searched the same vectors.
      assertThat(row.get("recall@10").asDouble()).as(row.get("system").asText())
          .isGreaterThanOrEqualTo(row.get("system").asText().equals(IndexBench.OURS) ? 0.9 : 1);
    }
    JsonNode runs = new ObjectMapper().readTree(folder.resolve("index.json").toFile())
        .at("/tables/3");
    assertThat(runs.get("caption").asText()).startsWith("Runs behind the medians");
    assertThat(runs.get("rows")).filteredOn(row -> row.get("figure").asText()
        .equals("search p50 ms")).extracting(row -> row.get("system").asText())
        .containsExactly(IndexBench.OURS, ExactScan.NAME, LangChain4jPeer.NAME);
  }

  @Test
  void jvmsModeMeasuresOursAloneOnceInEachFreshJvm(@TempDir Path folder) throws Exception {
    IndexBench.main(new String[] {"--jvms", "2", "--datasets", "clustered", "--sizes", "5000",
        "--dim", "32", "--queries", "30", "--inserts", "10", "--out", folder.toString()});

    JsonNode report = new ObjectMapper().readTree(folder.resolve("index-jvms.json").toFile());
    assertThat(report.at("/environment/command").asText())
        .contains("inmemory-bench.jar index --jvms 2");
    JsonNode perJvm = report.at("/tables/0/rows");
    assertThat(perJvm).extracting(row -> row.get("JVM").asInt()).containsExactly(1, 2);
    for (JsonNode row : perJvm) {
      assertThat(row.get("size").asInt()).isEqualTo(5000);
      assertThat(row.get("p50 ms").asDouble()).isPositive();
      assertThat(row.get("recall@10").asDouble()).isGreaterThanOrEqualTo(0.9);
      // Every search allocates its results at least.
      assertThat(row.get("bytes allocated per search").asDouble()).isPositive();
    }
    JsonNode spreads = report.at("/tables/1/rows");
    assertThat(spreads).extracting(row -> row.get("figure").asText()).containsExactly(
        "search p50 ms", "search p99 ms", "inserts/s (1 thread)", "bytes allocated per search");
    assertThat(spreads.get(0).get("runs (fresh JVMs, in order)").asText().split(", "))
        .hasSize(2);
    assertThat(folder.resolve("index-jvms-jvms.png")).isNotEmptyFile();
  }

  @Test
  void distributionTargetsNeedTenJvmsNineFastAndNoneSlow() {
    List<Row> nineFast = jvms(0.5, 0.5, 0.5, 0.5, 0.5, 0.6, 0.6, 0.6, 0.65, 1.1);
    assertThat(IndexBench.distributionChecks(nineFast)).extracting(Check::pass)
        .containsExactly(true, true, true);
    assertThat(IndexBench.distributionChecks(nineFast).get(0).measured()).isEqualTo(9);

    List<Row> eightFast = jvms(0.5, 0.5, 0.5, 0.5, 0.5, 0.6, 0.6, 0.6, 0.9, 1.1);
    assertThat(IndexBench.distributionChecks(eightFast)).extracting(Check::pass)
        .containsExactly(false, true, true);

    List<Row> oneSlow = jvms(0.5, 0.5, 0.5, 0.5, 0.5, 0.6, 0.6, 0.6, 0.6, 2.4);
    assertThat(IndexBench.distributionChecks(oneSlow)).extracting(Check::pass)
        .containsExactly(true, false, true);

    List<Row> tooFew = jvms(0.5, 0.5, 0.5);
    assertThat(IndexBench.distributionChecks(tooFew)).extracting(Check::pass)
        .containsOnly(false);
    assertThat(IndexBench.distributionChecks(List.of(
        row("clustered", 10_000, IndexBench.OURS, 3_000, 0.2, 1, 1)))).isEmpty();
  }

  @Test
  void oneSlowInsertRateMissesTheDistributionTarget() {
    List<Row> runs = new java.util.ArrayList<>(jvms(0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5));
    runs.add(row("clustered", 100_000, IndexBench.OURS, 650, 0.5, 1, 0.97));
    assertThat(IndexBench.distributionChecks(runs)).extracting(Check::pass)
        .containsExactly(true, true, false);
    assertThat(IndexBench.distributionChecks(runs).get(2).measured()).isEqualTo(650);
  }

  private static List<Row> jvms(double... p50s) {
    return java.util.Arrays.stream(p50s)
        .mapToObj(p50 -> row("clustered", 100_000, IndexBench.OURS, 1_100, p50, 1, 0.97))
        .toList();
  }

  @Test
  void oursFindsTheSameNeighboursAsTheExactScanOnClusteredVectors() {
    Vectors generator = new Vectors(16, 10, 0.75, new Random(6));
    float[][] vectors = generator.next(300);
    List<String> ids = java.util.stream.IntStream.range(0, 300).mapToObj(IndexBench::id).toList();
    Peer ours = IndexBench.peers(16, IndexSettings.defaults()).get(IndexBench.OURS).get();
    ours.addAll(ids, List.of(vectors));
    float[] query = generator.next();

    List<String> expected = java.util.Arrays.stream(ExactScan.topK(vectors, 300, query, 10))
        .mapToObj(IndexBench::id).toList();
    assertThat(ours.name()).isEqualTo(IndexBench.OURS);
    assertThat(ours.search(query, 10)).isEqualTo(expected);
  }

  @Test
  void langChain4jFindsTheExactNeighbours() {
    Vectors generator = new Vectors(16, 10, 0.75, new Random(7));
    float[][] vectors = generator.next(200);
    List<String> ids = java.util.stream.IntStream.range(0, 200).mapToObj(IndexBench::id).toList();
    Peer peer = new LangChain4jPeer();
    peer.addAll(ids, List.of(vectors));
    float[] query = generator.next();

    List<String> expected = java.util.Arrays.stream(ExactScan.topK(vectors, 200, query, 10))
        .mapToObj(IndexBench::id).toList();
    assertThat(peer.search(query, 10)).isEqualTo(expected);
  }

  private static Row row(String dataset, int size, String system, double insertRate, double p50,
      double p99, double recall) {
    return new Row(dataset, size, system, 1, insertRate, p50, p99, recall, 2_000, 100, 5_000);
  }
}
