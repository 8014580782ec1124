package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The container health check against a running and a stopped server. */
class HealthProbeTest {
  @Test
  void succeedsWhileTheServerRunsAndFailsOnceItStopped() {
    int port;
    try (TestServer server = new TestServer()) {
      port = server.server.port();
      assertThat(HealthProbe.ping(port)).isTrue();
    }
    assertThat(HealthProbe.ping(port)).isFalse();
  }
}
