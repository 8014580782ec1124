package io.inmemory.server;

import io.inmemory.wire.ProblemType;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.slf4j.LoggerFactory;

/**
 * Admission control: bounds the work in flight so that an overloaded server answers at once with
 * 503 {@code overloaded} and {@code Retry-After}, instead of queueing requests until the heap or
 * the threads are gone. Two gates, passed in this order:
 *
 * <ul>
 *   <li><b>Request memory.</b> A request with a body reserves {@value #EXPANSION} times its
 *       length (a chunked one: the largest body) of a heap budget before its body is read, and
 *       releases it once answered: parsing JSON of small values takes up to 28 times the body
 *       (measured: a body of empty objects), and a metadata map made from it is copied twice
 *       more (as a map, then normalized). A body too large to ever fit the budget is refused
 *       with 413 (see {@link #maxBodySize()}).
 *   <li><b>Costly work.</b> The routes that embed text or rank memories (adds, updates, searches)
 *       run at most {@code maxActive} at once: embedding is CPU-bound, many more at once than
 *       there are cores only makes each slower. Conversation adds have turns of their own
 *       ({@code maxExtractions}), since a model call holds its request for seconds.
 *   <li><b>Large answers.</b> An answer over {@value JsonAnswer#BUFFER} bytes is streamed by a
 *       thread that waits while the client reads ({@link JsonAnswer}); at most
 *       {@code maxLargeAnswers} are sent at once, so that clients reading slowly cannot hold
 *       every thread. Its turn is taken after the route ran, before anything is sent, so a
 *       refusal is still a whole 503.
 * </ul>
 *
 * <p>A request that cannot pass a gate at once waits up to {@code maxWait} for its turn, unless
 * {@code maxQueued} requests are waiting already (each holds a thread); then, or when its wait
 * ends, it is refused with {@code Retry-After} {@link #RETRY_AFTER}. Requests without a body
 * that are not costly (ping, health, reads) and answer less than {@value JsonAnswer#BUFFER}
 * bytes pass every gate untouched, so they keep being answered under any load. Thread-safe.
 */
final class Admission {
  /** Heap reserved per byte of request body; see the class comment. */
  static final int EXPANSION = 64;
  private static final long KIB = 1024;
  /**
   * When to try again: soon, since turns come every few milliseconds once a burst passes (the
   * managed client waits this long before repeating a call that is safe to repeat).
   */
  static final Duration RETRY_AFTER = Duration.ofSeconds(1);

  private final Semaphore memory;
  private final long memoryBudget;
  private final long maxBodySize;
  private final Semaphore work;
  private final int maxActive;
  private final Semaphore extractions;
  private final int maxExtractions;
  private final Semaphore largeAnswers;
  private final int maxLargeAnswers;
  private final int maxQueued;
  private final Duration maxWait;
  private final AtomicInteger waiting = new AtomicInteger();

  /**
   * @param memoryBudget bytes of heap the requests being handled may reserve at once
   * @param maxRequestSize the configured largest body
   * @param maxActive costly requests running at once
   * @param maxLargeAnswers large answers being sent at once
   * @param maxQueued requests waiting for any gate at once
   * @param maxWait how long a request waits for its turn
   * @param maxExtractions conversation adds running at once
   */
  Admission(long memoryBudget, long maxRequestSize, int maxActive, int maxLargeAnswers,
      int maxQueued, Duration maxWait, int maxExtractions) {
    this.memoryBudget = memoryBudget;
    this.maxBodySize = Math.min(maxRequestSize, memoryBudget / EXPANSION);
    this.memory = new Semaphore(Math.toIntExact(Math.max(1, memoryBudget / KIB)), true);
    this.maxActive = maxActive;
    this.work = new Semaphore(maxActive, true);
    this.maxLargeAnswers = maxLargeAnswers;
    this.largeAnswers = new Semaphore(maxLargeAnswers, true);
    this.maxQueued = maxQueued;
    this.maxWait = maxWait;
    this.maxExtractions = maxExtractions;
    this.extractions = new Semaphore(maxExtractions, true);
  }

