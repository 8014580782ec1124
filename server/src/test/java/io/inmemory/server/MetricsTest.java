package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.InMemoryConfig;
import io.inmemory.server.TestServer.Answer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /metrics} on a real server on a loopback port: admin keys only, Prometheus's text
 * format, requests counted by route template (never by raw path), the engine's partition cache,
 * Jetty and the JVM. The scrape is read by a small parser of the text format, so a malformed line
 * fails the test.
 */
class MetricsTest {
  private static final String REQUESTS = "http_server_requests_seconds_count";

  @Test
  void onlyAdminKeysReadTheMetrics() {
    try (TestServer server = new TestServer()) {
      assertThat(server.get("/metrics", null).status()).isEqualTo(401);
      String project = server.newKey("p1", "read", "write", "keys");
      Answer refused = server.get("/metrics", project);
      assertThat(refused.status()).isEqualTo(403);
      assertThat(refused.problemType()).isEqualTo("urn:inmemory:problem:permission-denied");

      Answer answer = server.get("/metrics", TestServer.ADMIN);
      assertThat(answer.status()).as(answer.describe()).isEqualTo(200);
      assertThat(answer.header("Content-Type")).startsWith("text/plain; version=0.0.4");
      // the two refusals are counted under the route, with their status
      List<Sample> samples = parse(answer.response().body());
      assertThat(value(samples, REQUESTS, Map.of("method", "GET", "uri", "/metrics",
          "status", "401", "outcome", "CLIENT_ERROR"))).isEqualTo(1);
      assertThat(value(samples, REQUESTS, Map.of("method", "GET", "uri", "/metrics",
          "status", "403", "outcome", "CLIENT_ERROR"))).isEqualTo(1);
    }
  }

