package io.inmemory.spring.boot;

import io.inmemory.springai.testing.SharedServer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Context runners configured for the managed runtime of {@link SharedServer}. Stateless. */
final class ManagedRunner {
  private ManagedRunner() {}

  /** {@code runner} with the shared server's properties, as a user writes them. */
  static ApplicationContextRunner managed(ApplicationContextRunner runner) {
    SharedServer shared = SharedServer.get();
    return runner.withPropertyValues("inmemory.mode=managed",
        "inmemory.base-url=" + shared.baseUrl(), "inmemory.api-key=" + shared.apiKey());
  }

  /**
   * {@code runner} with a managed client of a port nothing listens on (the shared server's key, no
   * retries): a transport failure at once.
   */
  static ApplicationContextRunner unreachable(ApplicationContextRunner runner) {
    return runner.withPropertyValues("inmemory.mode=managed",
        "inmemory.base-url=" + SharedServer.unreachableUrl(),
        "inmemory.api-key=" + SharedServer.get().apiKey(), "inmemory.http.max-retries=0");
  }
}
