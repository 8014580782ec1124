package io.inmemory.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerBenchTest {

  @Test
  void largeUserTargetNeeds400SearchesPerSecondAtP99Within50MsAndNothingUnsent() {
    List<ServerBench.LargeCell> cells = List.of(
        cell(10_000, 16, 0, 450, 40, 0),
        cell(10_000, 16, 400, 399.5, 30, 0),
        cell(10_000, 16, 400, 390, 30, 0),
        cell(10_000, 16, 400, 400, 60, 0),
        cell(10_000, 16, 400, 400, 20, 12),
        cell(10_000, 64, 0, 900, 20, 0),
        cell(1_000, 16, 0, 900, 20, 0));

    List<String[]> rows = ServerBench.largeTargets(cells);

    // Only the 10,000-memory cells at 16 connections count.
    assertThat(rows).extracting(row -> row[2]).containsExactly("yes", "yes", "no", "no", "no");
    assertThat(rows.get(0)[0]).contains("closed loop");
    assertThat(rows.get(1)[0]).contains("fixed rate 400/s");
    assertThat(rows.get(4)[1]).contains("unsent 12");
  }

  private static ServerBench.LargeCell cell(int memories, int connections, double rate,
      double searches, double p99, long unsent) {
    LoadDriver.Load load = new LoadDriver.Load(connections, Duration.ofSeconds(8), 100_000,
        rate);
    LoadDriver.Summary search = new LoadDriver.Summary(load, 3, searches, searches, searches, 5,
        p99, p99, 1_000, 0, unsent, 0.1, List.of());
    LoadDriver.Summary add = new LoadDriver.Summary(load, 3, 40, 40, 40, 20, 40, 40, 100, 0, 0,
        0.1, List.of());
    return new ServerBench.LargeCell(memories, connections, rate, search, add);
  }
}