  @Test
  void requestsAreCountedByRouteTemplateMethodAndStatus() {
    try (TestServer server = new TestServer()) {
      String key = server.newKey("p1");
      List<Sample> before = scrape(server);
      Map<String, String> found = Map.of("method", "GET", "uri", "/v1/memories/{memory_id}",
          "status", "200", "outcome", "SUCCESS");
      Map<String, String> missing = Map.of("method", "GET", "uri", "/v1/memories/{memory_id}",
          "status", "404", "outcome", "CLIENT_ERROR");
      Map<String, String> added = Map.of("method", "POST", "uri", "/v1/memories",
          "status", "201", "outcome", "SUCCESS");
      Map<String, String> noRoute = Map.of("method", "GET", "uri", ServerMetrics.NOT_FOUND,
          "status", "404", "outcome", "CLIENT_ERROR");

      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        ids.add(server.add(key, "alice", "alice likes tea number " + i, Map.of()));
      }
      for (String id : ids) {
        assertThat(server.get("/v1/memories/" + id + "?user_id=alice", key).status())
            .isEqualTo(200);
      }
      assertThat(server.get("/v1/memories/mem_missing?user_id=alice", key).status())
          .isEqualTo(404);
      for (int i = 0; i < 5; i++) {
        assertThat(server.get("/random/path-" + i, key).status()).isEqualTo(404);
      }

      List<Sample> after = scrape(server);
      assertThat(value(after, REQUESTS, added) - value(before, REQUESTS, added)).isEqualTo(3);
      assertThat(value(after, REQUESTS, found) - value(before, REQUESTS, found)).isEqualTo(3);
      assertThat(value(after, REQUESTS, missing) - value(before, REQUESTS, missing))
          .isEqualTo(1);
      assertThat(value(after, REQUESTS, noRoute) - value(before, REQUESTS, noRoute))
          .isEqualTo(5);
      // no series names a raw path: an id or a made-up path cannot grow the series
      assertThat(after).filteredOn(sample -> sample.name().startsWith("http_server_requests"))
          .allSatisfy(sample -> assertThat(sample.labels().get("uri"))
              .doesNotContain("random", "mem_").doesNotStartWith("/v1/memories/mem"));
      for (String id : ids) {
        assertThat(after).noneMatch(sample -> sample.labels().containsValue(
            "/v1/memories/" + id));
      }
      // latency buckets: the 3 found requests all lie within the 10 s bucket
      assertThat(value(after, "http_server_requests_seconds_bucket",
          with(found, "le", "10.0")) - value(before, "http_server_requests_seconds_bucket",
          with(found, "le", "10.0"))).isEqualTo(3);
    }
  }

  @Test
  void theEnginesCacheJettyAndTheJvmAreMeasured() {
    try (TestServer server = new TestServer()) {
      String key = server.newKey("p1");
      server.add(key, "alice", "alice likes tea", Map.of());
      server.add(key, "bob", "bob likes coffee", Map.of());
      server.add(key, "carol", "carol likes water", Map.of());
      // a collection before the scrape: a gauge that holds its source weakly reads NaN after it
      System.gc();

      List<Sample> samples = scrape(server);
      var stats = server.memory.cacheStats();
      assertThat(value(samples, "inmemory_partition_cache_partitions", Map.of()))
          .isEqualTo(stats.heldPartitions()).isEqualTo(3);
      assertThat(value(samples, "inmemory_partition_cache_memories", Map.of())).isEqualTo(3);
      assertThat(value(samples, "inmemory_partition_cache_size_bytes", Map.of()))
          .isPositive();
      assertThat(value(samples, "inmemory_partition_cache_budget_bytes", Map.of()))
          .isEqualTo(stats.budgetBytes());
      assertThat(value(samples, "inmemory_partition_cache_loads_total", Map.of()))
          .isEqualTo(stats.loads()).isGreaterThanOrEqualTo(3);
      assertThat(names(samples)).contains("inmemory_partition_cache_hits_total",
          "inmemory_partition_cache_evictions_total", "inmemory_partition_cache_adoptions_total",
          "inmemory_partition_cache_load_average_seconds",
          "jetty_threads_config_max", "jetty_threads_busy",
          "jetty_connections_current_connections",
          "jvm_memory_used_bytes", "jvm_threads_live_threads", "process_uptime_seconds");
      // the volatile store has no change feed: no feed series rather than false zeros
      assertThat(names(samples)).noneMatch(name -> name.startsWith("inmemory_cluster_feed"));
      assertThat(value(samples, "jetty_threads_config_max", Map.of()))
          .isEqualTo(ServerSettings.from(InMemoryConfig.builder().isolated().build())
              .workers());
    }
  }

  @Test
  void openMetricsWhenTheScraperAsksForIt() {
    try (TestServer server = new TestServer()) {
      Answer answer = server.send("GET", "/metrics", TestServer.ADMIN, null,
          Map.of("Accept", "application/openmetrics-text;version=1.0.0,text/plain;q=0.5"));
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.header("Content-Type")).startsWith("application/openmetrics-text");
      assertThat(answer.response().body()).endsWith("# EOF\n")
          .contains("# TYPE inmemory_partition_cache_partitions gauge");
      assertThat(server.get("/metrics", TestServer.ADMIN).response().body())
          .doesNotContain("# EOF");
    }
  }

  /** A server that opens its own engine times that engine's embeddings and store calls. */
  @Test
  void theEngineItOpensReportsEmbeddingsAndStoreCalls() {
    try (InMemoryServer server = InMemoryServer.builder().config(InMemoryConfig.builder()
            .isolated().set(InMemoryConfig.STORE.name(), "memory").build())
        .port(0).adminKey(TestServer.ADMIN).start()) {
      int port = server.port();
      String key = TestServer.newKey(port, "p1");
      for (String content : List.of("alice likes tea", "alice has a cat")) {
        assertThat(TestServer.send(port, "POST", "/v1/memories", key,
            Map.of("memory_content", content, "user_id", "alice"), Map.of()).status())
            .isEqualTo(201);
      }
      for (int i = 0; i < 2; i++) {
        assertThat(TestServer.send(port, "POST", "/v1/memories/search", key,
            Map.of("query", "what does alice drink", "user_id", "alice"), Map.of()).status())
            .isEqualTo(200);
      }
      Answer answer = TestServer.send(port, "GET", "/metrics", TestServer.ADMIN, null, Map.of());
      assertThat(answer.status()).isEqualTo(200);
      List<Sample> samples = parse(answer.response().body());

      assertThat(value(samples, "inmemory_embedding_seconds_count",
          Map.of("purpose", "document", "outcome", "success"))).isEqualTo(2);
      assertThat(value(samples, "inmemory_embedding_seconds_count",
          Map.of("purpose", "query", "outcome", "success"))).isEqualTo(1);
      assertThat(value(samples, "inmemory_embedding_texts_sum",
          Map.of("purpose", "document"))).isEqualTo(2);
      assertThat(value(samples, "inmemory_embedding_query_cache_total",
          Map.of("result", "miss"))).isEqualTo(1);
      assertThat(value(samples, "inmemory_embedding_query_cache_total",
          Map.of("result", "hit"))).isEqualTo(1);
      assertThat(value(samples, "inmemory_store_operations_seconds_count",
          Map.of("operation", "insert", "outcome", "success"))).isEqualTo(2);
      assertThat(value(samples, "inmemory_store_operations_seconds_count",
          Map.of("operation", "load", "outcome", "success"))).isEqualTo(1);
    }
  }

  @Test
  void turnedOffThereIsNoRouteAndNothingDocumented() {
    try (TestServer server = new TestServer(
        config -> config.set(ServerSettings.METRICS_ENABLED.name(), "false"))) {
      Answer answer = server.get("/metrics", TestServer.ADMIN);
      assertThat(answer.status()).isEqualTo(404);
      assertThat(answer.problemType()).isEqualTo("urn:inmemory:problem:no-route");
      assertThat(server.get("/openapi.json", null).json().path("paths").has("/metrics"))
          .isFalse();
    }
  }

  // ------------------------------------------------------------------ the text format

  /** One sample line: {@code name{label="value",...} number}. */
  record Sample(String name, Map<String, String> labels, double value) {}

  private static final Pattern LINE = Pattern.compile(
      "([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)");
  private static final Pattern LABEL = Pattern.compile(
      "([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

  private static List<Sample> scrape(TestServer server) {
    Answer answer = server.get("/metrics", TestServer.ADMIN);
    assertThat(answer.status()).as(answer.describe()).isEqualTo(200);
    return parse(answer.response().body());
  }

  static List<Sample> parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Matcher matcher = LINE.matcher(line);
      assertThat(matcher.matches()).as("a sample line: %s", line).isTrue();
      Map<String, String> labels = new LinkedHashMap<>();
      if (matcher.group(2) != null) {
        Matcher label = LABEL.matcher(matcher.group(2));
        int end = 0;
        while (label.find() && label.start() == end) {
          labels.put(label.group(1), label.group(2));
          end = label.end();
        }
        assertThat(end).as("labels of %s", line).isEqualTo(matcher.group(2).length());
      }
      samples.add(new Sample(matcher.group(1), labels, Double.parseDouble(matcher.group(3))));
    }
    return samples;
  }

  /** The value of the one sample of {@code name} carrying {@code labels}; 0 when none does. */
  private static double value(List<Sample> samples, String name, Map<String, String> labels) {
    List<Sample> matching = samples.stream().filter(sample -> sample.name().equals(name)
        && sample.labels().entrySet().containsAll(labels.entrySet())).toList();
    assertThat(matching).as("%s%s", name, labels).hasSizeLessThanOrEqualTo(1);
    return matching.isEmpty() ? 0 : matching.get(0).value();
  }

  private static List<String> names(List<Sample> samples) {
    return samples.stream().map(Sample::name).distinct().toList();
  }

  private static Map<String, String> with(Map<String, String> labels, String name,
      String value) {
    Map<String, String> more = new LinkedHashMap<>(labels);
    more.put(name, value);
    return more;
  }
}
