package io.inmemory.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.AuthenticationException;
import io.inmemory.MemoryClient;
import io.inmemory.PermissionDeniedException;
import io.inmemory.RateLimitedException;
import io.inmemory.StorageException;
import io.inmemory.UserStats;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The managed runtime's per-caller clients, over scripted clients that record what is asked of
 * them: a key is checked once, a refused one is forgotten, and a client is closed only once no
 * call uses it.
 */
class CallerClientsTest {
  private final List<Scripted> made = new CopyOnWriteArrayList<>();
  /** What the next client's stats answer: null, or the exception thrown. */
  private RuntimeException statsFailure;
  /** Run by every stats call before it answers. */
  private volatile Runnable statsGate = () -> { };

  /** Run before each client is made. */
  private volatile Runnable makeGate = () -> { };

  private final CallerClients clients = new CallerClients(key -> {
    makeGate.run();
    Scripted client = new Scripted(key, statsFailure, statsGate);
    made.add(client);
    return client.proxy();
  });

  @Test
  void aKeyIsCheckedWithTheServerOnceAndItsClientKept() {
    clients.verify("im_alpha");
    clients.verify("im_alpha");
    clients.call("im_alpha", client -> Map.of());

    assertThat(made).hasSize(1);
    assertThat(made.get(0).stats).isEqualTo(1);
  }

  @Test
  void aKeyTheServerRefusesIsForgottenAndItsClientClosed() {
    statsFailure = new AuthenticationException("invalid API key");

    assertThatThrownBy(() -> clients.verify("im_wrong"))
        .isInstanceOf(AuthenticationException.class);
    assertThatThrownBy(() -> clients.verify("im_wrong"))
        .isInstanceOf(AuthenticationException.class);

    assertThat(made).hasSize(2).allSatisfy(client -> assertThat(client.closed).isTrue());
    assertThat(clients.size()).isZero();
  }

  @Test
  void aServerThatCannotTellLeavesTheKeyUnchecked() {
    statsFailure = new StorageException("store down");
    assertThatThrownBy(() -> clients.verify("im_alpha")).isInstanceOf(StorageException.class);
    statsFailure = null;

    clients.verify("im_alpha");

    assertThat(made).hasSize(2);
    assertThat(made.get(1).stats).isEqualTo(1);
  }

  @Test
  void aKeyWithoutReadPermissionIsStillAKeyTheServerKnows() {
    statsFailure = new PermissionDeniedException("write-only key");

    clients.verify("im_writer");
    clients.verify("im_writer");

    assertThat(made).hasSize(1);
    assertThat(made.get(0).closed).isFalse();
  }

  @Test
  void aCallRefusedAsUnauthenticatedMakesTheNextRequestCheckTheKeyAgain() {
    clients.verify("im_revoked");

    assertThatThrownBy(() -> clients.call("im_revoked", client -> {
      throw new AuthenticationException("API key k1 was revoked");
    })).isInstanceOf(AuthenticationException.class);
    statsFailure = new AuthenticationException("API key k1 was revoked");

    assertThatThrownBy(() -> clients.verify("im_revoked"))
        .isInstanceOf(AuthenticationException.class);
    assertThat(made).hasSize(2);
    assertThat(made.get(0).closed).isTrue();
  }

  @Test
  void theLeastRecentlyUsedClientIsClosedOnceItsCallIsDone() throws Exception {
    CountDownLatch inCall = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    CompletableFuture<Map<String, Object>> call = CompletableFuture.supplyAsync(() ->
        clients.call("im_0", client -> {
          inCall.countDown();
          await(finish);
          return Map.of("answered", client.toString());
        }));
    assertThat(inCall.await(30, TimeUnit.SECONDS)).isTrue();

    for (int i = 1; i <= CallerClients.CAPACITY; i++) {
      clients.verify("im_" + i);
    }

    assertThat(clients.size()).isEqualTo(CallerClients.CAPACITY);
    assertThat(made.get(0).closed).as("closed under its call").isFalse();
    finish.countDown();
    assertThat(call.get(30, TimeUnit.SECONDS)).containsEntry("answered", "im_0");
    assertThat(made.get(0).closed).isTrue();
    assertThat(made.subList(1, made.size())).noneMatch(client -> client.closed);
  }

