package io.inmemory.server;

import io.inmemory.AuthenticationException;
import io.inmemory.ContentTooLargeException;
import io.inmemory.InvalidRequestException;
import io.inmemory.PermissionDeniedException;
import io.inmemory.RateLimitedException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The Jetty handler in front of the route table: request ids, CORS, routing, authentication,
 * rate limiting, scopes, body limits and media types, and the mapping of every failure to
 * {@code application/problem+json} (see {@link ProblemType}). Logs one line per request with its
 * request id and key id; never a key, a body or a query string. Thread-safe.
 */
final class ApiHandler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
  private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  static final String REQUEST_ID_HEADER = "X-Request-Id";

  private final Router router;
  private final ApiKeys keys;
  private final RateLimiter limiter;
  private final Cors cors;
  private final long maxRequestSize;
  private final Idempotency idempotency;
  private final Admission admission;

  ApiHandler(Router router, ApiKeys keys, RateLimiter limiter, Cors cors, long maxRequestSize,
      Idempotency idempotency, Admission admission) {
    this.router = router;
    this.keys = keys;
    this.limiter = limiter;
    this.cors = cors;
    this.maxRequestSize = maxRequestSize;
    this.idempotency = idempotency;
    this.admission = admission;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    long start = System.nanoTime();
    String requestId = requestId(request.getHeaders().get(REQUEST_ID_HEADER));
    String method = request.getMethod();
    String path = Request.getPathInContext(request);
    MDC.put("request_id", requestId);
    Principal[] caller = new Principal[1];
    int status;
    try {
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put(REQUEST_ID_HEADER, requestId);
      String origin = request.getHeaders().get(HttpHeader.ORIGIN);
      if (method.equals("OPTIONS")
          && request.getHeaders().get(HttpHeader.ACCESS_CONTROL_REQUEST_METHOD) != null) {
        headers.putAll(cors.preflight(origin));
        status = 204;
        send(response, callback, new Reply(status, null, new byte[0], headers));
        return true;
      }
      headers.putAll(cors.headers(origin));
      Reply reply;
      try {
        reply = admission.withBodyMemory(request,
            () -> dispatch(request, method, path, headers, caller));
      } catch (ProblemException e) {
        headers.putAll(e.headers());
        reply = problem(e.type(), e.getMessage(), path, requestId, Map.of());
      } catch (RuntimeException e) {
        reply = problem(e, path, requestId, headers);
      }
      status = reply.status();
      Map<String, String> all = new LinkedHashMap<>(headers);
      all.putAll(reply.headers());
      send(response, callback, new Reply(status, reply.contentType(), reply.body(), all));
      return true;
    } finally {
      LOG.info("{} {} {} {}ms key={} request={}", method, path, response.getStatus(),
          (System.nanoTime() - start) / 1_000_000, caller[0] == null ? "-" : caller[0].keyId(),
          requestId);
      MDC.remove("request_id");
    }
  }

  private Reply dispatch(Request request, String method, String path,
      Map<String, String> headers, Principal[] caller) {
    Router.Match match = router.match(method, path);
    Route route = match.route();
    Principal principal = null;
    if (route.access() != Route.Access.PUBLIC) {
      principal = keys.authenticate(presentedKey(request));
      caller[0] = principal;
      long remaining = limiter.acquire(principal.keyId());
      if (remaining >= 0) {
        headers.put("X-RateLimit-Remaining", String.valueOf(remaining));
      }
      if (route.access().scope() != null && !principal.has(route.access().scope())) {
        throw new PermissionDeniedException("This API key lacks the '"
            + route.access().scope().name().toLowerCase(Locale.ROOT) + "' scope");
      }
    }
    byte[] body = route.requestSchema() == null ? new byte[0] : body(request);
    Call call = new Call(match.params(), Request.extractQueryParameters(request),
        () -> Json.parse(body), principal);
    String idempotencyKey = request.getHeaders().get(Idempotency.HEADER);
    if (route.idempotent() && idempotencyKey != null) {
      return idempotency.run(principal.projectId(), idempotencyKey, method, route.template(),
          body, () -> answer(route, call));
    }
    return answer(route, call);
  }

  private static Reply answer(Route route, Call call) {
    Object result = route.handler().handle(call);
    if (result instanceof Reply reply) {
      return reply;
    }
    return Reply.json(route.status(), result);
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

  private byte[] body(Request request) {
    long length = request.getLength();
    if (length > maxRequestSize) {
      throw tooLarge();
    }
    byte[] bytes;
    try (InputStream in = Request.asInputStream(request)) {
      bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxRequestSize + 1));
    } catch (IOException e) {
      throw new ProblemException(ProblemType.MALFORMED_JSON, "The request body could not be read");
    }
    if (bytes.length > maxRequestSize) {
      throw tooLarge();
    }
    String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    if (bytes.length > 0 || type != null) {
      String media = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
      if (!media.equals("application/json") && !media.endsWith("+json")) {
        throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE,
            "The request body must be application/json, was '" + (type == null ? "" : type) + "'");
      }
    }
    return bytes;
  }

  private ProblemException tooLarge() {
    return new ProblemException(ProblemType.REQUEST_TOO_LARGE,
        "The request body is over the limit of " + maxRequestSize + " bytes");
  }

  private static Reply problem(RuntimeException error, String path, String requestId,
      Map<String, String> headers) {
    ProblemType type = ProblemType.of(error);
    Map<String, Object> extra = new LinkedHashMap<>();
    String detail = error.getMessage();
    switch (type) {
      case VALIDATION, CONTENT_TOO_LARGE -> {
        InvalidRequestException invalid = (InvalidRequestException) error;
        extra.put("violations", invalid.violations().stream()
            .map(v -> Map.of("field", v.field(), "problem", v.problem())).toList());
        if (error instanceof ContentTooLargeException tooLarge) {
          extra.put("size", tooLarge.size());
          extra.put("max_size", tooLarge.maxSize());
        }
      }
      case RATE_LIMITED -> {
        long seconds = Math.max(1,
            (((RateLimitedException) error).retryAfter().toMillis() + 999) / 1000);
        headers.put("Retry-After", String.valueOf(seconds));
        extra.put("retry_after_seconds", seconds);
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
   * as a problem too, instead of an HTML error page.
   */
  static Request.Handler errorHandler() {
    return (request, response, callback) -> {
      int status = request.getAttribute(ErrorHandler.ERROR_STATUS) instanceof Integer code
          ? code : 500;
      ProblemType type = status == 413 ? ProblemType.REQUEST_TOO_LARGE
          : status >= 500 ? ProblemType.INTERNAL : ProblemType.PROTOCOL;
      Object message = request.getAttribute(ErrorHandler.ERROR_MESSAGE);
      String detail = type == ProblemType.INTERNAL || message == null
          ? type.title() : message.toString();
      Reply reply = problem(type, status, detail, null, UUID.randomUUID().toString(), Map.of());
      send(response, callback, reply);
      return true;
    };
  }

  private static Reply problem(ProblemType type, String detail, String path, String requestId,
      Map<String, Object> extra) {
    return problem(type, type.status(), detail, path, requestId, extra);
  }

  private static Reply problem(ProblemType type, int status, String detail, String path,
      String requestId, Map<String, Object> extra) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("type", type.type());
    json.put("title", type.title());
    json.put("status", status);
    json.put("detail", detail);
    json.put("instance", path);
    json.put("request_id", requestId);
    json.putAll(extra);
    return new Reply(status, "application/problem+json", Json.write(json),
        Map.of(REQUEST_ID_HEADER, requestId));
  }

  private static void send(Response response, Callback callback, Reply reply) {
    response.setStatus(reply.status());
    reply.headers().forEach((name, value) -> response.getHeaders().put(name, value));
    if (reply.contentType() != null) {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
    }
    response.write(true, ByteBuffer.wrap(reply.body()), callback);
  }

  private static String requestId(String given) {
    return given != null && REQUEST_ID.matcher(given).matches()
        ? given : UUID.randomUUID().toString();
  }
}
