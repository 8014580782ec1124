package io.inmemory.server;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Response;
import org.jspecify.annotations.Nullable;

/**
 * Writes a JSON answer without ever holding more than {@value #BUFFER} bytes of it. A small answer
 * (up to {@value #BUFFER} bytes: nearly all of them) is written into a buffer of its size and sent
 * in one write with a {@code Content-Length}, no thread waiting for the client to read it. A
 * larger one (lists, searches and histories of large memories: up to about 1 GB of JSON) is
 * streamed: Jackson writes it into a buffer of {@value #BUFFER} bytes that is sent to the
 * client, with chunked encoding, each time it fills, the writing thread waiting for the client
 * to take it. Its cost is then that buffer, beyond the records the engine already holds, and a
 * thread, whose number {@link Admission#largeAnswer()} bounds. Stateless and thread-safe.
 */
final class JsonAnswer {
  /** The most bytes of an answer held at once; larger answers are streamed. */
  static final int BUFFER = 64 * 1024;
  private static final int FIRST = 512;

  private JsonAnswer() {}

  /**
   * The JSON of {@code value} when it takes at most {@code limit} bytes, else {@code null}
   * (writing stops at the limit).
   */
  static @Nullable ByteBuffer small(Object value, int limit) {
    Capped out = new Capped(limit);
    try {
      Json.MAPPER.writeValue(out, value);
    } catch (Capped.Full full) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ByteBuffer.wrap(out.bytes, 0, out.count);
  }

  /**
   * Writes {@code value} to {@code response} as its whole content, blocking while the client
   * reads, through a buffer of {@value #BUFFER} bytes.
   *
   * @throws IOException when the client is gone or stopped reading for the idle timeout; the
   *     answer is then cut off
   */
  static void stream(Object value, Response response) throws IOException {
    stream(out -> {
      JsonGenerator json = Json.MAPPER.createGenerator(out)
          .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
          .disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
      Json.MAPPER.writeValue(json, value);
      json.close();
    }, response);
  }

  /**
   * Writes what {@code writer} writes to {@code response} as its whole content, as
   * {@link #stream(Object, Response)} does.
   *
   * @throws IOException when the writer or the client fails; the answer is then cut off
   */
  static void stream(Reply.BodyWriter writer, Response response) throws IOException {
    OutputStream out = new BufferedOutputStream(Content.Sink.asOutputStream(response), BUFFER);
    writer.writeTo(out);
    // Closed, which sends the last chunk, only once all is written: an answer cut off by a
    // failure must not reach the client as a whole one.
    out.close();
  }

  /** A growing buffer that refuses to grow past its limit. Not thread-safe. */
  private static final class Capped extends OutputStream {
    /** Thrown once the limit is passed, to stop the writer; no stack trace is needed. */
    private static final class Full extends IOException {
      Full() {
        super("over the limit", null);
      }

      @Override
      public synchronized Throwable fillInStackTrace() {
        return this;
      }
    }

    private final int limit;
    private byte[] bytes;
    private int count;
    private boolean full;

    Capped(int limit) {
      this.limit = limit;
      this.bytes = new byte[Math.min(FIRST, limit)];
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (full) {
        return; // the generator flushing as it closes after the failure
      }
      if (len > limit - count) {
        full = true;
        throw new Full();
      }
      if (count + len > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.min(limit, Math.max(count + len, 2 * bytes.length)));
      }
      System.arraycopy(b, off, bytes, count, len);
      count += len;
    }
  }
}