  /** The admission control of {@code settings}; logs when it lowers the largest body. */
  static Admission of(ServerSettings settings) {
    Admission admission = new Admission(settings.maxRequestMemory(), settings.maxRequestSize(),
        settings.maxCostlyRequests(), settings.maxLargeAnswers(), settings.maxQueuedRequests(),
        settings.queueTimeout(), settings.maxConcurrentExtractions());
    if (admission.maxBodySize() < settings.maxRequestSize()) {
      LoggerFactory.getLogger(Admission.class).warn("Request bodies over {} bytes are refused"
          + " (413): {} holds {} bytes of request memory, {} times the largest body; raise it or"
          + " the heap (-Xmx) to accept up to {} ({})", admission.maxBodySize(),
          ServerSettings.MAX_REQUEST_MEMORY.name(), settings.maxRequestMemory(), EXPANSION,
          settings.maxRequestSize(), ServerSettings.MAX_REQUEST_SIZE.name());
    }
    return admission;
  }

  /**
   * The largest body accepted: the configured maximum, or less when the memory budget could not
   * hold a body that large. Larger bodies are refused with 413 before they are read.
   */
  long maxBodySize() {
    return maxBodySize;
  }

  /**
   * Reserves the memory the body of {@code request} may take, waiting for it when the budget is
   * taken; the reservation is given back by running the returned action once the request is
   * answered (a no-op for a request without a body to reserve for).
   *
   * @throws ProblemException {@link ProblemType#OVERLOADED} when the memory is not free in time
   */
  Runnable reserveBody(Request request) {
    int reserved = reservation(request);
    if (reserved == 0) {
      return () -> { };
    }
    // Refused before its body is read: the connection cannot carry another request.
    enter(memory, reserved, "the request bodies being handled take the "
        + memoryBudget / (KIB * KIB) + " MiB of heap this server gives them", true);
    return releaseOnce(memory, reserved);
  }

  /**
   * Takes a turn to stream an answer over {@value JsonAnswer#BUFFER} bytes, waiting for it when
   * {@code maxLargeAnswers} are being sent; the turn is given back by running the returned action
   * once the answer is sent.
   *
   * @throws ProblemException {@link ProblemType#OVERLOADED} when no turn comes in time
   */
  Runnable largeAnswer() {
    enter(largeAnswers, 1, maxLargeAnswers + " answers over " + JsonAnswer.BUFFER / KIB
        + " KiB are being sent", false);
    return releaseOnce(largeAnswers, 1);
  }

  private static Runnable releaseOnce(Semaphore gate, int permits) {
    AtomicBoolean released = new AtomicBoolean();
    return () -> {
      if (released.compareAndSet(false, true)) {
        gate.release(permits);
      }
    };
  }

  /** {@code handler} run as costly work: at most {@code maxActive} at once. */
  Route.Handler costly(Route.Handler handler) {
    return call -> turn(work, maxActive + " adds, updates and searches are running", handler,
        call);
  }

  /**
   * {@code handler} run as model work (a conversation add, which may wait seconds for the
   * extraction model): at most {@code maxExtractions} at once, apart from the costly work, so
   * that slow model calls never starve searches of their turns.
   */
  Object extraction(Route.Handler handler, Call call) {
    return turn(extractions, maxExtractions + " conversation adds are running", handler, call);
  }

  private Object turn(Semaphore gate, String busy, Route.Handler handler, Call call) {
    enter(gate, 1, busy, false);
    try {
      return handler.handle(call);
    } finally {
      gate.release();
    }
  }

  /** KiB to reserve for the request's body; 0 without a body or when it will be refused. */
  private int reservation(Request request) {
    long length = request.getLength();
    boolean chunked = length < 0 && request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    if (length == 0 || length < 0 && !chunked || length > maxBodySize) {
      return 0;
    }
    long bytes = chunked ? maxBodySize : length;
    return Math.toIntExact(Math.max(1, bytes * EXPANSION / KIB));
  }

  private void enter(Semaphore gate, int permits, String busy, boolean closing) {
    if (gate.tryAcquire(permits)) {
      return;
    }
    if (waiting.incrementAndGet() > maxQueued) {
      waiting.decrementAndGet();
      throw overloaded(busy + " and " + maxQueued + " requests are waiting", closing);
    }
    try {
      if (!gate.tryAcquire(permits, maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
        throw overloaded(busy + "; no turn came within " + maxWait.toMillis() + " ms", closing);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw overloaded(busy, closing);
    } finally {
      waiting.decrementAndGet();
    }
  }

  private static ProblemException overloaded(String why, boolean closing) {
    long seconds = RETRY_AFTER.toSeconds();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Retry-After", String.valueOf(seconds));
    if (closing) {
      headers.put("Connection", "close");
    }
    return new ProblemException(ProblemType.OVERLOADED, "The server is busy: " + why
        + "; retry after " + seconds + " s", headers);
  }
}
