package io.inmemory.server;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An answer: what a handler returns when it is not its route's JSON (another status, or a body
 * that is not JSON: documentation pages and assets), and what the handler sends. Its body is
 * either bytes or a JSON value written only as it is sent ({@link JsonAnswer}), so that an answer
 * holding large memories never exists whole in the heap. Exactly one of the two is set; neither is
 * copied, so neither may change once the reply is made (then it is immutable and thread-safe).
 *
 * @param status the HTTP status
 * @param contentType the media type of the body, or {@code null} without one
 * @param body the bytes to send, or {@code null} when {@code json} is to be written
 * @param json the value to send as JSON, or a {@link BodyWriter} streaming the body (export); or
 *     {@code null} when {@code body} is set
 * @param headers further headers
 */
record Reply(int status, @Nullable String contentType, byte @Nullable [] body,
    @Nullable Object json,
    Map<String, String> headers) {
  Reply {
    if ((body == null) == (json == null)) {
      throw new IllegalArgumentException("a reply has either bytes or a JSON value");
    }
    headers = Map.copyOf(headers);
  }

  /** A reply of {@code body}'s bytes. */
  Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
    this(status, contentType, body, null, headers);
  }

  /** A JSON reply, written as it is sent. */
  static Reply json(int status, Object value) {
    return new Reply(status, "application/json", null, value, Map.of());
  }

  /** Writes a streamed body, blocking while the client reads; it may fail part way. */
  @FunctionalInterface
  interface BodyWriter {
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * A 200 whose body {@code writer} writes as it is sent, in chunks: an answer of any size that
   * is never held whole (see {@link JsonAnswer#stream(BodyWriter, org.eclipse.jetty.server.Response)}).
   * Never kept for idempotency replays.
   */
  static Reply stream(String contentType, BodyWriter writer) {
    return new Reply(200, contentType, null, writer, Map.of());
  }

  /** This reply with its JSON written out as bytes (for answers that are kept). */
  Reply materialized() {
    return json == null ? this : new Reply(status, contentType, Json.write(json), headers);
  }

  /** This reply with {@code headers} instead of its own. */
  Reply withHeaders(Map<String, String> headers) {
    return new Reply(status, contentType, body, json, headers);
  }
}
