package io.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * The default {@code updateMany}/{@code deleteMany} of both client interfaces (for clients without
 * a batch of their own): item by item, each failure its item's result by the exception's type, a
 * memory named twice refused whole; and {@link MemoryClients#archive} of a client that has none.
 */
class BatchDefaultsTest {
  private static final Scope ALICE = Scope.user("alice");
  private static final UpdateRequest TOPIC = UpdateRequest.builder().topic("t").build();

  /** What the single calls do with an id: answer, or throw the exception it names. */
  private static Object single(String id, boolean delete) {
    return switch (id) {
      case "missing" -> delete ? (Object) false : NotFoundException.memory(id, ALICE);
      case "bad" -> new InvalidRequestException("memoryId", "is bad");
      case "broken" -> new StorageException("disk full");
      default -> delete ? (Object) true : new MemoryRecord(id, "alice", "x", List.of(),
          List.of(), "t", Map.of(), Instant.EPOCH, Instant.EPOCH);
    };
  }

  private static <T> T client(Class<T> type, boolean async) {
    InvocationHandler handler = (proxy, method, args) -> {
      if (method.isDefault()) {
        return InvocationHandler.invokeDefault(proxy, method, args);
      }
      boolean delete = method.getName().equals("delete");
      if (!delete && !method.getName().equals("update")) {
        throw new UnsupportedOperationException(method.getName());
      }
      Object answer = single((String) args[0], delete);
      if (async) {
        return answer instanceof RuntimeException e ? CompletableFuture.failedFuture(e)
            : CompletableFuture.completedFuture(answer);
      }
      if (answer instanceof RuntimeException e) {
        throw e;
      }
      return answer;
    };
    return type.cast(Proxy.newProxyInstance(BatchDefaultsTest.class.getClassLoader(),
        new Class<?>[] {type}, handler));
  }

  private static final List<BatchUpdate> UPDATES = List.of(new BatchUpdate("m1", ALICE, TOPIC),
      new BatchUpdate("missing", ALICE, TOPIC), new BatchUpdate("bad", ALICE, TOPIC),
      new BatchUpdate("broken", ALICE, TOPIC));
  private static final List<BatchDelete> DELETES = List.of(new BatchDelete("m1", ALICE),
      new BatchDelete("missing", ALICE), new BatchDelete("broken", ALICE));

  private static List<BatchItemResult.Status> statuses(List<BatchItemResult> results) {
    return results.stream().map(BatchItemResult::status).toList();
  }

  @Test
  void eachItemIsAppliedAloneAndItsFailureIsItsResult() {
    MemoryClient client = client(MemoryClient.class, false);

    List<BatchItemResult> updated = client.updateMany(UPDATES);

    assertThat(statuses(updated)).containsExactly(BatchItemResult.Status.UPDATED,
        BatchItemResult.Status.NOT_FOUND, BatchItemResult.Status.INVALID,
        BatchItemResult.Status.FAILED);
    assertThat(updated.get(0).memory().id()).isEqualTo("m1");
    assertThat(updated.get(3).error()).isInstanceOf(StorageException.class);
    assertThat(statuses(client.deleteMany(DELETES))).containsExactly(
        BatchItemResult.Status.DELETED, BatchItemResult.Status.NOT_FOUND,
        BatchItemResult.Status.FAILED);
    assertThat(client.deleteMany(DELETES).get(1).error())
        .hasMessage("No memory missing in user alice");
  }

  @Test
  void theAsynchronousDefaultsGiveTheSameResults() {
    AsyncMemoryClient client = client(AsyncMemoryClient.class, true);

    List<BatchItemResult> updated = client.updateMany(UPDATES).join();

    assertThat(statuses(updated)).isEqualTo(
        statuses(client(MemoryClient.class, false).updateMany(UPDATES)));
    assertThat(updated.get(0).memory().id()).isEqualTo("m1");
    assertThat(updated.get(2).error()).hasMessageContaining("is bad");
    assertThat(statuses(client.deleteMany(DELETES).join())).containsExactly(
        BatchItemResult.Status.DELETED, BatchItemResult.Status.NOT_FOUND,
        BatchItemResult.Status.FAILED);
  }

  @Test
  void aMemoryNamedTwiceForOneOwnerRefusesTheCallAndTheSameIdOfAnotherOwnerDoesNot() {
    List<BatchDelete> twice = List.of(new BatchDelete("m1", ALICE),
        new BatchDelete("m1", ALICE.withSession("s1")));
    List<BatchDelete> twoOwners = List.of(new BatchDelete("m1", ALICE),
        new BatchDelete("m1", Scope.agent("alice")));

    assertThatThrownBy(() -> client(MemoryClient.class, false).deleteMany(twice))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("items")
        .hasMessageContaining("m1");
    assertThatThrownBy(() -> client(AsyncMemoryClient.class, true).deleteMany(twice).join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(InvalidRequestException.class);
    assertThat(client(MemoryClient.class, false).deleteMany(twoOwners)).hasSize(2);
  }

  @Test
  void aClientWithoutAnArchiveIsAConfigurationError() {
    MemoryClient client = client(MemoryClient.class, false);

    assertThatThrownBy(() -> MemoryClients.archive(client))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("cannot export or restore");
  }
}
