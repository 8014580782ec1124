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
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
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
 *   <li><b>Crash safety.</b> A child opens the store, reports every memory it finds with the
 *       length of its history, then adds memories through the engine from {@value #WRITERS}
 *       threads and prints each add that returned. The test reads those acknowledgements as they
 *       come and kills the child with SIGKILL the moment it reads the one chosen at random, so
 *       the kill lands right after an acknowledgement while the other threads' adds are in
 *       flight. The next round's child starts on what the kill left, as a restarted application
 *       would (the store is never closed cleanly between two kills), and must find every
 *       acknowledged memory with its history; after the last round the test opens the store
 *       itself, checks again and writes. {@code -Dinmemory.test.crash-rounds=N} runs N rounds
 *       (default {@value #DEFAULT_ROUNDS}); the test prints the rounds, acknowledged and found
 *       adds.
 *   <li><b>One process at a time.</b> While a child holds the store open, opening it here fails
 *       with a {@link StorageException} naming the location, and the child's data is intact.
 * </ul>
 *
 * <p>A store's test extends this class and opens its storage in {@link #openStore(Path)}; the
 * child creates an instance of that test class (through its no-argument constructor) to open
 * the same storage, so the subclass must not depend on JUnit's injection in that method.
 */
public abstract class LocalStoreContract {
  private static final Pattern ACK = Pattern.compile("ack (\\S+) end");
  private static final Pattern FOUND = Pattern.compile("found (\\S+) (\\d+) end");
  private static final int DEFAULT_ROUNDS = 12;
  private static final int ROUNDS = Integer.getInteger("inmemory.test.crash-rounds",
      DEFAULT_ROUNDS);
  private static final int WRITERS = 4;
  /** The most acknowledgements a round waits for before its kill. */
  private static final int MAX_TARGET = 150;
  private static final long PAUSE_MILLIS = 5;

  @TempDir
  protected Path temp;

  /** Opens the storage at {@code dir}; two calls with the same directory open the same data. */
  protected abstract MemoryStore openStore(Path dir);

  /** Store-specific checks of the refusal a second process gets; none by default. */
  protected void checkRefusal(StorageException refusal, long holderPid) {}

  /** An add the child acknowledged ({@code key} is {@code user/id}), in the round it was made. */
  private record Ack(String key, int round) {}

  /** What a child found when it opened the store (history lengths by key) and acknowledged. */
  private record Round(Map<String, Integer> found, List<Ack> acks) {}

  @Test
  void everyAcknowledgedAddSurvivesSigkill() throws Exception {
    Path dir = temp.resolve("store");
    long seed = System.nanoTime();
    Random random = new Random(seed);
    List<Ack> acknowledged = new ArrayList<>();
    List<String> lost = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      int target = 1 + random.nextInt(MAX_TARGET);
      Path stderr = temp.resolve("child-" + round + ".err");
      Round child = killAfter(dir, stderr, target, round);
      assertThat(child.acks()).as("round %d (seed %d, killed after %d acks); child stderr:%n%s",
          round, seed, target, Files.readString(stderr)).hasSizeGreaterThanOrEqualTo(target);
      collectLost(acknowledged, child.found(), "when round " + round + " started", lost);
      acknowledged.addAll(child.acks());
    }
    try (MemoryStore store = openStore(dir)) {
      collectLost(acknowledged, stored(store), "after the last round", lost);
      StoredMemory probe = probe("probe");
      store.insert(List.of(probe), List.of());
      assertThat(store.load(probe.partition())).contains(probe);
    }
    int total = acknowledged.size() + lost.size();
    System.out.printf("kill -9 of %s: %d rounds, %d adds acknowledged, %d found%n",
        getClass().getSimpleName(), ROUNDS, total, acknowledged.size());
    assertThat(lost).as("acknowledged adds lost to SIGKILL (seed %d, %d rounds, %d"
        + " acknowledged)", seed, ROUNDS, total).isEmpty();
  }

  /**
   * Moves the acknowledged adds missing from {@code found}, or found without history, to
   * {@code lost}, so that each loss is reported once with the totals.
   */
  private static void collectLost(List<Ack> acknowledged, Map<String, Integer> found,
      String when, List<String> lost) {
    for (Iterator<Ack> pending = acknowledged.iterator(); pending.hasNext(); ) {
      Ack ack = pending.next();
      Integer history = found.get(ack.key());
      if (history == null || history == 0) {
        lost.add(ack + (history == null ? " missing " : " without history ") + when);
        pending.remove();
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

  private static String user(int writer) {
    return "crash-user-" + writer;
  }

  private static PartitionKey partition(String user) {
    return new PartitionKey(PartitionKey.DEFAULT_NAMESPACE, user);
  }

  /** The writers' memories in {@code store}: history length by {@code user/id}. */
  private static Map<String, Integer> stored(MemoryStore store) {
    Map<String, Integer> found = new HashMap<>();
    for (int t = 0; t < WRITERS; t++) {
      PartitionKey partition = partition(user(t));
      for (StoredMemory memory : store.load(partition)) {
        found.put(partition.userId() + "/" + memory.id(),
            store.history(partition, memory.id()).size());
      }
    }
    return found;
  }

  private static StoredMemory probe(String id) {
    Instant at = Instant.parse("2024-01-01T00:00:00Z");
    return new StoredMemory(PartitionKey.DEFAULT_NAMESPACE,
        new MemoryRecord(id, "probe-user", "probe " + id, List.of(), List.of(), null, Map.of(),
            at, at),
        new float[] {1, 0}, "probe:1");
  }

  /**
   * Runs the adding child and kills it with SIGKILL as soon as its acknowledgement number
   * {@code target} is read; returns what it found at its start and every acknowledgement it
   * printed before it died.
   */
  private Round killAfter(Path dir, Path stderr, int target, int round) throws Exception {
    Process child = startChild("add", dir, stderr);
    // a child that stops acknowledging must not hang the test: it is killed after a minute
    CompletableFuture.delayedExecutor(60, TimeUnit.SECONDS)
        .execute(() -> child.toHandle().destroyForcibly());
    Map<String, Integer> found = new HashMap<>();
    List<Ack> acks = new ArrayList<>();
    boolean killed = false;
    // the process handle's kill leaves the pipe open, so the lines written before death are read
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = lines.readLine()) != null; ) {
        Matcher ack = ACK.matcher(line);
        Matcher stored = FOUND.matcher(line);
        if (ack.matches()) {
          acks.add(new Ack(ack.group(1), round));
          if (acks.size() == target) {
            killed = child.toHandle().destroyForcibly();
          }
        } else if (stored.matches()) {
          found.put(stored.group(1), Integer.parseInt(stored.group(2)));
        }
      }
    }
    child.waitFor();
    assertThat(killed).as("the child was still running when killed after %d acks; stderr:%n%s",
        target, Files.readString(stderr)).isTrue();
    return new Round(found, acks);
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
   * The child process: {@code <test class> add <dir>} opens the store, prints
   * {@code found <user>/<id> <history length> end} for each writer's memory in it, then adds
   * memories until killed, printing {@code ack <user>/<id> end} for each add that returned;
   * {@code <test class> hold <dir>} opens the store, stores one probe memory, prints
   * {@code ready} and closes the store when standard input ends.
   */
  public static void main(String[] args) throws Exception {
    Constructor<?> constructor = Class.forName(args[0]).getDeclaredConstructor();
    constructor.setAccessible(true);
    LocalStoreContract test = (LocalStoreContract) constructor.newInstance();
    Path dir = Path.of(args[2]);
    PrintStream out = System.out;
    switch (args[1]) {
      case "add" -> {
        MemoryStore store = test.openStore(dir);
        stored(store).forEach((key, history) -> out.println("found " + key + " " + history
            + " end"));
        out.flush();
        add(store, out);
      }
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

  /**
   * A writer's pause after an acknowledgement, as a client's between two requests: the kill,
   * sent the moment the test reads an acknowledgement, then often comes before any later write
   * of the child, which is when a write that was acknowledged but is not durable is lost.
   */
  private static void pause() {
    try {
      Thread.sleep(PAUSE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void add(MemoryStore store, PrintStream out) throws InterruptedException {
    Memory memory = Memory.builder().config(InMemoryConfig.builder().isolated().build())
        .store(store).embedder(new HashingEmbedder()).build();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < WRITERS; t++) {
      String user = user(t);
      Thread thread = new Thread(() -> {
        for (long i = 0; ; i++) {
          AddResult added = memory.add("note " + i + " written by " + user + " before the crash",
              user);
          synchronized (out) {
            out.println("ack " + user + "/" + added.id() + " end");
            out.flush();
          }
          pause();
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
