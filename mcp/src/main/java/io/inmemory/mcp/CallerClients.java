package io.inmemory.mcp;

import io.inmemory.AuthenticationException;
import io.inmemory.MemoryClient;
import io.inmemory.PermissionDeniedException;
import io.inmemory.RateLimitedException;
import io.inmemory.Scope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

/**
 * The managed runtime's clients of the HTTP transport's callers: one per API key a caller sends,
 * so that each call reaches the InMemory server with its caller's key (its project, its
 * permissions) and never with another's. At most {@link #CAPACITY} clients are kept, the least
 * recently used closed first; a client is closed only once no call uses it. Thread-safe.
 */
final class CallerClients implements AutoCloseable {
  /** How many callers' clients are kept open at once. */
  static final int CAPACITY = 256;
  /**
   * How many keys are checked at once: each check makes a client (an HTTP client and its
   * threads), so a flood of made-up keys must not make clients without bound.
   */
  static final int CONCURRENT_CHECKS = 8;
  /** When a caller refused for too many checks at once may try again. */
  static final Duration RETRY_AFTER = Duration.ofSeconds(1);

  /**
   * What a key is checked with: a read of a user no one has, cheap and without effect, that the
   * server answers only for a key it knows.
   */
  private static final Scope PROBE = new Scope("inmemory-mcp-key-check", null, null);

  private final Function<String, MemoryClient> clientForKey;
  private final Map<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  private final Semaphore checks = new Semaphore(CONCURRENT_CHECKS);
  private boolean closed;

  /** @param clientForKey a new managed client sending the given API key */
  CallerClients(Function<String, MemoryClient> clientForKey) {
    this.clientForKey = clientForKey;
  }

  /**
   * Checks that the InMemory server knows {@code key}: once per key, until a call with it is
   * refused as unauthenticated (a revoked key) or its client is evicted.
   *
   * @throws AuthenticationException when the server refuses the key
   * @throws RateLimitedException when {@link #CONCURRENT_CHECKS} other keys are being checked
   * @throws RuntimeException when the server cannot tell (unreachable, failing): the key stays
   *     unchecked
   */
  void verify(String key) {
    synchronized (this) {
      Entry known = entries.get(key);
      if (known != null && known.verified) {
        return;
      }
    }
    if (!checks.tryAcquire()) {
      throw new RateLimitedException("too many API keys are being checked at once",
          RETRY_AFTER);
    }
    try {
      check(key);
    } finally {
      checks.release();
    }
  }

  private void check(String key) {
    Entry entry = lease(key);
    try {
      synchronized (this) {
        if (entry.verified) {
          return;
        }
      }
      try {
        entry.client.stats(PROBE);
      } catch (PermissionDeniedException | RateLimitedException known) {
        // the server authenticated the key before refusing or slowing this read down
      }
      synchronized (this) {
        entry.verified = true;
      }
    } catch (RuntimeException e) {
      discard(key, entry);
      throw e;
    } finally {
      release(entry);
    }
  }

  /**
   * Applies {@code body} to the client of {@code key}. A call refused as unauthenticated drops
   * the client, so the caller's next request is checked again ({@link #verify}).
   */
  Map<String, Object> call(String key, Function<MemoryClient, Map<String, Object>> body) {
    Entry entry = lease(key);
    try {
      return body.apply(entry.client);
    } catch (AuthenticationException e) {
      discard(key, entry);
      throw e;
    } finally {
      release(entry);
    }
  }

  /** How many callers' clients are open. */
  synchronized int size() {
    return entries.size();
  }

  /** Closes every client once its calls in progress are done; later calls fail. */
  @Override
  public void close() {
    List<MemoryClient> idle = new ArrayList<>();
    synchronized (this) {
      closed = true;
      for (Entry entry : entries.values()) {
        retire(entry, idle);
      }
      entries.clear();
    }
    idle.forEach(MemoryClient::close);
  }

  private Entry lease(String key) {
    synchronized (this) {
      if (closed) {
        throw stopped();
      }
      Entry known = entries.get(key);
      if (known != null) {
        known.leases++;
        return known;
      }
    }
    // made without the lock: making a client reads the configuration and starts an HTTP
    // client, and the callers already known need not wait for that
    MemoryClient made = clientForKey.apply(key);
    List<MemoryClient> idle = new ArrayList<>();
    Entry entry;
    synchronized (this) {
      entry = closed ? null : entries.get(key);
      if (closed || entry != null) {
        // stopped meanwhile, or another request of the key made its client first
        idle.add(made);
      } else {
        entry = new Entry(made);
        entries.put(key, entry);
        if (entries.size() > CAPACITY) {
          var eldest = entries.entrySet().iterator();
          retire(eldest.next().getValue(), idle);
          eldest.remove();
        }
      }
      if (entry != null) {
        entry.leases++;
      }
    }
    idle.forEach(MemoryClient::close);
    if (entry == null) {
      throw stopped();
    }
    return entry;
  }

  private static IllegalStateException stopped() {
    return new IllegalStateException("the MCP server is stopped");
  }

  private void release(Entry entry) {
    boolean close;
    synchronized (this) {
      entry.leases--;
      close = entry.retired && entry.leases == 0;
    }
    if (close) {
      entry.client.close();
    }
  }

  private void discard(String key, Entry entry) {
    synchronized (this) {
      // another thread may have put a new client for the key meanwhile: that one stays
      entries.remove(key, entry);
      entry.retired = true;
    }
  }

  /** Marks {@code entry} retired; adds its client to {@code idle} when no call uses it. */
  private static void retire(Entry entry, List<MemoryClient> idle) {
    entry.retired = true;
    if (entry.leases == 0) {
      idle.add(entry.client);
    }
  }

  /** One caller's client; its counters are guarded by the enclosing {@link CallerClients}. */
  private static final class Entry {
    final MemoryClient client;
    int leases;
    boolean verified;
    boolean retired;

    Entry(MemoryClient client) {
      this.client = client;
    }
  }
}
