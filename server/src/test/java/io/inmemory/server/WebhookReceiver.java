package io.inmemory.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.function.Predicate;

/**
 * A webhook receiver for tests: the JDK's HTTP server on a free loopback port, answering from a
 * script (then {@link #fallback}) and recording every request with its headers and raw body.
 * Thread-safe.
 */
final class WebhookReceiver implements AutoCloseable {

  /** One scripted answer. */
  record Answer(int status, Map<String, String> headers, String body, Duration delay) {
    static Answer of(int status) {
      return new Answer(status, Map.of(), "", Duration.ZERO);
    }

    Answer withHeader(String name, String value) {
      return new Answer(status, Map.of(name, value), body, delay);
    }

    Answer withBody(String text) {
      return new Answer(status, headers, text, delay);
    }

    Answer after(Duration wait) {
      return new Answer(status, headers, body, wait);
    }
  }

  /** One request received: lower-case header names, first values. */
  record Received(String method, String path, Map<String, String> headers, byte[] body,
      long atNanos) {
    String header(String name) {
      return headers.get(name);
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
  private final List<Received> received = new ArrayList<>();
  private volatile Answer fallback = Answer.of(200);

  WebhookReceiver() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The URL of {@code path} on this receiver, such as {@code http://127.0.0.1:4711/hook}. */
  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** Answers the next requests with {@code answers}, in order, then with the fallback. */
  WebhookReceiver script(Answer... answers) {
    script.addAll(List.of(answers));
    return this;
  }

  /** The answer once the script is used up. */
  WebhookReceiver fallback(Answer answer) {
    fallback = Objects.requireNonNull(answer);
    return this;
  }

  /** Every request so far, in arrival order. */
  List<Received> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  /** Waits (up to {@code timeout}) until the requests so far satisfy {@code condition}. */
  List<Received> await(Predicate<List<Received>> condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (received) {
      while (!condition.test(received)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("the receiver did not get what was awaited; it got "
              + received.size() + " requests: " + received.stream().map(Received::text).toList());
        }
        received.wait(Math.max(1, left / 1_000_000));
      }
      return List.copyOf(received);
    }
  }

  /** Waits until at least {@code count} requests arrived. */
  List<Received> await(int count) throws InterruptedException {
    return await(all -> all.size() >= count, Duration.ofSeconds(10));
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    Map<String, String> headers = new TreeMap<>();
    exchange.getRequestHeaders().forEach((name, values) ->
        headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
    synchronized (received) {
      received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
          Map.copyOf(headers), body, System.nanoTime()));
      received.notifyAll();
    }
    Answer answer = script.poll();
    if (answer == null) {
      answer = fallback;
    }
    try {
      Thread.sleep(answer.delay().toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
    byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(answer.status(), out.length == 0 ? -1 : out.length);
    if (out.length > 0) {
      exchange.getResponseBody().write(out);
    }
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
