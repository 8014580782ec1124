package io.inmemory.server;

import java.util.Map;

/**
 * A non-default answer from a handler: another status than the route's, or a body that is not
 * JSON (documentation pages and assets).
 *
 * @param status the HTTP status
 * @param contentType the media type of {@code body}
 * @param body the bytes to send
 * @param headers further headers
 */
record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
  Reply {
    headers = Map.copyOf(headers);
  }

  static Reply json(int status, Object body) {
    return new Reply(status, "application/json", Json.write(body), Map.of());
  }
}
