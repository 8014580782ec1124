package io.inmemory.transport.http;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One REST call.
 *
 * @param path the path under the base URL, with its query string
 * @param body the JSON body (a tree of maps, lists and scalars), a {@link Raw} body, or null for
 *     none
 * @param retryable whether repeating the call is safe: it is idempotent, or carries an
 *     idempotency key the server deduplicates by
 * @param idempotencyKey the {@code Idempotency-Key} header, or null
 * @param health whether a 503 carrying a JSON health report is an answer rather than an error
 * @param timeout how long each exchange may take, or {@code null} for the request timeout
 */
record Call(String method, String path, @Nullable Object body, boolean retryable,
    @Nullable String idempotencyKey, boolean health, @Nullable Duration timeout) {

  Call {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
  }

  /**
   * A body that is not JSON, sent as it is.
   *
   * @param mediaType its media type
   * @param bytes the body; not copied, so not to be changed
   */
  record Raw(String mediaType, byte[] bytes) {
    Raw {
      Objects.requireNonNull(mediaType, "mediaType");
      Objects.requireNonNull(bytes, "bytes");
    }
  }

  /** A call that is safe to repeat. */
  static Call idempotent(String method, String path, @Nullable Object body) {
    return new Call(method, path, body, true, null, false, null);
  }

  /** A call that stores something: retried only when an idempotency key makes that safe. */
  static Call storing(String path, Object body, @Nullable String idempotencyKey) {
    return new Call("POST", path, body, idempotencyKey != null, idempotencyKey, false, null);
  }

  /**
   * A conversation add: stores like {@link #storing}, but may wait {@code timeout} for the
   * server, which may call an extraction model.
   */
  static Call conversation(String path, Object body, @Nullable String idempotencyKey,
      Duration timeout) {
    return new Call("POST", path, body, idempotencyKey != null, idempotencyKey, false, timeout);
  }

  /** The health probe: never retried, so that it answers quickly. */
  static Call healthProbe() {
    return new Call("GET", "/v1/health", null, false, null, true, null);
  }

  /** Method and path without the query, which can hold user ids: for messages. */
  String describe() {
    int query = path.indexOf('?');
    return method + " " + (query < 0 ? path : path.substring(0, query));
  }
}