  @Test
  void aFloodOfKeysBeingCheckedIsRefusedWithoutMakingClients() throws Exception {
    clients.verify("im_known");
    CountDownLatch checking = new CountDownLatch(CallerClients.CONCURRENT_CHECKS);
    CountDownLatch answer = new CountDownLatch(1);
    statsGate = () -> {
      checking.countDown();
      await(answer);
    };
    List<CompletableFuture<Void>> slow = new ArrayList<>();
    // a thread per check: the common pool may run fewer at once
    ExecutorService threads = Executors.newFixedThreadPool(CallerClients.CONCURRENT_CHECKS);
    for (int i = 0; i < CallerClients.CONCURRENT_CHECKS; i++) {
      String key = "im_slow_" + i;
      slow.add(CompletableFuture.runAsync(() -> clients.verify(key), threads));
    }
    assertThat(checking.await(30, TimeUnit.SECONDS)).isTrue();
    int madeBefore = made.size();

    assertThatThrownBy(() -> clients.verify("im_one_too_many"))
        .isInstanceOf(RateLimitedException.class);
    clients.verify("im_known");

    assertThat(made).hasSize(madeBefore);
    answer.countDown();
    for (CompletableFuture<Void> check : slow) {
      check.get(30, TimeUnit.SECONDS);
    }
    threads.shutdown();
    clients.verify("im_one_too_many");
  }

  /**
   * Making a client (reading the configuration, starting an HTTP client) is no reason for the
   * callers already known to wait: their calls go on meanwhile.
   */
  @Test
  void aClientBeingMadeHoldsNoOtherCallerUp() throws Exception {
    clients.verify("im_known");
    CountDownLatch making = new CountDownLatch(1);
    CountDownLatch made = new CountDownLatch(1);
    makeGate = () -> {
      making.countDown();
      await(made);
    };
    ExecutorService threads = Executors.newFixedThreadPool(2);
    CompletableFuture<Void> newcomer = CompletableFuture.runAsync(
        () -> clients.verify("im_new"), threads);
    assertThat(making.await(30, TimeUnit.SECONDS)).isTrue();

    CompletableFuture<Map<String, Object>> known = CompletableFuture.supplyAsync(
        () -> clients.call("im_known", client -> Map.of("answered", client.toString())),
        threads);

    assertThat(known.get(10, TimeUnit.SECONDS)).containsEntry("answered", "im_known");
    made.countDown();
    newcomer.get(30, TimeUnit.SECONDS);
    threads.shutdown();
    assertThat(clients.size()).isEqualTo(2);
  }

  /** Two first requests of one key at once leave one client, the other closed. */
  @Test
  void aKeyMadeTwiceAtOnceKeepsOneClient() throws Exception {
    CountDownLatch both = new CountDownLatch(2);
    makeGate = () -> {
      both.countDown();
      await(both);
    };
    ExecutorService threads = Executors.newFixedThreadPool(2);
    List<CompletableFuture<Map<String, Object>>> calls = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      calls.add(CompletableFuture.supplyAsync(
          () -> clients.call("im_twice", client -> Map.of("answered", client.toString())),
          threads));
    }

    for (CompletableFuture<Map<String, Object>> call : calls) {
      assertThat(call.get(60, TimeUnit.SECONDS)).containsEntry("answered", "im_twice");
    }
    threads.shutdown();
    assertThat(clients.size()).isEqualTo(1);
    assertThat(made).filteredOn(client -> !client.closed).hasSize(1);
  }

  @Test
  void closingClosesEveryClientAndRefusesLaterCalls() {
    clients.verify("im_alpha");
    clients.verify("im_beta");

    clients.close();

    assertThat(made).allSatisfy(client -> assertThat(client.closed).isTrue());
    assertThatThrownBy(() -> clients.call("im_alpha", client -> Map.of()))
        .isInstanceOf(IllegalStateException.class);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A client that answers stats as scripted, records it, and knows whether it was closed. */
  private static final class Scripted {
    final String key;
    final RuntimeException statsFailure;
    final Runnable statsGate;
    volatile int stats;
    volatile boolean closed;

    Scripted(String key, RuntimeException statsFailure, Runnable statsGate) {
      this.key = key;
      this.statsFailure = statsFailure;
      this.statsGate = statsGate;
    }

    MemoryClient proxy() {
      return (MemoryClient) Proxy.newProxyInstance(MemoryClient.class.getClassLoader(),
          new Class<?>[] {MemoryClient.class}, (proxy, method, args) -> switch (method.getName()) {
            case "stats" -> {
              statsGate.run();
              stats++;
              if (statsFailure != null) {
                throw statsFailure;
              }
              yield new UserStats("inmemory-mcp-key-check", 0, null, null, Map.of(), Map.of(),
                  Map.of());
            }
            case "close" -> {
              closed = true;
              yield null;
            }
            case "toString" -> key;
            default -> throw new UnsupportedOperationException(method.getName());
          });
    }
  }
}
