package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.server.ReplicaCluster.Key;
import io.inmemory.server.ReplicaCluster.Store;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A key revoked through one server process is refused by the others sharing the store, though
 * they cached it and their key cache lives 60 s: only the store's access version, polled by
 * every process, can bring the revocation within the deadline. Prints the time it took.
 */
@ExtendWith(ReplicaCluster.StopShared.class)
class ClusterRevocationTest {
  /** A correctness bound with room for CI on shared cores, not a speed claim (poll: 250 ms). */
  private static final Duration DEADLINE = Duration.ofSeconds(5);

  private static int status(ReplicaCluster cluster, int replica, Key key) {
    return cluster.send(replica, "GET", "/v1/memories?user_id=u", key.secret(), null, Map.of())
        .status();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Store.class)
  void aKeyRevokedThroughOneReplicaIsRefusedByTheOthersWithinTheDeadline(Store store)
      throws Exception {
    ReplicaCluster cluster = ReplicaCluster.shared(store);
    Key key = cluster.newProjectKey();
    Key bystander = cluster.newProjectKey();
    for (int replica = 1; replica < 3; replica++) {
      assertThat(status(cluster, replica, key)).isEqualTo(200);
      assertThat(status(cluster, replica, bystander)).isEqualTo(200);
    }

    long start = System.nanoTime();
    assertThat(cluster.send(0, "DELETE", "/v1/auth/revoke-key?key_id=" + key.id(),
        TestServer.ADMIN, null, Map.of()).status()).isEqualTo(200);
    assertThat(status(cluster, 0, key)).as("the revoking replica, at once").isEqualTo(401);
    // each replica polls on its own: C and B are each given the deadline
    long deadline = start + DEADLINE.toNanos();
    for (int replica : new int[] {2, 1}) {
      int answer = status(cluster, replica, key);
      while (answer != 401 && System.nanoTime() < deadline) {
        Thread.sleep(20);
        answer = status(cluster, replica, key);
      }
      long tookMs = (System.nanoTime() - start) / 1_000_000;
      System.out.printf("%s: replica %c refused the revoked key %d ms after the revocation was"
          + " sent%n", store, (char) ('A' + replica), tookMs);
      assertThat(answer).as("replica " + replica + ", " + tookMs + " ms after the revocation")
          .isEqualTo(401);
    }
    assertThat(status(cluster, 1, bystander)).isEqualTo(200);
    assertThat(status(cluster, 2, bystander)).isEqualTo(200);
  }
}
