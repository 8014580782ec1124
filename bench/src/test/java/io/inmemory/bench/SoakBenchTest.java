package io.inmemory.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inmemory.bench.SoakBench.Check;
import io.inmemory.bench.SoakBench.Fit;
import io.inmemory.bench.SoakBench.Minute;
import io.inmemory.bench.SoakWorkload.Operation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SoakBenchTest {
  private static final double MIB = 1 << 20;

  @Test
  void fitFindsTheSlopeAndItsStandardError() {
    // x̄ 1.5, ȳ 1, Sxx 5, Sxy 3; residuals -0.1, 0.3, -0.3, 0.1: SE = sqrt(0.2 / 2 / 5)
    Fit fit = Fit.of(new double[] {0, 1, 2, 3}, new double[] {0, 1, 1, 2});

    assertThat(fit.slope()).isCloseTo(0.6, within(1e-12));
    assertThat(fit.standardError()).isCloseTo(Math.sqrt(0.02), within(1e-12));
    assertThat(fit.grows(0.5)).isTrue();
    assertThat(fit.grows(0.7)).isFalse();
    assertThat(new Fit(0.6, 0.31).grows(0.5)).as("within two standard errors of 0").isFalse();
    assertThat(Fit.of(new double[] {0, 2}, new double[] {1, 2}))
        .isEqualTo(new Fit(0.5, Double.NaN));
    assertThatThrownBy(() -> Fit.of(new double[] {1, 1}, new double[] {1, 2}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void heapThatTheMemoriesHeldExplainIsNotGrowthButALeakIs() {
    // 100 memories more each minute at 20,000 bytes each: 1.9 MiB/min that is data
    List<Minute> flat = minutes(0, 20_000, 10, 10, 0);
    List<Minute> leaking = minutes(1, 20_000, 10, 10, 0);

    Map<String, Check> steady = byName(SoakBench.checks(flat, 20_000, 0.25, 2, 0));
    Map<String, Check> leak = byName(SoakBench.checks(leaking, 20_000, 0.25, 2, 0));

    assertThat(steady.get("heap after GC").measured().doubleValue())
        .isCloseTo(100 * 20_000 / MIB, within(1e-9));
    assertThat(steady.get("heap the data").measured().doubleValue()).isCloseTo(0, within(1e-9));
    assertThat(steady.get("heap the data").met()).isTrue();
    assertThat(leak.get("heap the data").measured().doubleValue()).isCloseTo(1, within(1e-9));
    assertThat(leak.get("heap the data").met()).isFalse();
    // 1 MiB/min over 60 updates and 60 deletes a minute
    assertThat(leak.get("the same per update").measured().doubleValue())
        .isCloseTo(MIB / 120, within(1e-6));
    // without the cost of a memory, all growth is unexplained
    assertThat(byName(SoakBench.checks(flat, Double.NaN, 0.25, 2, 0)).get("heap the data").met())
        .isFalse();
  }

  @Test
  void p99MustStayWithinItsRatioAndAnyErrorFails() {
    Map<String, Check> calm = byName(SoakBench.checks(minutes(0, 1_000, 10, 19, 0), 1_000, 1, 2,
        0));
    Map<String, Check> jumpy = byName(SoakBench.checks(minutes(0, 1_000, 10, 21, 1), 1_000, 1, 2,
        2));

    assertThat(calm.get("p99 of search").measured().doubleValue()).isCloseTo(1.9, within(1e-9));
    assertThat(calm.get("p99 of search").met()).isTrue();
    assertThat(calm.get("errors").met()).isTrue();
    assertThat(jumpy.get("p99 of search").met()).isFalse();
    // one error in each of the four operations' last window, plus two outside the windows
    assertThat(jumpy.get("errors").measured()).isEqualTo(6L);
    assertThat(jumpy.get("errors").met()).isFalse();
  }

  @Test
  void growthListsTheClassesThatGrewMostNewOnesIncluded() {
    Map<String, long[]> before = Map.of("[B", new long[] {10, 1_000}, "Gone", new long[] {1, 50},
        "Shrank", new long[] {5, 500}, "Same", new long[] {2, 64});
    Map<String, long[]> after = Map.of("[B", new long[] {30, 3_000}, "Shrank", new long[] {1, 100},
        "Same", new long[] {2, 64}, "New", new long[] {4, 400}, "Tiny", new long[] {1, 16});

    assertThat(SoakBench.growth(before, after, 2)).containsExactly(
        new SoakBench.Growth("[B", 10, 30, 1_000, 3_000),
        new SoakBench.Growth("New", 0, 4, 0, 400));
    assertThat(SoakBench.growth(before, after, 10)).extracting(SoakBench.Growth::type)
        .containsExactly("[B", "New", "Tiny");
  }

  @Test
  void soakRunsTheServerInAChildJvmAndWritesItsReport(@TempDir Path folder) throws Exception {
    Path out = folder.resolve("out");
    Path stores = Files.createDirectories(folder.resolve("stores"));

    SoakBench.main(new String[] {"--minutes", "0.05", "--window-seconds", "1", "--seed", "120",
        "--users", "3", "--warm-queries", "10", "--warm-up-seconds", "1", "--connections", "2",
        "--search-rate", "10", "--add-rate", "3", "--update-rate", "2", "--delete-rate", "2",
        "--dir", stores.toString(), "--out", out.toString()});

    assertThat(out.resolve("soak.md")).content().contains("Trend check");
    for (String chart : List.of("heap", "p99", "throughput")) {
      assertThat(out.resolve("soak-" + chart + ".png")).isNotEmptyFile();
    }
    JsonNode report = new ObjectMapper().readTree(out.resolve("soak.json").toFile());
    assertThat(report.at("/environment/command").asText())
        .endsWith("soak --minutes 0.05 --window-seconds 1 --seed 120 --users 3 --warm-queries 10"
            + " --warm-up-seconds 1 --connections 2 --search-rate 10 --add-rate 3 --update-rate 2"
            + " --delete-rate 2 --dir " + stores + " --out " + out);
    JsonNode seeding = table(report, "Seeding").get(0);
    assertThat(seeding.get("memories").asInt()).isEqualTo(120);
    assertThat(seeding.get("heap bytes per memory").asDouble()).isPositive();
    JsonNode server = table(report, "Server per minute");
    assertThat(server).hasSize(3);
    long held = seeding.get("memories").asLong();
    for (JsonNode minute : server) {
      assertThat(minute.get("heap after GC MiB").asDouble()).isPositive();
      assertThat(minute.get("threads").asInt()).isPositive();
      // adds outpace deletes
      assertThat(minute.get("memories").asLong()).isGreaterThan(held);
      held = minute.get("memories").asLong();
    }
    JsonNode requests = table(report, "Requests per minute");
    assertThat(requests).hasSize(3 * 4);
    for (JsonNode row : requests) {
      assertThat(row.get("requests").asLong()).as(row.toString()).isPositive();
      assertThat(row.get("errors").asLong()).isZero();
    }
    // memories were added, so some classes hold more live bytes
    assertThat(table(report, "What grew")).isNotEmpty().allSatisfy(row ->
        assertThat(row.get("change KiB").asDouble()).isPositive());
    assertThat(table(report, "Trend check")).anySatisfy(row -> {
      assertThat(row.get("check").asText()).isEqualTo("errors");
      assertThat(row.get("met").asText()).isEqualTo("yes");
    });
    // the server's store was in a temporary folder, deleted when the server stopped
    try (Stream<Path> left = Files.list(stores)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void rejectsASoakWithoutATrendOrThatWouldRunOutOfMemoriesToDelete() {
    assertThatThrownBy(() -> SoakBench.main(new String[] {"--minutes", "1",
        "--window-seconds", "30"}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("three");
    assertThatThrownBy(() -> SoakBench.main(new String[] {"--add-rate", "1",
        "--delete-rate", "2"}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--delete-rate");
  }

  private static JsonNode table(JsonNode report, String captionStart) {
    for (JsonNode table : report.get("tables")) {
      if (table.get("caption").asText().startsWith(captionStart)) {
        return table.get("rows");
      }
    }
    throw new AssertionError("no table " + captionStart);
  }

  private static Map<String, Check> byName(List<Check> checks) {
    return Map.of(
        "heap after GC", find(checks, "heap after GC"),
        "heap the data", find(checks, "heap the data"),
        "the same per update", find(checks, "the same per update"),
        "p99 of search", find(checks, "p99 of search"),
        "errors", find(checks, "errors"));
  }

  private static Check find(List<Check> checks, String start) {
    return checks.stream().filter(c -> c.check().startsWith(start)).findFirst().orElseThrow();
  }

  /**
   * Ten one-minute windows: 100 memories more each minute, heap = 50 MiB + memories × {@code
   * bytesPerMemory} + {@code leakMiB} per minute; every operation at one request a second, all
   * at 1 ms except search's p99, 1 ms and {@code worstP99} tenths of a ms in minute 5; {@code
   * lastErrors} errors per operation in the last minute.
   */
  private static List<Minute> minutes(double leakMiB, double bytesPerMemory, int count,
      int worstP99Tenths, long lastErrors) {
    List<Minute> minutes = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      long held = 1_000 + 100L * i;
      long heap = Math.round(50 * MIB + held * bytesPerMemory + leakMiB * i * MIB);
      Map<Operation, LoadDriver.Result> results = new EnumMap<>(Operation.class);
      for (Operation operation : Operation.values()) {
        long slowest = operation == Operation.SEARCH && i == 5
            ? worstP99Tenths * 100_000L : 1_000_000L;
        long[] latencies = LongStream.range(0, 60).map(n -> n == 59 ? slowest : 1_000_000L)
            .toArray();
        results.put(operation, new LoadDriver.Result(new LoadDriver.Load(1,
            Duration.ofMinutes(1), Long.MAX_VALUE, 1), latencies, i == count ? lastErrors : 0, 0,
            Duration.ofMinutes(1).toNanos(), 0, List.of()));
      }
      minutes.add(new Minute(i, i, new SoakServer.Probe(heap, 0, 0, 20, 10, 0), held, results));
    }
    return minutes;
  }
}
