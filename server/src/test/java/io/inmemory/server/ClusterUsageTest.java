package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inmemory.server.ReplicaCluster.Key;
import io.inmemory.server.ReplicaCluster.Store;
import io.inmemory.server.TestServer.Answer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One key used through three server processes at once: after they shut down gracefully, the
 * store's usage count is every request, none lost to another process's concurrent write.
 */
@ExtendWith(ReplicaCluster.StopShared.class)
class ClusterUsageTest {
  private static final int REQUESTS_PER_REPLICA = 50;

  @ParameterizedTest(name = "{0}")
  @EnumSource(Store.class)
  void usageCountsOfEveryReplicaAddUpAfterAGracefulShutdown(Store store) throws Exception {
    ReplicaCluster cluster = ReplicaCluster.shared(store);
    Key key = cluster.newProjectKey();
    ExecutorService clients = Executors.newFixedThreadPool(cluster.size());
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int replica = 0; replica < cluster.size(); replica++) {
        int through = replica;
        running.add(clients.submit(() -> {
          for (int i = 0; i < REQUESTS_PER_REPLICA; i++) {
            assertThat(cluster.send(through, "GET", "/v1/memories?user_id=u", key.secret(), null,
                Map.of()).status()).isEqualTo(200);
          }
          return null;
        }));
      }
      for (Future<?> done : running) {
        done.get();
      }
    } finally {
      clients.shutdownNow();
    }

    cluster.restart();

    Answer keys = cluster.send(0, "GET", "/v1/auth/keys?project_id=" + key.project(),
        TestServer.ADMIN, null, Map.of());
    assertThat(keys.status()).as(keys.response().body()).isEqualTo(200);
    JsonNode listed = keys.json().get("keys").get(0);
    assertThat(listed.get("key_id").asText()).isEqualTo(key.id());
    assertThat(listed.get("usage_count").asLong())
        .isEqualTo((long) REQUESTS_PER_REPLICA * cluster.size());
  }
}
