package io.inmemory.engine.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.AddResult;
import io.inmemory.InMemoryConfig;
import io.inmemory.MemoryRecord;
import io.inmemory.StorageException;
import io.inmemory.engine.Memory;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
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
 * What a store on the local disk guarantees between processes, proven with real child JVMs
 * started on the test classpath:
 *
 * <ul>
 *   <li><b>Crash safety.</b> A child adds memories through the engine from two threads and
 *       prints each add that returned; the test kills it with SIGKILL at a random moment, reopens
 *       the store and checks that every acknowledged memory and its history are there and the
 *       store still takes writes. Several rounds on the same storage, so later rounds recover
 *       from earlier crashes too.
 *   <li><b>One process at a time.</b> While a child holds the store open, opening it here fails
 *       with a {@link StorageException} naming the location, and the child's data is intact.
 * </ul>
 *
 * <p>A store's test extends this class and opens its storage in {@link #openStore(Path)}; the
 * child creates an instance of that test class (through its no-argument constructor) to open
 * the same storage, so the subclass must not depend on JUnit's injection in that method.
 */
public abstract class LocalStoreContract {
  private static final Pattern ACK = Pattern.compile("ack (\\S+) (\\S+) end");
  private static final int ROUNDS = 5;
  private static final int WRITERS = 2;

  @TempDir
  protected Path temp;

  /** Opens the storage at {@code dir}; two calls with the same directory open the same data. */
  protected abstract MemoryStore openStore(Path dir);

  /** Store-specific checks of the refusal a second process gets; none by default. */
  protected void checkRefusal(StorageException refusal, long holderPid) {}

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

      try (MemoryStore store = openStore(dir)) {
        for (Map.Entry<String, Set<String>> user : acknowledged.entrySet()) {
          PartitionKey key = new PartitionKey(PartitionKey.DEFAULT_NAMESPACE, user.getKey());
          Set<String> stored = new HashSet<>();
          store.load(key).forEach(memory -> stored.add(memory.id()));
          assertThat(stored).as(context).containsAll(user.getValue());
          for (String id : user.getValue()) {
            assertThat(store.history(key, id)).as(context).isNotEmpty();
          }
        }
        StoredMemory probe = probe("probe-" + round);
        store.insert(List.of(probe), List.of());
        assertThat(store.load(probe.partition())).contains(probe);
      }
    }
  }

  @Test
  void aStoreOpenInAnotherProcessIsRefusedClearly() throws Exception {
    Path dir = temp.resolve("store");
    Path stderr = temp.resolve("holder.err");
    Process child = startChild("hold", dir, stderr);
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(out.readLine()).as("child stderr: %s", stderr).isEqualTo("ready");

      assertThatThrownBy(() -> openStore(dir).close())
          .isInstanceOfSatisfying(StorageException.class, refusal -> {
            assertThat(refusal.getMessage()).contains(dir.toString());
            checkRefusal(refusal, child.pid());
          });

      child.getOutputStream().close();
      assertThat(child.waitFor()).as("child stderr: %s", Files.readString(stderr)).isZero();
    } finally {
      child.destroyForcibly();
    }
    try (MemoryStore store = openStore(dir)) {
      assertThat(store.load(probe("held").partition())).containsExactly(probe("held"));
    }
  }

  private static StoredMemory probe(String id) {
    Instant at = Instant.parse("2024-01-01T00:00:00Z");
    return new StoredMemory(PartitionKey.DEFAULT_NAMESPACE,
        new MemoryRecord(id, "probe-user", "probe " + id, List.of(), List.of(), null, Map.of(),
            at, at),
        new float[] {1, 0}, "probe:1");
  }

  /** Runs the adding child until it acknowledged {@code target} adds (plus a pause), kills it. */
  private List<String[]> killAfter(Path dir, Path stderr, int target, int extraMillis)
      throws Exception {
    Process child = startChild("add", dir, stderr);
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

  private Process startChild(String mode, Path dir, Path stderr) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), LocalStoreContract.class.getName(),
        getClass().getName(), mode, dir.toString())
        .redirectError(stderr.toFile())
        .start();
  }

  /**
   * The child process: {@code <test class> add <dir>} adds memories until killed, printing
   * {@code ack <user> <id> end} for each add that returned; {@code <test class> hold <dir>}
   * opens the store, stores one probe memory, prints {@code ready} and closes the store when
   * standard input ends.
   */
  public static void main(String[] args) throws Exception {
    Constructor<?> constructor = Class.forName(args[0]).getDeclaredConstructor();
    constructor.setAccessible(true);
    LocalStoreContract test = (LocalStoreContract) constructor.newInstance();
    Path dir = Path.of(args[2]);
    PrintStream out = System.out;
    switch (args[1]) {
      case "add" -> add(test.openStore(dir), out);
      case "hold" -> {
        try (MemoryStore store = test.openStore(dir)) {
          store.insert(List.of(probe("held")), List.of());
          out.println("ready");
          out.flush();
          while (System.in.read() >= 0) {
            // hold the store until the parent closes our standard input
          }
        }
      }
      default -> throw new IllegalArgumentException(args[1]);
    }
  }

  private static void add(MemoryStore store, PrintStream out) throws InterruptedException {
    Memory memory = Memory.builder().config(InMemoryConfig.builder().isolated().build())
        .store(store).embedder(new HashingEmbedder()).build();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < WRITERS; t++) {
      String user = "crash-user-" + t;
      Thread thread = new Thread(() -> {
        for (long i = 0; ; i++) {
          AddResult added = memory.add("note " + i + " written by " + user + " before the crash",
              user);
          synchronized (out) {
            out.println("ack " + user + " " + added.id() + " end");
            out.flush();
          }
        }
      });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
  }
}
