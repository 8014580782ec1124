package io.inmemory.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.inmemory.InvalidRequestException;
import io.inmemory.wire.ProblemType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Idempotency keys of the adding routes: the first successful answer to a request carrying an
 * {@code Idempotency-Key} is kept for a while and replayed (with {@value #REPLAYED_HEADER}) to
 * every later request of the same project with the same key and the same method, path and body,
 * so that a retried add is never stored twice. The same key with another request is a 409
 * {@link ProblemType#IDEMPOTENCY_KEY_REUSED}. A duplicate arriving while the first is still being
 * handled waits for its answer; when the first fails (any non-2xx answer or an exception) nothing
 * is kept and the next request with the key runs afresh.
 *
 * <p>The records live in this process only, in a cache bounded by the total size of the kept
 * answers: they do not survive a restart and are not shared between server processes.
 * Thread-safe.
 */
final class Idempotency {
  static final String HEADER = "Idempotency-Key";
  static final String REPLAYED_HEADER = "Idempotent-Replayed";
  private static final Pattern KEY = Pattern.compile("[\\x20-\\x7E]{1,255}");
  /** How long a duplicate waits for the first request before it gives up with a 409. */
  private static final Duration WAIT = Duration.ofSeconds(60);
  /** What a record costs besides its answer's body, roughly. */
  private static final int OVERHEAD = 512;

  /** Answers given, replayed until they expire or are evicted. */
  private final Cache<Id, Answered> answered;
  /**
   * Requests being handled; never evicted (a bounded cache could drop one and let a duplicate
   * run), bounded by the requests the server handles at once.
   */
  private final ConcurrentMap<Id, Attempt> running = new ConcurrentHashMap<>();

  /**
   * @param ttl how long an answer is replayed after it was given
   * @param maxBytes the most answer bytes kept at once; the least recently used go first
   */
  Idempotency(Duration ttl, long maxBytes) {
    this(ttl, maxBytes, Ticker.systemTicker());
  }

  /** With the clock of expiry given, for tests. */
  Idempotency(Duration ttl, long maxBytes, Ticker ticker) {
    this.answered = Caffeine.newBuilder()
        .ticker(ticker)
        .expireAfterWrite(ttl)
        .maximumWeight(maxBytes)
        .weigher((Id id, Answered answer) -> OVERHEAD + id.key().length()
            + answer.reply().body().length)
        .build();
  }

  /**
   * Runs {@code action} once per project, key and request; see the class comment.
   *
   * @param project the caller's project (null for the admin key)
   * @param key the header's value, checked here
   * @param method the request's method
   * @param path the request's path
   * @param body the request's body
   */
  Reply run(@Nullable String project, String key, String method, String path, byte[] body,
      Supplier<Reply> action) {
    if (!KEY.matcher(key).matches() || key.isBlank()) {
      throw new InvalidRequestException(List.of(new InvalidRequestException.Violation(HEADER,
          "must be 1 to 255 printable ASCII characters")));
    }
    Id id = new Id(project, key);
    byte[] fingerprint = fingerprint(method, path, body);
    while (true) {
      Answered done = answered.getIfPresent(id);
      if (done != null) {
        return replay(done.fingerprint(), done.reply(), fingerprint);
      }
      Attempt mine = new Attempt(fingerprint, new CompletableFuture<>());
      Attempt first = running.putIfAbsent(id, mine);
      if (first == null) {
        if (answered.getIfPresent(id) != null) {
          // answered between the look-up and the claim: replay that answer on the next round
          running.remove(id, mine);
          mine.answer().complete(Optional.empty());
          continue;
        }
        return runFirst(id, mine, action);
      }
      checkSameRequest(first.fingerprint(), fingerprint);
      Optional<Reply> answer = await(first);
      if (answer.isPresent()) {
        return replay(first.fingerprint(), answer.get(), fingerprint);
      }
      // the first attempt failed and kept nothing: this one runs afresh
    }
  }

  private Reply runFirst(Id id, Attempt mine, Supplier<Reply> action) {
    Reply reply = null;
    try {
      // kept as bytes: an add's answer is bounded by its request, which is bounded
      reply = action.get().materialized();
      return reply;
    } finally {
      boolean kept = reply != null && reply.status() / 100 == 2;
      if (kept) {
        // kept before the claim is released, so a newcomer sees one or the other
        answered.put(id, new Answered(mine.fingerprint(), reply));
      }
      running.remove(id, mine);
      mine.answer().complete(kept ? Optional.of(reply) : Optional.empty());
    }
  }

  private static Reply replay(byte[] firstFingerprint, Reply first, byte[] fingerprint) {
    checkSameRequest(firstFingerprint, fingerprint);
    Map<String, String> headers = new LinkedHashMap<>(first.headers());
    headers.put(REPLAYED_HEADER, "true");
    return first.withHeaders(headers);
  }

  private static void checkSameRequest(byte[] first, byte[] fingerprint) {
    if (!MessageDigest.isEqual(first, fingerprint)) {
      throw new ProblemException(ProblemType.IDEMPOTENCY_KEY_REUSED, "This " + HEADER
          + " was already used with another request; use a new key for a new request");
    }
  }

  private static Optional<Reply> await(Attempt first) {
    try {
      return first.answer().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new ProblemException(ProblemType.CONFLICT, "A request with this " + HEADER
          + " is still in progress; retry later");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for a duplicate request", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("never completed exceptionally", e);
    }
  }

  private static byte[] fingerprint(String method, String path, byte[] body) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update((method + ' ' + path + '\n').getBytes(StandardCharsets.UTF_8));
      return sha.digest(body);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  private record Id(String project, String key) {}

  /** A request being handled; its answer is empty when it failed, absent while it runs. */
  private record Attempt(byte[] fingerprint, CompletableFuture<Optional<Reply>> answer) {}

  /** A successful answer and the request it answered. */
  private record Answered(byte[] fingerprint, Reply reply) {}
}
