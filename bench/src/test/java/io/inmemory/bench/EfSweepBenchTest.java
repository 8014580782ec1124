package io.inmemory.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EfSweepBenchTest {

  @Test
  void aWiderBeamFindsMoreOfTheExactTopTenOnOneBuiltGraph(@TempDir Path folder) throws Exception {
    EfSweepBench.main(new String[] {"--datasets", "uniform", "--sizes", "5000", "--dim", "64",
        "--efs", "10,400", "--queries", "40", "--out", folder.toString()});

    JsonNode rows = new ObjectMapper().readTree(folder.resolve("index-ef.json").toFile())
        .at("/tables/0/rows");
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).get("ef").asInt()).isEqualTo(10);
    assertThat(rows.get(1).get("ef").asInt()).isEqualTo(400);
    // Uniform vectors are the hard case: a beam of 10 misses many of the true top 10.
    double narrow = rows.get(0).get("recall@10").asDouble();
    double wide = rows.get(1).get("recall@10").asDouble();
    assertThat(narrow).isLessThan(0.9);
    assertThat(wide).isGreaterThan(narrow).isGreaterThanOrEqualTo(0.95);
    assertThat(rows.get(0).get("build/s").asDouble()).isPositive();
    assertThat(folder.resolve("index-ef-tradeoff.png")).isNotEmptyFile();
  }
}
