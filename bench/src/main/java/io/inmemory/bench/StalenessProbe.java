package io.inmemory.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;

/**
 * Measures how long a change made through one replica takes to show in searches on another: probe
 * {@code k} adds a sentence never sent before for user {@value #USER} through replica
 * {@code k mod n} (the writer) and, from the writer's 201, searches for that very sentence on
 * replica {@code (k + 1) mod n} (the reader) every {@link #POLL_GAP} until the new memory is the
 * top hit; then it deletes the memory through the writer and, from the writer's answer, searches
 * on the reader until the memory is gone from the hits. With one replica the reader is the writer:
 * read-your-writes, where the first search must already show the change.
 *
 * <p>A change not shown within the timeout is recorded as <em>not seen</em>, never as a figure.
 * A delete is probed only after its add was seen (a reader that never showed the memory cannot
 * show it gone), but the memory is deleted either way. A request that fails (not 2xx, or the
 * exchange) is counted in {@link #failures()} and ends that probe.
 *
 * <p>Not thread-safe: one thread probes; its connections (one per replica, from the {@code
 * connect} function) are closed by {@link #close}.
 */
final class StalenessProbe implements AutoCloseable {
  static final String USER = "cluster-probe";
  /** The pause between one search's answer and the next search. */
  static final Duration POLL_GAP = Duration.ofMillis(5);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int HITS = 10;
  /**
   * A connection unused for longer is replaced before its next request: the server closes idle
   * ones (after 30 s by default), and a request sent as it does would fail for nothing. Probes pause
   * between loads, and a reader not showing a change keeps the writer's connection idle.
   */
  private static final long STALE_NANOS = Duration.ofSeconds(5).toNanos();

  /** What a probe changed. */
  enum Change {
    ADD, DELETE;

    String label() {
      return this == ADD ? "add" : "delete";
    }
  }

  /**
   * One change followed from its writer to its reader.
   *
   * @param seen whether the reader showed the change within the timeout
   * @param nanos from the writer's answer to the answer of the reader's first search that showed
   *     the change; the timeout when not seen
   * @param polls searches sent to the reader
   * @param pollNanos the reader's median search latency in this probe
   */
  record Sample(Change change, int writer, int reader, boolean seen, long nanos, int polls,
      long pollNanos) {
    Sample {
      Objects.requireNonNull(change, "change");
      if (writer < 0 || reader < 0 || nanos < 0 || polls < (seen ? 1 : 0) || pollNanos < 0) {
        throw new IllegalArgumentException("not a possible sample: " + writer + " -> " + reader
            + ", " + nanos + " ns, " + polls + " polls, " + pollNanos + " ns a poll");
      }
    }
  }

  /**
   * The samples of one change, summarised.
   *
   * @param probes changes followed
   * @param notSeen changes the reader did not show within the timeout
   * @param p50Millis of the seen ones; NaN when none was seen (likewise p99, max, polls,
   *     resolution)
   * @param pollsBeforeSeen the median count of searches that did not show the change yet
   * @param resolutionMillis how finely the figures can tell: the poll gap plus the reader's
   *     median search latency
   */
  record Summary(Change change, int probes, int notSeen, double p50Millis, double p99Millis,
      double maxMillis, double pollsBeforeSeen, double resolutionMillis) {
    static Summary of(Change change, List<Sample> samples) {
      List<Sample> of = samples.stream().filter(s -> s.change() == change).toList();
      long[] seen = of.stream().filter(Sample::seen).mapToLong(Sample::nanos).sorted().toArray();
      int notSeen = (int) of.stream().filter(s -> !s.seen()).count();
      if (seen.length == 0) {
        return new Summary(change, of.size(), notSeen, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN, Double.NaN);
      }
      double[] before = of.stream().filter(Sample::seen).mapToDouble(s -> s.polls() - 1)
          .toArray();
      double[] polls = of.stream().filter(Sample::seen).mapToDouble(Sample::pollNanos).toArray();
      return new Summary(change, of.size(), notSeen, Stats.percentileMillis(seen, 50),
          Stats.percentileMillis(seen, 99), seen[seen.length - 1] / 1e6,
          Stats.median(before),
          POLL_GAP.toNanos() / 1e6 + Stats.median(polls) / 1e6);
    }
  }

  private final int replicas;
  private final IntFunction<HttpConnection> connect;
  private final String key;
  private final Duration timeout;
  private final HttpConnection[] connections;
  private final long[] lastUsed;
  private final List<Sample> samples = new ArrayList<>();
  private final List<String> firstFailures = new ArrayList<>();
  private long failures;
  private long next;

  /**
   * A probe over {@code replicas} replicas, replica {@code i} reached by {@code connect.apply(i)},
   * sending {@code key}.
   */
  StalenessProbe(int replicas, IntFunction<HttpConnection> connect, String key,
      Duration timeout) {
    if (replicas < 1 || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("a staleness probe needs a replica and a positive"
          + " timeout: " + replicas + ", " + timeout);
    }
    this.replicas = replicas;
    this.connect = connect;
    this.key = Objects.requireNonNull(key, "key");
    this.timeout = timeout;
    this.connections = new HttpConnection[replicas];
    this.lastUsed = new long[replicas];
  }

