package io.inmemory.server;

import io.inmemory.wire.ProblemType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.NanoTime;
import org.jspecify.annotations.Nullable;

/**
 * The body of one request, read without a thread waiting for its bytes: Jetty's read/demand API
 * calls back when more arrives, so a client sending one byte every few seconds holds a connection,
 * never a worker. Enforces {@link BodyLimits}: a body over the maximum is
 * {@link ProblemType#REQUEST_TOO_LARGE}; one arriving under the minimum data rate, or not at all
 * for the connection's idle timeout, is a 408 {@link ProblemType#PROTOCOL} problem; one Jetty
 * cannot parse (broken chunking) is a protocol problem with Jetty's status.
 *
 * <p>It also answers: an answer sent while the body is still arriving (a request rejected before
 * its body was read, or cut off at the maximum) is followed by reading and discarding the rest, up
 * to {@link BodyLimits#maxDiscard()}, before the exchange completes. Jetty closes a connection
 * whose request content is unread when the exchange completes, and closing a socket with unread
 * bytes resets it, which can destroy the answer before the client reads it. The answer says
 * {@code Connection: close} unless the rest of the body is known to fit in that discard, so a
 * client never sends its next request on a connection that will not take it.
 *
 * <p>Not thread-safe: one per request; Jetty runs its demand callbacks one at a time.
 */
final class RequestBody {
  private final Request request;
  private final BodyLimits limits;
  private long consumed;
  private boolean ended;
  private boolean broken;

  /** The read in progress: how much it may take, what it keeps (null when discarding). */
  private long budget;
  private long taken;
  private @Nullable ByteArrayOutputStream kept;
  private Consumer<byte[]> onEnd;
  private Consumer<ProblemException> onStop;

  RequestBody(Request request, BodyLimits limits) {
    this.request = request;
    this.limits = limits;
  }

  /**
   * Reads the whole body, then passes its bytes to {@code onBody}, or a problem to
   * {@code onProblem}. Either runs on the calling thread or on a Jetty thread, which may block.
   */
  void read(Consumer<byte[]> onBody, Consumer<ProblemException> onProblem) {
    long length = request.getLength();
    if (length > limits.maxSize()) {
      onProblem.accept(tooLarge());
      return;
    }
    int expected = (int) Math.min(length < 0 ? 8192 : length, limits.maxSize());
    start(limits.maxSize(), new ByteArrayOutputStream(expected), onBody, onProblem);
    pump(true);
  }

  /** The content of an answer, sent as the last of a response. */
  interface Answer {
    /** Sends the content on {@code response}, then completes {@code done} or fails it. */
    void send(Response response, Callback done);
  }

  /**
   * Sends {@code answer} (status and headers already set on {@code response}), discards what
   * remains of the body as the class comment says, then completes {@code callback}.
   */
  void answer(Response response, Answer answer, Callback callback) {
    if (!ended && !broken) {
      start(limits.maxDiscard(), null, bytes -> { }, problem -> { });
      pump(false);
    }
    boolean expectsContinue = request.getHeaders().contains(HttpHeader.EXPECT,
        HttpHeaderValue.CONTINUE.asString());
    // with 100-continue pending the client has not sent the body: reading would ask for it
    boolean discard = !ended && !broken && !expectsContinue;
    if (!ended && !(discard && restFitsDiscard())) {
      response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
    }
    if (!discard) {
      answer.send(response, callback);
      return;
    }
    answer.send(response, Callback.from(() -> {
      start(limits.maxDiscard(), null, bytes -> callback.succeeded(),
          problem -> callback.succeeded());
      pump(true);
    }, callback::failed));
  }

  private boolean restFitsDiscard() {
    long length = request.getLength();
    return length >= 0 && length - consumed <= limits.maxDiscard();
  }

  private void start(long budget, ByteArrayOutputStream kept, Consumer<byte[]> onEnd,
      Consumer<ProblemException> onStop) {
    this.budget = budget;
    this.taken = 0;
    this.kept = kept;
    this.onEnd = onEnd;
    this.onStop = onStop;
  }

  /** Reads what has arrived; when {@code wait}, asks Jetty to call back when more does. */
  private void pump(boolean wait) {
    while (true) {
      Content.Chunk chunk = request.read();
      if (chunk == null) {
        if (!wait) {
          return;
        }
        if (limits.tooSlow(consumed, NanoTime.since(request.getBeginNanoTime()))) {
          onStop.accept(tooSlow());
          return;
        }
        request.demand(() -> pump(true));
        return;
      }
      if (Content.Chunk.isFailure(chunk)) {
        onStop.accept(unreadable(chunk.getFailure()));
        return;
      }
      int size = chunk.remaining();
      consumed += size;
      taken += size;
      if (kept != null && taken <= budget) {
        try {
          BufferUtil.writeTo(chunk.getByteBuffer(), kept);
        } catch (IOException e) {
          throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
      }
      boolean last = chunk.isLast();
      chunk.release();
      if (taken > budget) {
        onStop.accept(tooLarge());
        return;
      }
      if (last) {
        ended = true;
        onEnd.accept(kept == null ? null : kept.toByteArray());
        return;
      }
    }
  }

  private ProblemException tooLarge() {
    return new ProblemException(ProblemType.REQUEST_TOO_LARGE,
        "The request body is over the limit of " + limits.maxSize() + " bytes");
  }

  private ProblemException tooSlow() {
    broken = true;
    long seconds = NanoTime.secondsSince(request.getBeginNanoTime());
    return new ProblemException(ProblemType.PROTOCOL, 408, "The request body arrived too slowly: "
        + consumed + " bytes in " + seconds + " s, under the minimum of " + limits.minDataRate()
        + " bytes per second");
  }

  private ProblemException unreadable(Throwable failure) {
    broken = true;
    if (failure instanceof TimeoutException) {
      return new ProblemException(ProblemType.PROTOCOL, 408,
          "The request body stopped arriving for longer than the idle timeout");
    }
    if (failure instanceof HttpException http && http.getCode() >= 400 && http.getCode() < 500) {
      return new ProblemException(ProblemType.PROTOCOL, http.getCode(),
          "The request body could not be read" + (http.getReason() == null ? ""
              : ": " + http.getReason()));
    }
    return new ProblemException(ProblemType.PROTOCOL, 400,
        "The request body could not be read to its end");
  }
}
