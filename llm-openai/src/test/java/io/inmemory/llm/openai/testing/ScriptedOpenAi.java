package io.inmemory.llm.openai.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A scripted OpenAI-compatible endpoint for tests: a JDK HTTP server on a free loopback port that
 * answers {@code POST /v1/chat/completions} and {@code POST /v1/embeddings} from queues of
 * answers (fixed, or computed from the request), and records every request it receives.
 *
 * <pre>{@code
 * try (ScriptedOpenAi server = ScriptedOpenAi.start()) {
 *   server.onChat(Answer.status(429).header("Retry-After", "1"));
 *   server.onChat(Answer.json("{\"facts\":[]}"));
 *   ... configure inmemory.llm.base-url = server.baseUrl() ...
 *   server.requests();
 * }
 * }</pre>
 *
 * <p>Each queue is consumed first in, first out; when a queue is empty the route's standing
 * answer ({@link #otherwiseChat}, {@link #otherwiseEmbeddings}) answers, and without one the
 * server answers 500 with an error naming the unscripted request, which a test sees as a failure.
 * Any other path answers 404. Thread-safe: requests are served concurrently.
 */
public final class ScriptedOpenAi implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CHAT = "/v1/chat/completions";
  private static final String EMBEDDINGS = "/v1/embeddings";

  private final HttpServer server;
  private final ExecutorService executor;
  private final Map<String, Deque<Function<Request, Answer>>> queues = new LinkedHashMap<>();
  private final Map<String, Function<Request, Answer>> standing = new LinkedHashMap<>();
  private final List<Request> requests = new ArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  private ScriptedOpenAi(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
    queues.put(CHAT, new ArrayDeque<>());
    queues.put(EMBEDDINGS, new ArrayDeque<>());
  }

  static {
    // The JDK server writes an answer's headers and body apart: with Nagle's algorithm against
    // the client's delayed acknowledgement every exchange waited ~40 ms. The server reads this
    // once, when its configuration loads: before the first server of the JVM starts.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  /** Starts a server on {@code 127.0.0.1} at a free port. */
  public static ScriptedOpenAi start() {
    try {
      HttpServer server = HttpServer.create(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "scripted-openai");
        thread.setDaemon(true);
        return thread;
      });
      ScriptedOpenAi scripted = new ScriptedOpenAi(server, executor);
      server.createContext("/", scripted::handle);
      server.setExecutor(executor);
      server.start();
      return scripted;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the scripted OpenAI server", e);
    }
  }

  /** The base URL to configure, such as {@code http://127.0.0.1:41234/v1}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  /** Queues an answer for the next unanswered chat completion. */
  public ScriptedOpenAi onChat(Answer answer) {
    return onChat(request -> answer);
  }

  /** Queues an answer computed from the chat completion request it answers. */
  public ScriptedOpenAi onChat(Function<Request, Answer> answer) {
    return queue(CHAT, answer);
  }

  /** Answers every chat completion the queue has no answer for. */
  public ScriptedOpenAi otherwiseChat(Function<Request, Answer> answer) {
    return standing(CHAT, answer);
  }

  /** Queues an answer for the next unanswered embeddings request. */
  public ScriptedOpenAi onEmbeddings(Answer answer) {
    return onEmbeddings(request -> answer);
  }

  /** Queues an answer computed from the embeddings request it answers. */
  public ScriptedOpenAi onEmbeddings(Function<Request, Answer> answer) {
    return queue(EMBEDDINGS, answer);
  }

  /** Answers every embeddings request the queue has no answer for. */
  public ScriptedOpenAi otherwiseEmbeddings(Function<Request, Answer> answer) {
    return standing(EMBEDDINGS, answer);
  }

  /** Drops the queued answers no request has used yet (standing answers stay). */
  public synchronized void forgetQueued() {
    queues.values().forEach(Deque::clear);
  }

  private synchronized ScriptedOpenAi queue(String path, Function<Request, Answer> answer) {
    queues.get(path).add(Objects.requireNonNull(answer, "answer"));
    return this;
  }

  private synchronized ScriptedOpenAi standing(String path, Function<Request, Answer> answer) {
    standing.put(path, Objects.requireNonNull(answer, "answer"));
    return this;
  }

  /** Every request received so far, in arrival order. */
  public synchronized List<Request> requests() {
    return List.copyOf(requests);
  }

  /** The requests received so far on {@code path}, such as {@code /v1/chat/completions}. */
  public List<Request> requests(String path) {
    return requests().stream().filter(request -> request.path().equals(path)).toList();
  }

  /** The chat completion requests received so far. */
  public List<Request> chatRequests() {
    return requests(CHAT);
  }

  /** The embeddings requests received so far. */
  public List<Request> embeddingRequests() {
    return requests(EMBEDDINGS);
  }

  /** Stops the server at once; answers still being delayed are abandoned. Idempotent. */
  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      long arrivalNanos = System.nanoTime();
      Instant arrival = Instant.now();
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Map<String, List<String>> headers = new LinkedHashMap<>();
      exchange.getRequestHeaders().forEach((name, values) ->
          headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
      String path = exchange.getRequestURI().getPath();
      Request request = new Request(exchange.getRequestMethod(), path, headers, body, arrival,
          arrivalNanos);
      @Nullable Function<Request, Answer> script;
      synchronized (this) {
        requests.add(request);
        Deque<Function<Request, Answer>> queue = queues.get(path);
        script = queue == null ? null
            : Optional.ofNullable(queue.poll()).orElse(standing.get(path));
      }
      Answer answer;
      if (!queues.containsKey(path)) {
        answer = Answer.status(404, error("no route " + path));
      } else if (script == null) {
        answer = Answer.status(500, error("the test scripted no answer for request "
            + requests().size() + " to " + path));
      } else {
        answer = script.apply(request);
      }
      answer.send(exchange);
    }
  }

  private static String error(String message) {
    ObjectNode root = JSON.createObjectNode();
    root.putObject("error").put("message", message).put("type", "scripted");
    return root.toString();
  }

  /**
   * One request as received.
   *
   * @param method the HTTP method
   * @param path the path, such as {@code /v1/chat/completions}
   * @param headers the headers, names in lower case
   * @param body the body as text
   * @param arrival when it arrived
   * @param arrivalNanos when it arrived by {@link System#nanoTime()}, to measure gaps
   */
  public record Request(String method, String path, Map<String, List<String>> headers,
      String body, Instant arrival, long arrivalNanos) {

    public Request {
      headers = Map.copyOf(headers);
    }

    /** The first value of a header (name in any case), if present. */
    public Optional<String> header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The body parsed as JSON. */
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("the request body is not JSON: " + body, e);
      }
    }

    /** The text of the chat request's message at {@code index}. */
    public String messageContent(int index) {
      return json().path("messages").path(index).path("content").asText();
    }

    /** The chat request's user message (its second message) parsed as JSON. */
    public JsonNode userJson() {
      try {
        return JSON.readTree(messageContent(1));
      } catch (IOException e) {
        throw new UncheckedIOException("the user message is not JSON", e);
      }
    }
  }

  /** A scripted answer: status, headers, body and an optional delay before answering. Immutable. */
  public static final class Answer {
    private final int status;
    private final Map<String, String> headers;
    private final String body;
    private final Duration delay;

    private Answer(int status, Map<String, String> headers, String body, Duration delay) {
      this.status = status;
      this.headers = Map.copyOf(headers);
      this.body = body;
      this.delay = delay;
    }

    /** A chat completion whose message content is {@code content} (normally JSON text). */
    public static Answer json(String content) {
      return completion(content, null, "stop");
    }

    /** A chat completion whose message content is prose, not JSON. */
    public static Answer text(String content) {
      return json(content);
    }

    /** A chat completion in which the model refuses, with {@code reason} as its refusal. */
    public static Answer refusal(String reason) {
      return completion(null, reason, "stop");
    }

    /** A chat completion cut off at {@code max_tokens}: {@code finish_reason} is "length". */
    public static Answer truncated() {
      return completion("{\"facts\":[{\"content\":\"John lives in", null, "length");
    }

    /** A status with an OpenAI-style error body. */
    public static Answer status(int status) {
      return status(status, error("scripted status " + status));
    }

    /** A status with the given JSON body. */
    public static Answer status(int status, String jsonBody) {
      return new Answer(status, Map.of("Content-Type", "application/json"), jsonBody,
          Duration.ZERO);
    }

    /** A 200 answer whose body is plain text, not JSON. */
    public static Answer plainText(String body) {
      return new Answer(200, Map.of("Content-Type", "text/plain"), body, Duration.ZERO);
    }

    /** A valid empty-facts completion sent after {@code delay}, to exceed a request timeout. */
    public static Answer delay(Duration delay) {
      return json("{\"facts\":[]}").delayed(delay);
    }

    /**
     * An embeddings answer computed from the request: one vector per input by {@code vectors},
     * listed in reverse order (the API orders by {@code index}, and a client must too).
     */
    public static Function<Request, Answer> vectors(Function<String, float[]> vectors) {
      return request -> {
        JsonNode input = request.json().path("input");
        ObjectNode root = JSON.createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        for (int i = input.size() - 1; i >= 0; i--) {
          ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
          ArrayNode embedding = item.putArray("embedding");
          for (float component : vectors.apply(input.get(i).asText())) {
            embedding.add(component);
          }
        }
        root.put("model", request.json().path("model").asText());
        return status(200, root.toString());
      };
    }

    /** This answer with a further header. */
    public Answer header(String name, String value) {
      Map<String, String> more = new LinkedHashMap<>(headers);
      more.put(name, value);
      return new Answer(status, more, body, delay);
    }

    /** This answer sent after {@code delay}. */
    public Answer delayed(Duration delay) {
      return new Answer(status, headers, body, delay);
    }

    private static Answer completion(@Nullable String content, @Nullable String refusal,
        String finishReason) {
      ObjectNode root = JSON.createObjectNode().put("id", "chatcmpl-scripted")
          .put("object", "chat.completion").put("model", "scripted");
      ObjectNode choice = root.putArray("choices").addObject();
      choice.put("index", 0).put("finish_reason", finishReason);
      ObjectNode message = choice.putObject("message").put("role", "assistant");
      message.put("content", content);
      message.put("refusal", refusal);
      return status(200, root.toString());
    }

    private void send(HttpExchange exchange) throws IOException {
      if (!delay.isZero()) {
        try {
          Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      try {
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      } catch (IOException e) {
        // The client gave up waiting (a timeout under test): nobody reads this answer.
      }
    }
  }
}