  /** Probes every {@code interval} (from start to start) until {@code stop} says so. */
  void every(Duration interval, BooleanSupplier stop) {
    while (!stop.getAsBoolean()) {
      long started = System.nanoTime();
      probe();
      LockSupport.parkNanos(started + interval.toNanos() - System.nanoTime());
    }
  }

  /** Runs {@code count} probes one after the other. */
  void times(int count) {
    for (int i = 0; i < count; i++) {
      probe();
    }
  }

  /** The samples so far, in the order taken. */
  List<Sample> samples() {
    return List.copyOf(samples);
  }

  /** Probe requests that failed so far. */
  long failures() {
    return failures;
  }

  /** The first few failures, described. */
  List<String> firstFailures() {
    return List.copyOf(firstFailures);
  }

  /** One probe: an add followed, then (when the add was seen) its delete. */
  void probe() {
    long k = next++;
    int writer = (int) (k % replicas);
    int reader = (int) ((k + 1) % replicas);
    String text = "Cluster probe " + k + ": " + SoakWorkload.content(7 * k + 3);
    try {
      HttpConnection.Response added = send(writer, new HttpConnection.Request("/v1/memories",
          key, json(Map.of("memory_content", text, "user_id", USER))));
      long written = System.nanoTime();
      String id = JSON.readTree(added.body()).path("memory").path("id").asText();
      Sample add = follow(Change.ADD, writer, reader, text, id, written);
      samples.add(add);
      HttpConnection.Response deleted = send(writer, new HttpConnection.Request("DELETE",
          "/v1/memories/" + id + "?user_id=" + USER, key, ""));
      written = System.nanoTime();
      if (!JSON.readTree(deleted.body()).path("deleted").asBoolean(false)) {
        throw new IOException("the probe's memory " + id + " was not deleted: "
            + deleted.body());
      }
      if (add.seen()) {
        samples.add(follow(Change.DELETE, writer, reader, text, id, written));
      }
    } catch (IOException e) {
      failures++;
      if (firstFailures.size() < LoadDriver.KEPT_ERRORS) {
        firstFailures.add("probe " + k + " (replica " + writer + " -> " + reader + "): "
            + e.getMessage());
      }
    }
  }

  /**
   * Searches the reader for {@code text} until it shows the change to memory {@code id} — the
   * memory as the top hit after an add, absent from the hits after a delete — or the timeout
   * passes.
   */
  private Sample follow(Change change, int writer, int reader, String text, String id,
      long written) throws IOException {
    HttpConnection.Request search = new HttpConnection.Request("/v1/memories/search", key,
        json(Map.of("query", text, "user_id", USER, "limit", HITS)));
    long[] latencies = new long[16];
    int polls = 0;
    while (true) {
      long sent = System.nanoTime();
      HttpConnection.Response response = send(reader, search);
      long answered = System.nanoTime();
      if (polls == latencies.length) {
        latencies = Arrays.copyOf(latencies, polls * 2);
      }
      latencies[polls++] = answered - sent;
      if (shows(change, JSON.readTree(response.body()).path("hits"), id)) {
        return new Sample(change, writer, reader, true, answered - written, polls,
            median(latencies, polls));
      }
      if (answered - written >= timeout.toNanos()) {
        return new Sample(change, writer, reader, false, timeout.toNanos(), polls,
            median(latencies, polls));
      }
      LockSupport.parkNanos(POLL_GAP.toNanos());
    }
  }

  /** Whether {@code hits} show the change: the memory first after an add, absent after a delete. */
  static boolean shows(Change change, JsonNode hits, String id) {
    if (change == Change.ADD) {
      return hits.path(0).path("memory").path("id").asText().equals(id);
    }
    for (JsonNode hit : hits) {
      if (hit.path("memory").path("id").asText().equals(id)) {
        return false;
      }
    }
    return true;
  }

  private static long median(long[] values, int count) {
    return Math.round(Stats.percentileMillis(Arrays.copyOf(values, count), 50) * 1e6);
  }

  /** Sends on replica {@code replica}'s connection; anything but 2xx is an {@link IOException}. */
  private HttpConnection.Response send(int replica, HttpConnection.Request request)
      throws IOException {
    long now = System.nanoTime();
    if (connections[replica] != null && now - lastUsed[replica] > STALE_NANOS) {
      connections[replica].close();
      connections[replica] = null;
    }
    if (connections[replica] == null) {
      connections[replica] = connect.apply(replica);
    }
    HttpConnection.Response response = connections[replica].send(request);
    lastUsed[replica] = System.nanoTime();
    if (!response.ok()) {
      throw new IOException("HTTP " + response.status() + " on " + request.method() + " "
          + request.path() + " to replica " + replica + ": " + response.body());
    }
    return response;
  }

  private static String json(Map<String, Object> body) throws IOException {
    return JSON.writeValueAsString(body);
  }

  @Override
  public void close() throws IOException {
    for (HttpConnection connection : connections) {
      if (connection != null) {
        connection.close();
      }
    }
  }
}
