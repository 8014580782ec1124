package io.inmemory.transport.http;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test clients whose retries record their delays instead of waiting them out. */
final class Clients {
  static final String KEY = "im_test-key-0123456789";

  final List<Duration> delays = new CopyOnWriteArrayList<>();

  /** A builder for {@code baseUrl} with the test key, recording retry delays. */
  Inmry.Builder builder(String baseUrl) {
    return Inmry.builder().baseUrl(baseUrl).apiKey(KEY)
        .config(io.inmemory.InMemoryConfig.builder().isolated().build())
        .delays(delay -> {
          delays.add(delay);
          return Runnable::run;
        });
  }
}
