package io.inmemory.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ExactScanTest {

  @Test
  void topKIsTheHighestDotProductsBestFirst() {
    Vectors generator = new Vectors(37, 5, 0.5, new Random(4));
    float[][] vectors = generator.next(500);
    float[] query = generator.next();

    int[] top = ExactScan.topK(vectors, 500, query, 10);

    int[] sorted = IntStream.range(0, 500).boxed()
        .sorted(Comparator.comparingDouble(i -> -naiveDot(vectors[i], query)))
        .mapToInt(Integer::intValue).limit(10).toArray();
    assertThat(top).containsExactly(sorted);
  }

  @Test
  void considersOnlyTheFirstCountVectorsAndReturnsFewerWhenFewer() {
    float[][] vectors = {{1, 0}, {0, 1}, {0.6f, 0.8f}};

    assertThat(ExactScan.topK(vectors, 2, new float[] {0, 1}, 10)).containsExactly(1, 0);
    assertThat(ExactScan.topK(vectors, 0, new float[] {0, 1}, 10)).isEmpty();
  }

  @Test
  void dotMatchesTheNaiveSumForAnyLength() {
    Random random = new Random(5);
    for (int length = 1; length <= 9; length++) {
      float[] a = new float[length];
      float[] b = new float[length];
      for (int i = 0; i < length; i++) {
        a[i] = random.nextFloat();
        b[i] = random.nextFloat();
      }
      assertThat((double) ExactScan.dot(a, b)).isCloseTo(naiveDot(a, b),
          org.assertj.core.data.Offset.offset(1e-5));
    }
  }

  @Test
  void searchesTheIdsItWasGivenOnCopiesOfTheVectors() {
    ExactScan scan = new ExactScan();
    float[] north = {0, 1};
    scan.addAll(List.of("east", "north"), List.of(new float[] {1, 0}, north));
    for (int i = 0; i < 20; i++) {
      scan.add("filler" + i, new float[] {-1, 0});
    }
    north[1] = -1;

    assertThat(scan.search(new float[] {0.1f, 1}, 2)).containsExactly("north", "east");
  }

  private static double naiveDot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }
}
