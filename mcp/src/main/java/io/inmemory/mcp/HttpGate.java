package io.inmemory.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.inmemory.AuthenticationException;
import io.inmemory.InMemoryException;
import io.inmemory.RateLimitedException;
import io.inmemory.wire.ProblemType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every HTTP request passes before the SDK's transport: refused 503 once the server is
 * stopping, refused 401 without an accepted {@code Authorization: Bearer <key>} when keys are
 * required, refused 404 when it names a session its key did not open (a session id seen by someone
 * else lends them nothing: not its event stream, not its end; a session unused for
 * {@link #SESSION_IDLE} is forgotten, as the SDK forgets its own, and its host initializes a new
 * one); and counted while in progress, so
 * that a stop waits for the replies still due (a tool call's reply is written before its
 * request's handling returns; an event stream's request returns at once and is not waited for).
 * Thread-safe.
 */
final class HttpGate implements Filter {
  private static final Logger LOG = LoggerFactory.getLogger(HttpGate.class);
  private static final String BEARER = "bearer ";
  /** Longer than any key a server issues; a longer header is refused unread. */
  private static final int MAX_KEY_LENGTH = 512;
  static final String CHALLENGE = "Bearer realm=\"inmemory-mcp\"";

  /** Accepts a key, or throws {@link AuthenticationException} saying why not. */
  @FunctionalInterface
  interface KeyCheck {
    /**
     * @throws AuthenticationException when the key is wrong
     * @throws RuntimeException when it cannot be checked now
     */
    void check(String key);
  }

  static final String SESSION_HEADER = "Mcp-Session-Id";
  /**
   * How long a session's owner is kept without a request on it: twice the SDK's sweep of idle
   * sessions (which HttpServer sets to half of this), so the SDK has dropped the session first; hosts mostly leave without
   * ending their sessions, and their owners must not pile up.
   */
  static final Duration SESSION_IDLE = Duration.ofHours(1);

  /** The digest of the key that opened a session, and when a request last used it. */
  private record Owner(String digest, long usedAt) {}

  private final @Nullable KeyCheck keys;
  private final ObjectMapper json;
  private final LongSupplier nanoTime;
  /** Session id → its owner; an entry leaves when its owner ends it or leaves it idle. */
  private final Map<String, Owner> sessionOwners = new ConcurrentHashMap<>();
  private final AtomicLong nextSweep;
  private int inFlight;
  private boolean stopping;

  /** @param keys the check of every request's key, or {@code null} to take requests without */
  HttpGate(@Nullable KeyCheck keys, ObjectMapper json) {
    this(keys, json, System::nanoTime);
  }

  /** As {@link #HttpGate(KeyCheck, ObjectMapper)}, on the given clock (for tests). */
  HttpGate(@Nullable KeyCheck keys, ObjectMapper json, LongSupplier nanoTime) {
    this.keys = keys;
    this.json = json;
    this.nanoTime = nanoTime;
    this.nextSweep = new AtomicLong(nanoTime.getAsLong() + SESSION_IDLE.toNanos());
  }

  /** The key of {@code request}'s {@code Authorization: Bearer} header, if it has a usable one. */
  static Optional<String> bearer(HttpServletRequest request) {
    String header = request.getHeader("Authorization");
    if (header == null || !header.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
      return Optional.empty();
    }
    String key = header.substring(BEARER.length()).strip();
    boolean usable = !key.isEmpty() && key.length() <= MAX_KEY_LENGTH
        && key.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    return usable ? Optional.of(key) : Optional.empty();
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest http = (HttpServletRequest) request;
    HttpServletResponse answer = (HttpServletResponse) response;
    if (!enter()) {
      refuse(answer, 503, "unavailable", "the MCP server is stopping");
      return;
    }
    try {
      if (keys == null) {
        chain.doFilter(request, response);
        return;
      }
      Optional<String> key = bearer(http);
      if (key.isEmpty()) {
        answer.setHeader("WWW-Authenticate", CHALLENGE);
        refuse(answer, 401, "unauthenticated",
            "send the API key as 'Authorization: Bearer <key>'");
        return;
      }
      if (!admitted(key.get(), answer)) {
        return;
      }
      String owner = digest(key.get());
      String session = http.getHeader(SESSION_HEADER);
      if (ownSession(session, owner, answer)) {
        chain.doFilter(request, new SessionOpening(answer, owner));
        if (session != null && "DELETE".equals(http.getMethod()) && answer.getStatus() < 300) {
          sessionOwners.remove(session);
        }
      }
    } finally {
      leave();
    }
  }

  /** Whether {@code keys} accepts {@code key}; refuses the request saying why not otherwise. */
  private boolean admitted(String key, HttpServletResponse response) throws IOException {
    try {
      keys.check(key);
      return true;
    } catch (AuthenticationException e) {
      response.setHeader("WWW-Authenticate", CHALLENGE + ", error=\"invalid_token\"");
      refuse(response, 401, "unauthenticated", e.getMessage());
    } catch (RateLimitedException e) {
      response.setHeader("Retry-After", String.valueOf(Math.max(1, e.retryAfter().toSeconds())));
      refuse(response, 503, "unavailable", "the API key cannot be checked now: "
          + e.getMessage());
    } catch (InMemoryException e) {
      LOG.warn("cannot check an API key now: {}", e.getMessage());
      refuse(response, 503, "unavailable", "the API key cannot be checked now: "
          + ProblemType.of(e).title() + ": " + e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("checking an API key failed", e);
      refuse(response, 503, "unavailable", "the API key cannot be checked now");
    }
    return false;
  }

  /**
   * Whether {@code session} (the one a request names, if any) is one the key of digest
   * {@code caller} opened, marking it used; refuses the request 404 otherwise. Every session of a
   * keyed gate is bound as it opens, so a session without an owner is one this gate forgot or
   * never opened.
   */
  private boolean ownSession(@Nullable String session, String caller,
      HttpServletResponse response) throws IOException {
    if (session == null) {
      return true;
    }
    long now = nanoTime.getAsLong();
    Owner owner = sessionOwners.computeIfPresent(session,
        (id, held) -> held.digest().equals(caller) ? new Owner(caller, now) : held);
    if (owner != null && owner.digest().equals(caller)) {
      return true;
    }
    refuse(response, 404, "not_found", "no session " + session + " for this API key: "
        + "initialize a session of your own");
    return false;
  }

  /** Binds a new session to its owner, and forgets the sessions idle too long (once a while). */
  private void bind(String session, String owner) {
    long now = nanoTime.getAsLong();
    sessionOwners.putIfAbsent(session, new Owner(owner, now));
    long due = nextSweep.get();
    if (now - due >= 0 && nextSweep.compareAndSet(due, now + SESSION_IDLE.toNanos() / 4)) {
      sessionOwners.values().removeIf(held -> now - held.usedAt() > SESSION_IDLE.toNanos());
    }
  }

  /** How many sessions have a known owner. */
  int sessionsHeld() {
    return sessionOwners.size();
  }

  private static String digest(String key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /**
   * Binds the session the SDK opens to its caller's key as the SDK names it in the answer's
   * header, so before the answer reaches the caller (no window for a request on it first).
   */
  private final class SessionOpening extends HttpServletResponseWrapper {
    private final String owner;

    SessionOpening(HttpServletResponse response, String owner) {
      super(response);
      this.owner = owner;
    }

    @Override
    public void setHeader(String name, String value) {
      noteSession(name, value);
      super.setHeader(name, value);
    }

    @Override
    public void addHeader(String name, String value) {
      noteSession(name, value);
      super.addHeader(name, value);
    }

    private void noteSession(String name, String value) {
      if (SESSION_HEADER.equalsIgnoreCase(name)) {
        bind(value, owner);
      }
    }
  }

  private void refuse(HttpServletResponse response, int status, String error, String message)
      throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", error);
    body.put("message", message);
    response.setStatus(status);
    response.setContentType("application/json");
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.getOutputStream().write(json.writeValueAsBytes(body));
  }

  private synchronized boolean enter() {
    if (stopping) {
      return false;
    }
    inFlight++;
    return true;
  }

  private synchronized void leave() {
    inFlight--;
    notifyAll();
  }

  /**
   * Refuses every request from now on and waits until the requests in progress are done or
   * {@code timeout} passed.
   *
   * @return how many requests were still in progress when the wait ended
   */
  synchronized int stop(Duration timeout) {
    stopping = true;
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      for (long left = timeout.toNanos(); inFlight > 0 && left > 0;
          left = deadline - System.nanoTime()) {
        wait(Math.max(1, left / 1_000_000));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return inFlight;
  }
}
