package io.inmemory.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * An HTTP load generator: a fixed number of keep-alive connections, one thread each, sending
 * numbered requests until the load's duration has passed or its request count is reached,
 * whichever comes first.
 *
 * <ul>
 *   <li><b>Closed loop</b> ({@code rate == 0}): each connection sends its next request as soon as
 *       the previous one is answered — the server's maximum throughput at that concurrency.
 *       Latency runs from the send.
 *   <li><b>Open loop</b> ({@code rate > 0}): request {@code i} is scheduled at {@code i / rate}
 *       seconds after the start, the requests dealt round-robin to the connections, and its
 *       latency runs from that scheduled time, not from the (possibly later) send: a server that
 *       falls behind is charged for the queueing it causes, as wrk2 does (coordinated omission
 *       corrected). Requests still unsent {@link #GRACE} after the window closes are counted as
 *       unsent: the rate was not sustained.
 * </ul>
 *
 * <p>Any answer other than 2xx, any failed exchange and any 2xx answer its {@link Check}
 * rejects is an error; the first few are kept verbatim. Thread-safe: {@link #run} holds no shared
 * state between calls. Arguments are non-null.
 */
final class LoadDriver {
  /** How long an open-loop run may trail its window before its remaining requests are dropped. */
  static final Duration GRACE = Duration.ofSeconds(1);
  /** How many error messages a result keeps. */
  static final int KEPT_ERRORS = 5;

  private LoadDriver() {}

  /**
   * What to run.
   *
   * @param connections concurrent connections, at least one
   * @param duration the window in which requests are sent
   * @param maxRequests the most requests sent
   * @param rate requests per second over all connections in open loop; 0 for closed loop
   */
  record Load(int connections, Duration duration, long maxRequests, double rate) {
    Load {
      if (connections < 1 || maxRequests < 1 || rate < 0 || Double.isNaN(rate)
          || duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException("a load needs connections >= 1, a positive duration,"
            + " maxRequests >= 1 and rate >= 0: " + connections + ", " + duration + ", "
            + maxRequests + ", " + rate);
      }
    }

    boolean openLoop() {
      return rate > 0;
    }

    /** The requests an open-loop run schedules: the rate over the window, at most maxRequests. */
    long scheduled() {
      return Math.min(maxRequests, (long) Math.floor(rate * duration.toNanos() / 1e9));
    }

    /** When open-loop request {@code index} is due, in nanoseconds after the start. */
    long dueNanos(long index) {
      return Math.round(index * 1e9 / rate);
    }
  }

  /**
   * Looks at each 2xx answer, on the thread that sent the request, before that connection sends
   * again: to verify it and to learn from it (the id of a memory just added, say). Called
   * concurrently from the connection threads.
   */
  @FunctionalInterface
  interface Check {
    /** Every 2xx answer is accepted, unread. */
    Check NONE = (request, response) -> { };

    /**
     * Accepts {@code response} to {@code request}, or throws an exception whose message says what
     * is wrong with it: the request then counts as an error.
     */
    void accept(HttpConnection.Request request, HttpConnection.Response response);
  }

  /**
   * One run's outcome.
   *
   * @param latencyNanos one latency per request sent, failed ones included
   * @param errors non-2xx answers plus failed exchanges
   * @param unsent open-loop requests dropped because the run fell more than {@link #GRACE} behind
   * @param elapsedNanos from the start to the last answer
   * @param driverCpuNanos CPU time spent by the connection threads (the driver's own cost)
   * @param firstErrors up to {@link #KEPT_ERRORS} error descriptions, in no particular order
   */
  record Result(Load load, long[] latencyNanos, long errors, long unsent, long elapsedNanos,
      long driverCpuNanos, List<String> firstErrors) {
    Result {
      latencyNanos = latencyNanos.clone();
      Arrays.sort(latencyNanos);
      firstErrors = List.copyOf(firstErrors);
    }

    long requests() {
      return latencyNanos.length;
    }

    /** Answered requests per second. */
    double throughput() {
      return elapsedNanos == 0 ? 0 : latencyNanos.length / (elapsedNanos / 1e9);
    }

    double percentileMillis(double percentile) {
      return Stats.percentileMillis(latencyNanos, percentile);
    }

    /** The driver's CPU use in cores (1.0 = one core busy for the whole run). */
    double driverCores() {
      return elapsedNanos == 0 ? 0 : (double) driverCpuNanos / elapsedNanos;
    }
  }

  /**
   * Several runs of one load, summarised by their medians so one noisy run does not decide.
   * Counts (requests, errors, unsent) are totals over the runs.
   */
  record Summary(Load load, int runs, double throughput, double minThroughput,
      double maxThroughput, double p50Millis, double p99Millis, double p999Millis, long requests,
      long errors, long unsent, double driverCores, List<String> firstErrors) {
    Summary {
      firstErrors = List.copyOf(firstErrors);
    }

    /** The medians of {@code results}, runs of the same load. */
    static Summary of(List<Result> results) {
      if (results.isEmpty()) {
        throw new IllegalArgumentException("no runs to summarise");
      }
      double[] throughputs = results.stream().mapToDouble(Result::throughput).toArray();
      List<String> errors = results.stream().flatMap(r -> r.firstErrors().stream())
          .limit(KEPT_ERRORS).toList();
      return new Summary(results.get(0).load(), results.size(), median(throughputs),
          Arrays.stream(throughputs).min().orElseThrow(),
          Arrays.stream(throughputs).max().orElseThrow(),
          median(results, 50), median(results, 99), median(results, 99.9),
          results.stream().mapToLong(Result::requests).sum(),
          results.stream().mapToLong(Result::errors).sum(),
          results.stream().mapToLong(Result::unsent).sum(),
          median(results.stream().mapToDouble(Result::driverCores).toArray()), errors);
    }

    private static double median(List<Result> results, double percentile) {
      return median(results.stream().mapToDouble(r -> r.percentileMillis(percentile)).toArray());
    }

    /** The middle value; the mean of the two middle ones for an even count. */
    static double median(double[] values) {
      double[] sorted = values.clone();
      Arrays.sort(sorted);
      int middle = sorted.length / 2;
      return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
  }

  /**
   * Runs {@code load}: each connection thread opens its own connection from {@code connections}
   * and sends request number {@code i} as {@code requests.apply(i)}; numbers run from 0 without
   * gaps or repeats.
   */
  static Result run(Load load, Supplier<HttpConnection> connections,
      LongFunction<HttpConnection.Request> requests) throws InterruptedException {
    return run(load, connections, requests, Check.NONE);
  }

  /** As {@link #run(Load, Supplier, LongFunction)}, passing every 2xx answer to {@code check}. */
  static Result run(Load load, Supplier<HttpConnection> connections,
      LongFunction<HttpConnection.Request> requests, Check check) throws InterruptedException {
    ExecutorService threads = Executors.newFixedThreadPool(load.connections(), runnable -> {
      Thread thread = new Thread(runnable, "load-driver");
      thread.setDaemon(true);
      return thread;
    });
    Shared shared = new Shared();
    // a common start shortly ahead, so that every thread is parked and ready when it comes
    long start = System.nanoTime() + Duration.ofMillis(100).toNanos();
    try {
      List<Future<long[]>> futures = new ArrayList<>();
      for (int c = 0; c < load.connections(); c++) {
        int connection = c;
        futures.add(threads.submit(() -> {
          long cpu0 = cpuTime();
          try (HttpConnection http = connections.get()) {
            return load.openLoop()
                ? openLoop(load, connection, start, http, requests, check, shared)
                : closedLoop(load, start, http, requests, check, shared);
          } finally {
            shared.cpu.addAndGet(cpuTime() - cpu0);
          }
        }));
      }
      List<long[]> parts = new ArrayList<>();
      for (Future<long[]> future : futures) {
        parts.add(future.get());
      }
      long[] latencies = parts.stream().flatMapToLong(Arrays::stream).toArray();
      return new Result(load, latencies, shared.errors.get(), shared.unsent.get(),
          Math.max(0, shared.lastAnswer.get() - start), shared.cpu.get(), shared.firstErrors());
    } catch (ExecutionException e) {
      throw new IllegalStateException("a load driver thread failed", e.getCause());
    } finally {
      threads.shutdownNow();
    }
  }

  private static long[] closedLoop(Load load, long start, HttpConnection http,
      LongFunction<HttpConnection.Request> requests, Check check, Shared shared) {
    LockSupport.parkNanos(start - System.nanoTime());
    long deadline = start + load.duration().toNanos();
    Samples samples = new Samples();
    for (long i; System.nanoTime() < deadline
        && (i = shared.next.getAndIncrement()) < load.maxRequests(); ) {
      long sent = System.nanoTime();
      samples.add(exchange(http, requests.apply(i), check, shared) - sent);
    }
    return samples.toArray();
  }

  private static long[] openLoop(Load load, int connection, long start, HttpConnection http,
      LongFunction<HttpConnection.Request> requests, Check check, Shared shared) {
    long cutoff = start + load.duration().toNanos() + GRACE.toNanos();
    long scheduled = load.scheduled();
    Samples samples = new Samples();
    for (long i = connection; i < scheduled; i += load.connections()) {
      long due = start + load.dueNanos(i);
      long now = System.nanoTime();
      if (now >= cutoff) {
        shared.unsent.addAndGet((scheduled - 1 - i) / load.connections() + 1);
        break;
      }
      if (due > now) {
        LockSupport.parkNanos(due - now);
      }
      samples.add(exchange(http, requests.apply(i), check, shared) - due);
    }
    return samples.toArray();
  }

  /**
   * Sends and checks one request; returns when its answer (or failure) came, so that the check's
   * own time is not charged to the server.
   */
  private static long exchange(HttpConnection http, HttpConnection.Request request, Check check,
      Shared shared) {
    HttpConnection.Response response;
    try {
      response = http.send(request);
    } catch (IOException e) {
      long answered = shared.answered();
      shared.error(e + " on " + request.method() + " " + request.path());
      return answered;
    }
    long answered = shared.answered();
    if (!response.ok()) {
      shared.error("HTTP " + response.status() + " on " + request.method() + " "
          + request.path() + ": " + abbreviate(response.body()));
    } else {
      try {
        check.accept(request, response);
      } catch (RuntimeException e) {
        shared.error("wrong answer to " + request.method() + " " + request.path() + ": "
            + e.getMessage() + " in " + abbreviate(response.body()));
      }
    }
    return answered;
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "…";
  }

  private static long cpuTime() {
    ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    return bean.isCurrentThreadCpuTimeSupported() ? bean.getCurrentThreadCpuTime() : 0;
  }

  /** The counters the connection threads of one run share. */
  private static final class Shared {
    final AtomicLong next = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong unsent = new AtomicLong();
    final AtomicLong lastAnswer = new AtomicLong();
    final AtomicLong cpu = new AtomicLong();
    private final List<String> firstErrors = new ArrayList<>();

    /** Marks an answer (or failure) now and returns the time. */
    long answered() {
      long now = System.nanoTime();
      lastAnswer.accumulateAndGet(now, Math::max);
      return now;
    }

    void error(String description) {
      errors.incrementAndGet();
      synchronized (firstErrors) {
        if (firstErrors.size() < KEPT_ERRORS) {
          firstErrors.add(description);
        }
      }
    }

    List<String> firstErrors() {
      synchronized (firstErrors) {
        return List.copyOf(firstErrors);
      }
    }
  }

  /** A growable array of latencies: no boxing at thousands of samples per second. */
  private static final class Samples {
    private long[] values = new long[1024];
    private int size;

    void add(long value) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
    }

    long[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }
}
