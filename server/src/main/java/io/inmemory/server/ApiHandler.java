package io.inmemory.server;

import io.inmemory.AuthenticationException;
import io.inmemory.ExtractionException;
import io.inmemory.InvalidRequestException;
import io.inmemory.PermissionDeniedException;
import io.inmemory.RateLimitedException;
import io.inmemory.wire.ProblemJson;
import io.inmemory.wire.ProblemType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The Jetty handler in front of the route table: request ids, CORS, routing, authentication,
 * rate limiting, scopes, query strings, body limits and media types, and the mapping of every
 * failure to {@code application/problem+json} (see {@link ProblemType}). A body is read without a
 * thread waiting for it ({@link RequestBody}); the route runs once it has arrived. Logs one line
 * per request with its request id and key id; never a key, a body or a query string; a stack trace
 * only for an internal error. Thread-safe.
 */
final class ApiHandler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
  private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  static final String REQUEST_ID_HEADER = "X-Request-Id";

  private final Router router;
  private final ApiKeys keys;
  private final RateLimiter limiter;
  private final Cors cors;
  private final BodyLimits limits;
  private final Idempotency idempotency;
  private final Admission admission;
  private final RequestTimer timer;

  ApiHandler(Router router, ApiKeys keys, RateLimiter limiter, Cors cors, BodyLimits limits,
      Idempotency idempotency, Admission admission, RequestTimer timer) {
    this.router = router;
    this.keys = keys;
    this.limiter = limiter;
    this.cors = cors;
    this.limits = limits;
    this.idempotency = idempotency;
    this.admission = admission;
    this.timer = timer;
  }

  /** One request on its way through the handler. */
  private static final class Exchange {
    final Request request;
    final Response response;
    final Callback callback;
    final RequestBody body;
    final String requestId;
    final String method;
    final String path;
    final long start = System.nanoTime();
    final Map<String, String> headers = new LinkedHashMap<>();
    Principal caller;
    /** The matched route's template, null until routed. */
    @Nullable String route;
    /** Gives back the request memory reserved for the body once the request is answered. */
    Runnable releaseBodyMemory = () -> { };

    Exchange(Request request, Response response, Callback callback, BodyLimits limits) {
      this.request = request;
      this.response = response;
      this.callback = callback;
      this.body = new RequestBody(request, limits);
      this.requestId = requestId(request.getHeaders().get(REQUEST_ID_HEADER));
      this.method = request.getMethod();
      this.path = Request.getPathInContext(request);
      headers.put(REQUEST_ID_HEADER, requestId);
    }
  }

  /** A routed, authorized request: whether its route reads a body, and what answers it. */
  private record Prepared(boolean readsBody, String mediaType, Function<byte[], Reply> answer) {}

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Exchange exchange = new Exchange(request, response, callback, limits);
    inContext(exchange, () -> {
      String origin = request.getHeaders().get(HttpHeader.ORIGIN);
      if (exchange.method.equals("OPTIONS")
          && request.getHeaders().get(HttpHeader.ACCESS_CONTROL_REQUEST_METHOD) != null) {
        exchange.headers.putAll(cors.preflight(origin));
        finish(exchange, new Reply(204, null, new byte[0], Map.of()));
        return;
      }
      exchange.headers.putAll(cors.headers(origin));
      Prepared prepared;
      try {
        prepared = prepare(exchange);
      } catch (RuntimeException e) {
        finish(exchange, reply(exchange, e));
        return;
      }
      if (!prepared.readsBody()) {
        respond(exchange, () -> prepared.answer().apply(new byte[0]));
        return;
      }
      try {
        exchange.releaseBodyMemory = admission.reserveBody(request);
      } catch (RuntimeException e) {
        finish(exchange, reply(exchange, e));
        return;
      }
      // no thread waits for the body: this continues when its last byte arrives
      exchange.body.read(
          body -> inContext(exchange, () -> respond(exchange,
              () -> prepared.answer().apply(checked(request, prepared.mediaType(), body)))),
          problem -> inContext(exchange, () -> finish(exchange, reply(exchange, problem))));
    });
    return true;
  }

  /** Runs {@code step} with the request id in the logging context of the current thread. */
  private static void inContext(Exchange exchange, Runnable step) {
    String outer = MDC.get("request_id");
    MDC.put("request_id", exchange.requestId);
    try {
      step.run();
    } finally {
      if (outer == null) {
        MDC.remove("request_id");
      } else {
        MDC.put("request_id", outer);
      }
    }
  }

  /** Routes, authenticates, rate-limits and checks the scope of a request; reads no body. */
  private Prepared prepare(Exchange exchange) {
    Request request = exchange.request;
    Router.Match match = router.match(exchange.method, exchange.path);
    Route route = match.route();
    exchange.route = route.template();
    Principal principal = null;
    if (route.access() != Route.Access.PUBLIC) {
      principal = keys.authenticate(presentedKey(request));
      exchange.caller = principal;
      long remaining = limiter.acquire(principal.keyId());
      if (remaining >= 0) {
        exchange.headers.put("X-RateLimit-Remaining", String.valueOf(remaining));
      }
      if (route.access().scope() != null && !principal.has(route.access().scope())) {
        throw new PermissionDeniedException("This API key lacks the '"
            + route.access().scope().name().toLowerCase(Locale.ROOT) + "' scope");
      }
    }
    Fields query = QueryParameters.of(request, route);
    String idempotencyKey = request.getHeaders().get(Idempotency.HEADER);
    Principal caller = principal;
    return new Prepared(route.requestSchema() != null, route.requestMediaType(), body -> {
      Call call = new Call(match.params(), query, () -> Json.parse(body), caller,
          request.getHeaders(), body, exchange.requestId);
      if (route.idempotent() && idempotencyKey != null) {
        return idempotency.run(caller.projectId(), idempotencyKey, exchange.method,
            route.template(), body, () -> answer(route, call));
      }
      return answer(route, call);
    });
  }

  private static Reply answer(Route route, Call call) {
    Object result = route.handler().handle(call);
    if (result instanceof Reply reply) {
      return reply;
    }
    return Reply.json(route.status(), result);
  }

  /** Answers with what {@code work} returns, or with the problem it throws. */
  private void respond(Exchange exchange, Supplier<Reply> work) {
    Reply reply;
    try {
      reply = work.get();
    } catch (RuntimeException e) {
      reply = reply(exchange, e);
    }
    finish(exchange, reply);
  }

  private static Reply reply(Exchange exchange, RuntimeException error) {
    if (error instanceof ProblemException problem) {
      exchange.headers.putAll(problem.headers());
      return problem(problem.type(), problem.status(), problem.getMessage(), exchange.path,
          exchange.requestId, Map.of());
    }
    return problem(error, exchange.path, exchange.requestId, exchange.headers);
  }

  /** Sends {@code reply} with the exchange's headers and logs the request's one line. */
  private void finish(Exchange exchange, Reply reply) {
    exchange.releaseBodyMemory.run();
    Reply sent = reply;
    RequestBody.Answer answer;
    try {
      answer = content(exchange, reply);
    } catch (RuntimeException e) {
      // the JSON could not be written, or a large answer found no turn: nothing was sent yet
      sent = reply(exchange, e);
      answer = bytes(ByteBuffer.wrap(sent.body()));
    }
    // the reply's own headers are set after the exchange's, so they win, as in one merged map
    exchange.headers.forEach(exchange.response.getHeaders()::put);
    head(exchange.response, sent);
    long nanos = System.nanoTime() - exchange.start;
    timer.record(exchange.method, exchange.route != null ? exchange.route
        : sent.status() == 404 ? ServerMetrics.NOT_FOUND : ServerMetrics.UNKNOWN,
        sent.status(), nanos);
    LOG.info("{} {} {} {}ms key={} request={}", exchange.method, exchange.path, sent.status(),
        nanos / 1_000_000,
        exchange.caller == null ? "-" : exchange.caller.keyId(), exchange.requestId);
    exchange.body.answer(exchange.response, answer, exchange.callback);
  }

  /**
   * How the body of {@code reply} is sent: bytes and small JSON in one write, larger JSON streamed
   * in a turn of {@link Admission#largeAnswer()} (see {@link JsonAnswer}).
   *
   * @throws ProblemException {@link ProblemType#OVERLOADED} when a large answer gets no turn
   */
  private RequestBody.Answer content(Exchange exchange, Reply reply) {
    if (reply.json() == null) {
      return bytes(ByteBuffer.wrap(reply.body()));
    }
    if (reply.json() instanceof Reply.BodyWriter writer) {
      return streamed(exchange, response -> JsonAnswer.stream(writer, response));
    }
    ByteBuffer small = JsonAnswer.small(reply.json(), JsonAnswer.BUFFER);
    if (small != null) {
      return bytes(small);
    }
    return streamed(exchange, response -> JsonAnswer.stream(reply.json(), response));
  }

  /** Sends a body in a turn of {@link Admission#largeAnswer()}, as {@code stream} writes it. */
  private RequestBody.Answer streamed(Exchange exchange, Streaming stream) {
    Runnable turn = admission.largeAnswer();
    return (response, done) -> {
      Exception failure = null;
      try {
        stream.to(response);
      } catch (IOException | RuntimeException e) {
        failure = e;
      } finally {
        turn.run();
      }
      if (failure == null) {
        done.succeeded();
      } else {
        // the status line is sent: the connection is closed, the client sees an incomplete body
        LOG.info("The answer to request {} was cut off: {}", exchange.requestId,
            failure.toString());
        done.failed(failure);
      }
    };
  }

  /** Writes an answer's body to the response, blocking while the client reads. */
  @FunctionalInterface
  private interface Streaming {
    void to(Response response) throws IOException;
  }

  private static RequestBody.Answer bytes(ByteBuffer bytes) {
    return (response, done) -> response.write(true, bytes, done);
  }

  private static String presentedKey(Request request) {
    String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    if (authorization != null) {
      String[] parts = authorization.trim().split("\\s+", 2);
      if (parts.length == 2 && parts[0].equalsIgnoreCase("Bearer") && !parts[1].isBlank()) {
        return parts[1].trim();
      }
      throw new AuthenticationException("The Authorization header must be 'Bearer <API key>'");
    }
    String key = request.getHeaders().get("X-API-Key");
    if (key == null || key.isBlank()) {
      throw new AuthenticationException("Missing API key: send 'Authorization: Bearer <key>' or"
          + " 'X-API-Key: <key>'");
    }
    return key.trim();
  }

  /**
   * The body when it is of the route's media type (JSON: also {@code +json} types), or empty
   * without a media type.
   */
  private static byte[] checked(Request request, String expected, byte[] bytes) {
    String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    if (bytes.length > 0 || type != null) {
      String media = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
      boolean json = expected.equals("application/json") && media.endsWith("+json");
      if (!media.equals(expected) && !json) {
        throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE,
            "The request body must be " + expected + ", was '" + (type == null ? "" : type)
                + "'");
      }
    }
    return bytes;
  }

  private static Reply problem(RuntimeException error, String path, String requestId,
      Map<String, String> headers) {
    ProblemType type = ProblemType.of(error);
    Map<String, Object> extra = Map.of();
    String detail = error.getMessage();
    switch (type) {
      case VALIDATION, CONTENT_TOO_LARGE ->
          extra = ProblemJson.violations((InvalidRequestException) error);
      case RATE_LIMITED -> {
        long seconds = Math.max(1,
            (((RateLimitedException) error).retryAfter().toMillis() + 999) / 1000);
        headers.put("Retry-After", String.valueOf(seconds));
        extra = ProblemJson.retryAfter(seconds);
      }
      case EXTRACTION_FAILED -> {
        // the model endpoint's delay is the client's to honour: no Retry-After header, as the
        // client never retries an extraction by itself
        // the message may quote the model's answer (which can repeat the conversation) and name
        // the endpoint: neither leaves the server, in the answer or in the log
        ExtractionException failure = (ExtractionException) error;
        detail = failure.summary();
        LOG.warn("{} (request {})", detail, requestId);
        extra = ProblemJson.extraction(failure);
      }
      case STORAGE_UNAVAILABLE -> {
        LOG.warn("Storage failure (request {}): {}", requestId, error.toString());
        detail = "The store is unavailable; retry later (request id " + requestId + ")";
      }
      case INTERNAL -> {
        LOG.error("Internal error (request {})", requestId, error);
        detail = "An internal error occurred (request id " + requestId + ")";
      }
      default -> { }
    }
    return problem(type, detail, path, requestId, extra);
  }

  /**
   * Answers what Jetty rejects before any handler runs (malformed requests, oversized headers)
   * as a problem too, instead of an HTML error page, saying {@code Connection: close}: Jetty
   * closes the connection after it, and a client must not send its next request on it.
   */
  static Request.Handler errorHandler() {
    return (request, response, callback) -> {
      int status = request.getAttribute(ErrorHandler.ERROR_STATUS) instanceof Integer code
          ? code : 500;
      if (status == 505
          && request.getAttribute(ErrorHandler.ERROR_EXCEPTION) instanceof HttpException) {
        // Jetty's parser answers an HTTP version it does not take (HTTP/1.2) 505: the client's
        // mistake, answered 400 so that no client error is a 5xx
        status = 400;
      }
      ProblemType type = status == 413 ? ProblemType.REQUEST_TOO_LARGE
          : status >= 500 ? ProblemType.INTERNAL : ProblemType.PROTOCOL;
      Object message = request.getAttribute(ErrorHandler.ERROR_MESSAGE);
      String detail = type == ProblemType.INTERNAL || message == null
          ? type.title() : message.toString();
      String requestId = UUID.randomUUID().toString();
      Reply reply = problem(type, status, detail, null, requestId, Map.of());
      // the request's one line, as for routed requests; the detail may quote the client's bytes
      LOG.info("{} {} refused by the HTTP parser request={}", request.getMethod(), status,
          requestId);
      response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
      send(response, callback, reply);
      return true;
    };
  }

  private static Reply problem(ProblemType type, @Nullable String detail, String path,
      String requestId, Map<String, Object> extra) {
    return problem(type, type.status(), detail, path, requestId, extra);
  }

  private static Reply problem(ProblemType type, int status, @Nullable String detail,
      @Nullable String path, String requestId, Map<String, Object> extra) {
    Map<String, Object> json = ProblemJson.write(type, status, detail, path, requestId, extra);
    return new Reply(status, "application/problem+json", Json.write(json),
        Map.of(REQUEST_ID_HEADER, requestId));
  }

  private static void send(Response response, Callback callback, Reply reply) {
    head(response, reply);
    response.write(true, ByteBuffer.wrap(reply.body()), callback);
  }

  /** Sets the status and headers of {@code reply} on {@code response}. */
  private static void head(Response response, Reply reply) {
    response.setStatus(reply.status());
    reply.headers().forEach((name, value) -> response.getHeaders().put(name, value));
    if (reply.contentType() != null) {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
    }
  }

  private static String requestId(String given) {
    return given != null && REQUEST_ID.matcher(given).matches()
        ? given : UUID.randomUUID().toString();
  }
}
