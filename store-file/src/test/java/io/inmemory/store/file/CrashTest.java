package io.inmemory.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durability contract under {@code kill -9}: a child JVM adds memories in a loop and reports
 * each add that returned; the test kills it with SIGKILL at a random moment (after a random
 * number of acknowledgements), reopens the store and checks that every acknowledged memory is
 * there and the store still works. Five rounds on the same directory, so later rounds recover
 * from earlier crashes too, some of them in the middle of a compaction.
 */
class CrashTest {
  private static final Pattern ACK = Pattern.compile("ack (\\S+) (\\S+) end");
  private static final int ROUNDS = 5;

  @TempDir
  Path temp;

  @Test
  void everyAcknowledgedAddSurvivesSigkill() throws Exception {
    Path dir = temp.resolve("store");
    long seed = System.nanoTime();
    Random random = new Random(seed);
    Map<String, Set<String>> acknowledged = new HashMap<>();
    for (int round = 0; round < ROUNDS; round++) {
      int target = 20 + random.nextInt(400);
      Path stderr = temp.resolve("child-" + round + ".err");
      List<String[]> acks = killAfter(dir, stderr, target, random.nextInt(30));
      String context = "round " + round + " (seed " + seed + ", killed after " + target
          + " acks); child stderr:\n" + Files.readString(stderr);
      assertThat(acks).as(context).hasSizeGreaterThanOrEqualTo(target);
      for (String[] ack : acks) {
        acknowledged.computeIfAbsent(ack[0], user -> new HashSet<>()).add(ack[1]);
      }

      try (MemoryStore store = FileMemoryStore.open(dir)) {
        for (Map.Entry<String, Set<String>> user : acknowledged.entrySet()) {
          PartitionKey key = new PartitionKey(PartitionKey.DEFAULT_NAMESPACE, user.getKey());
          Set<String> stored = new HashSet<>();
          store.load(key).forEach(memory -> stored.add(memory.id()));
          assertThat(stored).as(context).containsAll(user.getValue());
          for (String id : user.getValue()) {
            assertThat(store.history(key, id)).as(context).isNotEmpty();
          }
        }
        StoredMemory probe = StoreFiles.memory("probe-" + round);
        store.insert(List.of(probe), List.of());
        assertThat(store.load(probe.partition())).contains(probe);
      }
    }
  }

  /** Runs the adding child until it acknowledged {@code target} adds (plus a pause), kills it. */
  private static List<String[]> killAfter(Path dir, Path stderr, int target, int extraMillis)
      throws Exception {
    Process child = ChildProcess.start("add", dir, stderr);
    List<String[]> acks = Collections.synchronizedList(new ArrayList<>());
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(
          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = lines.readLine()) != null; ) {
          Matcher matcher = ACK.matcher(line);
          if (matcher.matches()) {
            acks.add(new String[] {matcher.group(1), matcher.group(2)});
          }
        }
      } catch (IOException e) {
        // the pipe closes when the child dies
      }
    });
    reader.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (acks.size() < target && child.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
    Thread.sleep(extraMillis);
    boolean aliveAtKill = child.isAlive();
    child.destroyForcibly();
    child.waitFor();
    reader.join();
    assertThat(aliveAtKill).as("the child was still running when killed; stderr:\n%s",
        Files.readString(stderr)).isTrue();
    return acks;
  }
}
