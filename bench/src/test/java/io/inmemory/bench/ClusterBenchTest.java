package io.inmemory.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inmemory.bench.StalenessProbe.Change;
import io.inmemory.bench.StalenessProbe.Sample;
import io.inmemory.bench.StalenessProbe.Summary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterBenchTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void changesNotSeenAreCountedNeverTurnedIntoFigures() {
    List<Sample> samples = List.of(
        new Sample(Change.ADD, 0, 1, true, 30_000_000, 4, 2_000_000),
        new Sample(Change.ADD, 1, 0, true, 10_000_000, 1, 4_000_000),
        new Sample(Change.ADD, 0, 1, false, 10_000_000_000L, 900, 3_000_000),
        new Sample(Change.DELETE, 0, 1, false, 10_000_000_000L, 900, 3_000_000));

    Summary add = Summary.of(Change.ADD, samples);
    Summary delete = Summary.of(Change.DELETE, samples);

    assertThat(add.probes()).isEqualTo(3);
    assertThat(add.notSeen()).isEqualTo(1);
    // the seen ones only: 10 and 30 ms, not the timeout
    assertThat(add.p50Millis()).isEqualTo(10);
    assertThat(add.maxMillis()).isEqualTo(30);
    assertThat(add.pollsBeforeSeen()).isEqualTo(1.5);
    assertThat(add.resolutionMillis()).isCloseTo(5 + 3, within(1e-9));
    assertThat(delete.probes()).isEqualTo(1);
    assertThat(delete.notSeen()).isEqualTo(1);
    assertThat(List.of(delete.p50Millis(), delete.p99Millis(), delete.maxMillis(),
        delete.pollsBeforeSeen(), delete.resolutionMillis())).allMatch(d -> d.isNaN());
  }

  @Test
  void anAddShowsWhenTheMemoryIsTheTopHitADeleteWhenItIsInNoHit() throws Exception {
    JsonNode first = JSON.readTree("[{\"memory\":{\"id\":\"m1\"}},{\"memory\":{\"id\":\"m2\"}}]");
    JsonNode none = JSON.readTree("[]");

    assertThat(StalenessProbe.shows(Change.ADD, first, "m1")).isTrue();
    assertThat(StalenessProbe.shows(Change.ADD, first, "m2")).as("second is not top").isFalse();
    assertThat(StalenessProbe.shows(Change.ADD, none, "m1")).isFalse();
    assertThat(StalenessProbe.shows(Change.DELETE, first, "m2")).isFalse();
    assertThat(StalenessProbe.shows(Change.DELETE, first, "m3")).isTrue();
    assertThat(StalenessProbe.shows(Change.DELETE, none, "m1")).isTrue();
  }

  /**
   * One and two replicas on the stand-in. Deletes are kept to seeded memories
   * ({@code --min-age-ms} beyond the run), so every check holds per replica whether or not the
   * replicas see each other's writes; cross-replica figures (staleness between replicas, counts
   * on every replica) are reported, not asserted, except with one replica, where they are
   * read-your-writes.
   */
  @Test
  void clusterRunsReplicasOnOneStandInAndReportsEveryRow(@TempDir Path folder)
      throws Exception {
    Path out = folder.resolve("out");
    String[] args = {"--replicas", "1,2", "--seconds", "2", "--runs", "1", "--seed", "60",
        "--users", "3", "--connections", "2", "--search-rate", "10", "--add-rate", "4",
        "--update-rate", "2", "--delete-rate", "2", "--warm-up-seconds", "0",
        "--idle-seconds", "0.5", "--idle-probes", "1", "--probe-timeout-seconds", "1",
        "--bound-ms", "200", "--min-age-ms", "600000", "--cross-replica", "report",
        "--replica-heap", "256m", "--out", out.toString()};

    ClusterBench.main(args);

    JsonNode report = JSON.readTree(out.resolve("cluster.json").toFile());
    assertThat(report.at("/environment/command").asText())
        .endsWith("cluster " + String.join(" ", args));
    assertThat(out.resolve("cluster.md")).content().contains("What 2 shared cores say");

    JsonNode requests = table(report, "Requests through the balancer");
    List<String> cells = new ArrayList<>();
    for (JsonNode row : requests) {
      cells.add(row.get("replicas").asInt() + " " + row.get("operation").asText() + " "
          + row.get("loop").asText());
      assertThat(row.get("requests").asLong()).as(row.toString()).isPositive();
      assertThat(row.get("errors").asLong()).as(row.toString()).isZero();
    }
    List<String> expected = new ArrayList<>();
    for (int n : new int[] {1, 2}) {
      expected.addAll(List.of(n + " search closed", n + " add closed", n + " search fixed rate",
          n + " add fixed rate", n + " update fixed rate", n + " delete fixed rate"));
    }
    assertThat(cells).containsExactlyElementsOf(expected);

    JsonNode staleness = table(report, "Staleness");
    assertThat(staleness).hasSize(2 * 2 * 2);
    for (JsonNode row : staleness) {
      if (row.get("replicas").asInt() == 1) {
        // one replica reads its own writes: the first search shows every change
        assertThat(row.get("probes").asInt()).as(row.toString()).isPositive();
        assertThat(row.get("not seen within 1000 ms").asInt()).as(row.toString()).isZero();
        assertThat(row.get("searches before seen").asDouble()).as(row.toString()).isZero();
        assertThat(row.get("resolution ms").asDouble()).isGreaterThan(5);
      } else if (row.get("change").asText().equals("add")) {
        assertThat(row.get("probes").asInt()).as(row.toString()).isPositive();
      }
    }

    JsonNode replicas = table(report, "Per replica");
    assertThat(replicas).extracting(r -> r.get("replicas").asInt() + "/" + r.get("replica")
        .asInt()).containsExactly("1/1", "2/1", "2/2");
    for (JsonNode row : replicas) {
      assertThat(row.get("heap at end MiB").asDouble()).as(row.toString()).isPositive();
      assertThat(row.get("requests").asLong()).as(row.toString()).isPositive();
      assertThat(row.get("CPU ms per request").asDouble()).as(row.toString()).isPositive();
      assertThat(row.get("partitions held").asText()).contains("partitions");
    }
    assertThat(table(report, "Cost per request")).hasSize(2).allSatisfy(row ->
        assertThat(row.get("replicas CPU ms per request").asDouble()).isPositive());
    JsonNode counts = table(report, "Each user's memory count");
    assertThat(counts).hasSize(3);
    assertThat(counts.get(0).get("users matching").asInt()).as("one replica").isEqualTo(3);
    assertThat(table(report, "Checks")).filteredOn(row -> row.get("check").asText()
        .startsWith("errors")).hasSize(2).allSatisfy(row ->
        assertThat(row.get("measured").asLong()).isZero());
  }

  private static JsonNode table(JsonNode report, String captionStart) {
    for (JsonNode table : report.get("tables")) {
      if (table.get("caption").asText().startsWith(captionStart)) {
        return table.get("rows");
      }
    }
    throw new AssertionError("no table " + captionStart);
  }
}
