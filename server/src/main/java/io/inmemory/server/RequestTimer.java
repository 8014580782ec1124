package io.inmemory.server;

/**
 * Told of every answered request by {@link ApiHandler}; implementations must be thread-safe and
 * must neither block nor throw.
 */
@FunctionalInterface
interface RequestTimer {
  /** Records nothing: metrics are off. */
  RequestTimer NONE = (method, uri, status, nanos) -> { };

  /**
   * @param method the request's method
   * @param uri the matched route's template, {@link ServerMetrics#NOT_FOUND} or
   *     {@link ServerMetrics#UNKNOWN}; never the raw path
   * @param status the status sent
   * @param nanos the time from the request's arrival to its answer's head
   */
  void record(String method, String uri, int status, long nanos);
}
