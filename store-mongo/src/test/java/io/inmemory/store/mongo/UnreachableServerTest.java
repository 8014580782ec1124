package io.inmemory.store.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.StorageException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class UnreachableServerTest {

  @Test
  void anUnreachableServerIsAStorageErrorNamingTheHostButNotThePassword() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    String uri = "mongodb://alice:s3cret-pw@127.0.0.1:" + port
        + "/nowhere?serverSelectionTimeoutMS=300&connectTimeoutMS=300";

    assertThatThrownBy(() -> MongoMemoryStore.builder().uri(uri).open())
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("127.0.0.1:" + port)
        .hasMessageContaining("'nowhere'")
        .hasMessageContaining("could not be reached")
        .hasMessageContaining("inmemory.store.mongo.uri")
        .satisfies(e -> {
          for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            assertThat(String.valueOf(cause.getMessage())).doesNotContain("s3cret-pw");
          }
        });
  }
}
