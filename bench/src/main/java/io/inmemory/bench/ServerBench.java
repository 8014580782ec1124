package io.inmemory.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.inmemory.InMemoryConfig;
import io.inmemory.engine.Memory;
import io.inmemory.server.InMemoryServer;
import io.inmemory.store.file.FileStoreProvider;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * The server under concurrent load on loopback, with authentication on: a closed-loop Java load
 * driver ({@code java.net.http}, one keep-alive connection per simulated client) runs adds and
 * searches for a fixed time or request count per concurrency level and reports requests/s, p50,
 * p99 and errors (any non-2xx answer or I/O failure).
 *
 * <p>Usage: {@code server [--connections 1,16,64] [--seconds 10] [--max-requests 200000]
 * [--store memory|file] [--url URL --key KEY]}. Without {@code --url} the server runs in this JVM
 * (real ONNX embedder, rate limit off) and shares the machine's cores with the driver, as a
 * server and its clients on one 2-core box would. Searches repeat a small set of queries, so
 * their query embeddings are cached; every add embeds new content.
 */
final class ServerBench {
  private static final String ADMIN = "bench-admin-key-0123456789abcdef0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] QUERIES = {
      "what food does the user like", "meetings next week", "who is allergic to peanuts",
      "hobbies on weekends", "travel plans", "the dog's vet appointment", "books to read",
      "work deadlines"};
  private static final String[] NOTES = {
      "prefers morning meetings", "is allergic to peanuts", "moved to Berlin last spring",
      "wants the Q4 planning deck by Friday", "plays tennis on weekends",
      "is learning Japanese and practices every evening", "takes the dog to the vet monthly",
      "reads science fiction before bed"};

  private ServerBench() {}

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    int[] connections = options.integers("connections", "1,16,64");
    Duration duration = Duration.ofSeconds(options.integer("seconds", 10));
    long maxRequests = options.integer("max-requests", 200_000);
    String url = options.get("url");
    Path dir = null;
    Memory memory = null;
    InMemoryServer server = null;
    String key = options.get("key");
    if (url == null) {
      dir = Files.createTempDirectory("inmemory-server-bench");
      memory = new Memory(InMemoryConfig.builder().isolated().set(InMemoryConfig.MODE, "local")
          .set(InMemoryConfig.STORE, options.get("store", "memory"))
          .set(FileStoreProvider.DIR, dir).build());
      server = InMemoryServer.builder().config(InMemoryConfig.builder().isolated()
              .set(InMemoryServer.RATE_LIMIT_PER_MINUTE.name(), "0")
              .set(InMemoryServer.WORKERS.name(), "128").build())
          .memory(memory).port(0).adminKey(ADMIN).start();
      url = "http://127.0.0.1:" + server.port();
    }
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .executor(Executors.newFixedThreadPool(4)).build();
    try {
      if (key == null) {
        key = JSON.readTree(send(client, post(url + "/v1/auth/generate-key", ADMIN,
            "{\"project_id\":\"bench\"}")).body()).get("key").asText();
      }
      String apiKey = key;
      String base = url;
      seed(client, base, apiKey);
      System.out.printf("## Server on loopback: %s, %d processors, %s per level (at most %,d"
              + " requests), authentication on%n%n", server == null ? base
              : "in-process, store " + options.get("store", "memory"),
          Runtime.getRuntime().availableProcessors(), duration, maxRequests);
      System.out.println("| operation | connections | requests/s | p50 ms | p99 ms | requests"
          + " | errors |");
      System.out.println("|---|---:|---:|---:|---:|---:|---:|");
      LongFunction<HttpRequest> search = i -> post(base + "/v1/memories/search", apiKey,
          "{\"query\":\"" + QUERIES[(int) (i % QUERIES.length)] + "\",\"user_id\":\"user-"
              + (i % 10) + "\",\"limit\":10}");
      LongFunction<HttpRequest> add = i -> post(base + "/v1/memories", apiKey,
          "{\"memory_content\":\"Load note " + i + ": the user " + NOTES[(int) (i % NOTES.length)]
              + "\",\"user_id\":\"load-user-" + (i % 50) + "\",\"tags\":[\"load\"]}");
      // a short warm-up of both paths, not reported
      run(client, search, 16, Duration.ofSeconds(3), maxRequests, null);
      run(client, add, 16, Duration.ofSeconds(3), maxRequests, null);
      for (int c : connections) {
        run(client, search, c, duration, maxRequests, "search (cached query embedding)");
      }
      for (int c : connections) {
        run(client, add, c, duration, maxRequests, "add (embeds new content)");
      }
    } finally {
      if (server != null) {
        server.close();
        memory.close();
        StoreBench.deleteRecursively(dir);
      }
    }
  }

  /** 1,000 memories over ten users, so searches have something to rank. */
  private static void seed(HttpClient client, String url, String key) throws Exception {
    for (int user = 0; user < 10; user++) {
      StringBuilder body = new StringBuilder("{\"memories\":[");
      for (int i = 0; i < 100; i++) {
        body.append(i == 0 ? "" : ",").append("{\"memory_content\":\"Note ").append(i)
            .append(": the user ").append(NOTES[i % NOTES.length])
            .append("\",\"user_id\":\"user-").append(user).append("\"}");
      }
      HttpResponse<String> response = send(client, post(url + "/v1/memories/batch", key,
          body.append("]}").toString()));
      if (response.statusCode() != 201) {
        throw new IllegalStateException("seeding failed: " + response.body());
      }
    }
  }

  private static void run(HttpClient client, LongFunction<HttpRequest> requests, int connections,
      Duration duration, long maxRequests, String label) throws Exception {
    AtomicLong issued = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    long deadline = System.nanoTime() + duration.toNanos();
    ExecutorService drivers = Executors.newFixedThreadPool(connections);
    List<Future<long[]>> futures = new ArrayList<>();
    long start = System.nanoTime();
    for (int c = 0; c < connections; c++) {
      futures.add(drivers.submit(() -> {
        long[] latencies = new long[1024];
        int count = 0;
        for (long i; System.nanoTime() < deadline && (i = issued.getAndIncrement()) < maxRequests;
            ) {
          long t0 = System.nanoTime();
          try {
            if (send(client, requests.apply(i)).statusCode() / 100 != 2) {
              errors.incrementAndGet();
            }
          } catch (IOException e) {
            errors.incrementAndGet();
          }
          if (count == latencies.length) {
            latencies = Arrays.copyOf(latencies, count * 2);
          }
          latencies[count++] = System.nanoTime() - t0;
        }
        return Arrays.copyOf(latencies, count);
      }));
    }
    List<long[]> parts = new ArrayList<>();
    for (Future<long[]> future : futures) {
      parts.add(future.get());
    }
    long elapsed = System.nanoTime() - start;
    drivers.shutdown();
    long[] all = parts.stream().flatMapToLong(Arrays::stream).toArray();
    if (label != null) {
      System.out.printf("| %s | %d | %,.0f | %.2f | %.2f | %,d | %d |%n", label, connections,
          all.length / (elapsed / 1e9), Stats.percentileMillis(all, 50),
          Stats.percentileMillis(all, 99), all.length, errors.get());
    }
  }

  private static HttpRequest post(String url, String key, String body) {
    return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + key)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  private static HttpResponse<String> send(HttpClient client, HttpRequest request)
      throws IOException {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
