package io.inmemory.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.InMemoryConfig;
import io.inmemory.MemoryRecord;
import io.inmemory.engine.index.IndexSettings;
import io.inmemory.engine.retrieval.RetrievalSettings;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import io.inmemory.engine.tck.ChildJvm;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache weighs partitions by {@link Footprint}'s estimate; this measures what real partitions
 * take in a fresh JVM (serial GC, so a full collection leaves exactly the live heap) and holds
 * the estimate within [0.75, 1.33] of it: 64 and 384 dimensions, scanned exactly and through an
 * HNSW graph (its threshold lowered, so the graphs stay small enough to build in a second). The records are built as a store's load builds them: every string and instant
 * its own object. The figures printed are the ones the README's "Memory use" quotes.
 */
class FootprintCalibrationTest {
  private static final Pattern LINE = Pattern.compile(
      "footprint d=(\\d+) graph=(\\w+) n=(\\d+) measured=(\\d+) estimated=(\\d+)");

  @Test
  void theEstimateIsWithinAThirdOfTheMeasuredHeap(@TempDir Path temp) throws Exception {
    ChildJvm.Run run = ChildJvm.run(List.of(ChildJvm.java(), "-Xmx384m", "-XX:+UseSerialGC",
            "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
            FootprintCalibrationTest.class.getName()), temp.resolve("child.log"),
        environment -> { }, Duration.ofMinutes(2));
    assertThat(run.status()).as(run.output()).isZero();
    Matcher line = LINE.matcher(run.output());
    int cases = 0;
    while (line.find()) {
      cases++;
      long memories = Long.parseLong(line.group(3));
      long measured = Long.parseLong(line.group(4));
      long estimated = Long.parseLong(line.group(5));
      System.out.printf(Locale.ROOT, "d=%s graph=%s: measured %,d B/memory, estimated %,d"
              + " (%.2f)%n", line.group(1), line.group(2), measured / memories,
          estimated / memories, estimated / (double) measured);
      assertThat(estimated / (double) measured).as(line.group()).isBetween(0.75, 1.33);
    }
    assertThat(cases).as(run.output()).isEqualTo(4);
  }

  /** The child: measures each case in turn and prints one {@link #LINE} each. */
  public static void main(String[] args) {
    // a small partition first, so the classes and their statics are not measured
    Reference.reachabilityFence(partition(64, 200, 100));
    measure(64, 10_000, Integer.MAX_VALUE);
    measure(384, 10_000, Integer.MAX_VALUE);
    // the graph replaces the flat store's packed copy: both dimensions show it
    measure(64, 4_000, 500);
    measure(384, 2_000, 500);
  }

  private static void measure(int dimension, int memories, int hnswThreshold) {
    long before = usedAfterGc();
    Partition partition = partition(dimension, memories, hnswThreshold);
    long measured = usedAfterGc() - before;
    System.out.printf(Locale.ROOT, "footprint d=%d graph=%s n=%d measured=%d estimated=%d%n",
        dimension, partition.index().usesGraph(), memories, measured, partition.footprint());
    Reference.reachabilityFence(partition);
  }

  private static long usedAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /**
   * A user's partition of {@code memories} notes of about 70 characters from a vocabulary of
   * 2,000 words plus a word of their own, half of them tagged, most recorded by one of three
   * agents, with unit vectors; nothing else keeps them.
   */
  private static Partition partition(int dimension, int memories, int hnswThreshold) {
    Random random = new Random(dimension * 31L + memories);
    List<String> vocabulary = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      vocabulary.add(word(random, 3 + random.nextInt(7)));
    }
    Instant start = Instant.parse("2026-01-01T00:00:00Z");
    List<StoredMemory> stored = new ArrayList<>(memories);
    for (int i = 0; i < memories; i++) {
      StringBuilder content = new StringBuilder(word(random, 8));
      while (content.length() < 60 + random.nextInt(20)) {
        content.append(' ').append(vocabulary.get((int) Math.abs(random.nextGaussian() * 400)
            % vocabulary.size()));
      }
      Instant at = start.plusSeconds(60L * i);
      MemoryRecord record = new MemoryRecord(UUID.randomUUID().toString(), new String("user-1"),
          content.toString(), random.nextBoolean() ? List.of("tag" + random.nextInt(20))
              : List.of(), List.of(), null, Map.of(), at, Instant.ofEpochMilli(at.toEpochMilli()),
          random.nextInt(4) == 0 ? null : "agent-" + random.nextInt(3), null, null,
          Instant.ofEpochMilli(at.toEpochMilli()), null, null);
      stored.add(new StoredMemory(new String("default"), record, unit(random, dimension),
          new String("hashing")));
    }
    IndexSettings defaults = IndexSettings.defaults();
    IndexSettings settings = new IndexSettings(hnswThreshold, defaults.m(),
        defaults.efConstruction(), defaults.efFloor(), defaults.efScaleFrom(),
        defaults.filterTestCost(), defaults.graphCandidateCost());
    return new Partition(PartitionKey.user("default", "user-1"), dimension, settings,
        RetrievalSettings.from(InMemoryConfig.builder().isolated().build()), stored,
        vectors -> null);
  }

  private static String word(Random random, int length) {
    char[] letters = new char[length];
    for (int i = 0; i < length; i++) {
      letters[i] = (char) ('a' + random.nextInt(26));
    }
    return new String(letters);
  }

  private static float[] unit(Random random, int dimension) {
    float[] vector = new float[dimension];
    double norm = 0;
    for (int i = 0; i < dimension; i++) {
      vector[i] = (float) random.nextGaussian();
      norm += vector[i] * vector[i];
    }
    for (int i = 0; i < dimension; i++) {
      vector[i] /= (float) Math.sqrt(norm);
    }
    return vector;
  }
}
