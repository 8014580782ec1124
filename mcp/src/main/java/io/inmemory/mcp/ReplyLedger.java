package io.inmemory.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the SDK's stdio transport from dropping replies when standard input closes. The SDK
 * stops writing as soon as its reader sees end of input, so a reply still being computed then
 * (a host that writes its requests and closes the pipe) would be lost. The ledger stands between
 * the transport and both streams: it notes the id of every request read and strikes it off when
 * its response is written, and it holds end of input back from the transport until every noted
 * request is answered or the drain timeout passes. Thread-safe: one reader thread, any number of
 * writer threads.
 */
final class ReplyLedger {
  private static final Logger LOG = LoggerFactory.getLogger(ReplyLedger.class);

  private final ObjectMapper json;
  private final Duration drainTimeout;
  /** The ids (as JSON text: 1 and "1" differ) of requests read and not yet answered. */
  private final Set<String> pending = new LinkedHashSet<>();
  private final CompletableFuture<Set<String>> finished = new CompletableFuture<>();
  private boolean draining;

  ReplyLedger(ObjectMapper json, Duration drainTimeout) {
    if (drainTimeout.isNegative()) {
      throw new IllegalArgumentException("drain timeout must not be negative: " + drainTimeout);
    }
    this.json = json;
    this.drainTimeout = drainTimeout;
  }

  /**
   * Completes once input has ended and every request was answered or the drain timeout passed,
   * with the ids left unanswered (empty after a full drain).
   */
  CompletableFuture<Set<String>> finished() {
    return finished;
  }

  /** Whether input has ended and the ledger is waiting for the replies still due. */
  synchronized boolean draining() {
    return draining;
  }

  /** {@code in} for the transport: requests noted as read, end of input held back. */
  InputStream input(InputStream in) {
    return new FilterInputStream(in) {
      private final Lines lines = new Lines(ReplyLedger.this::read);
      private boolean ended;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        if (ended) {
          return -1;
        }
        int count = super.read(buffer, offset, length);
        if (count < 0) {
          lines.end();
          drain();
          ended = true;
          return -1;
        }
        // noted before the transport sees the bytes, so no reply can come first
        lines.write(buffer, offset, count);
        return count;
      }
    };
  }

  /** {@code out} for the transport: responses struck off once written and flushed. */
  OutputStream output(OutputStream out) {
    return new FilterOutputStream(out) {
      private final Lines lines = new Lines(line -> {
        out.flush();
        written(line);
      });

      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] buffer, int offset, int length) throws IOException {
        out.write(buffer, offset, length);
        lines.write(buffer, offset, length);
      }
    };
  }

  private void read(byte[] line) {
    JsonNode message = parse(line);
    if (message != null && message.hasNonNull("method") && message.has("id")) {
      synchronized (this) {
        pending.add(message.get("id").toString());
      }
    }
  }

  private void written(byte[] line) {
    JsonNode message = parse(line);
    if (message != null && !message.has("method") && message.has("id")) {
      synchronized (this) {
        pending.remove(message.get("id").toString());
        notifyAll();
      }
    }
  }

  private synchronized void drain() {
    draining = true;
    long deadline = System.nanoTime() + drainTimeout.toNanos();
    try {
      for (long left = drainTimeout.toNanos(); !pending.isEmpty() && left > 0;
          left = deadline - System.nanoTime()) {
        wait(Math.max(1, left / 1_000_000));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Set<String> unanswered = Set.copyOf(pending);
    if (!unanswered.isEmpty()) {
      LOG.warn("input ended; no reply within {} to the requests with ids {}", drainTimeout,
          unanswered);
    }
    finished.complete(unanswered);
  }

  /** A message of one line, or {@code null} when it is not a JSON object (not ours to count). */
  private JsonNode parse(byte[] line) {
    try {
      JsonNode message = json.readTree(line);
      return message != null && message.isObject() ? message : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** Cuts a byte stream into lines (without their {@code \n}); not thread-safe. */
  private static final class Lines {
    private final LineConsumer consumer;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    Lines(LineConsumer consumer) {
      this.consumer = consumer;
    }

    void write(byte[] buffer, int offset, int length) throws IOException {
      for (int i = offset; i < offset + length; i++) {
        if (buffer[i] == '\n') {
          consumer.accept(line.toByteArray());
          line.reset();
        } else {
          line.write(buffer[i]);
        }
      }
    }

    /** The last line, when the stream ends without a line break. */
    void end() throws IOException {
      if (line.size() > 0) {
        consumer.accept(line.toByteArray());
        line.reset();
      }
    }
  }

  @FunctionalInterface
  private interface LineConsumer {
    void accept(byte[] line) throws IOException;
  }
}
