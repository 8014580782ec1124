package io.inmemory.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
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

  /** JSON-RPC's error codes of a line that is not JSON, and of one that is not a message. */
  private static final int PARSE_ERROR = -32700;
  private static final int INVALID_REQUEST = -32600;

  private final ObjectMapper json;
  private final JacksonMcpJsonMapper mapper;
  private final Duration drainTimeout;
  /** The ids (as JSON text: 1 and "1" differ) of requests read and not yet answered. */
  private final Set<String> pending = new LinkedHashSet<>();
  private final CompletableFuture<Set<String>> finished = new CompletableFuture<>();
  private boolean draining;

  /** @param mapper the transport's mapper: a line is admitted when it reads the line */
  ReplyLedger(JacksonMcpJsonMapper mapper, Duration drainTimeout) {
    if (drainTimeout.isNegative()) {
      throw new IllegalArgumentException("drain timeout must not be negative: " + drainTimeout);
    }
    this.mapper = mapper;
    this.json = mapper.getObjectMapper();
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

  /**
   * {@code in} for the transport: requests noted as read, end of input held back, and every
   * line the transport cannot take as one JSON-RPC message answered here instead. The SDK's
   * reader stops reading for good at the first such line (a typo, a batch, an empty line), which
   * left the server deaf and never ending; JSON-RPC answers it with an error and goes on.
   *
   * @param replies where the errors are written: the transport's own output (its writes hold
   *     the stream's lock, so lines never interleave)
   */
  InputStream input(InputStream in, OutputStream replies) {
    return new InputStream() {
      private final ByteArrayOutputStream admitted = new ByteArrayOutputStream();
      private final Lines lines = new Lines(line -> admit(line, replies, admitted));
      private final byte[] chunk = new byte[8192];
      private byte[] ready = new byte[0];
      private int position;
      private boolean ended;
      private boolean drained;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        while (position == ready.length) {
          if (drained) {
            return -1;
          }
          if (ended) {
            // every admitted line was handed over: only now may end of input be seen
            drain();
            drained = true;
            return -1;
          }
          int count = in.read(chunk, 0, chunk.length);
          if (count < 0) {
            lines.end();
            ended = true;
          } else {
            // noted before the transport sees the bytes, so no reply can come first
            lines.write(chunk, 0, count);
          }
          ready = admitted.toByteArray();
          admitted.reset();
          position = 0;
        }
        int count = Math.min(length, ready.length - position);
        System.arraycopy(ready, position, buffer, offset, count);
        position += count;
        return count;
      }

      @Override
      public void close() throws IOException {
        in.close();
      }
    };
  }

  /**
   * Hands {@code line} to the transport ({@code admitted}) when it is one JSON-RPC message the
   * SDK reads; answers it on {@code replies} with JSON-RPC's parse error or invalid request
   * otherwise. A blank line carries nothing and is skipped.
   */
  private void admit(byte[] line, OutputStream replies, ByteArrayOutputStream admitted)
      throws IOException {
    String text;
    try {
      // strictly: the SDK's reader would turn a malformed byte into U+FFFD and store that
      text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(line)).toString();
    } catch (CharacterCodingException e) {
      refuse(replies, null, PARSE_ERROR, "Parse error: a line is not well-formed UTF-8 ("
          + e.getMessage() + "); send JSON in UTF-8");
      return;
    }
    if (text.isBlank()) {
      return;
    }
    JsonNode message;
    try {
      message = json.readTree(text);
    } catch (JsonProcessingException e) {
      refuse(replies, null, PARSE_ERROR, "Parse error: a line is one JSON-RPC message in JSON"
          + " (" + e.getOriginalMessage() + ")");
      return;
    }
    if (message == null || !message.isObject()) {
      refuse(replies, null, INVALID_REQUEST, "Invalid Request: a line is one JSON-RPC message,"
          + " a JSON object" + (message != null && message.isArray()
              ? " (batches are not supported: send each message on its own line)" : ""));
      return;
    }
    try {
      McpSchema.deserializeJsonRpcMessage(mapper, text);
    } catch (RuntimeException | IOException e) {
      JsonNode id = message.get("id");
      refuse(replies, id != null && (id.isTextual() || id.isIntegralNumber()) ? id : null,
          INVALID_REQUEST, "Invalid Request: not a JSON-RPC request, notification or response"
              + " (" + e.getMessage() + ")");
      return;
    }
    if (message.hasNonNull("method") && message.has("id")) {
      synchronized (this) {
        pending.add(message.get("id").toString());
      }
    }
    admitted.write(line);
    admitted.write('\n');
  }

  private void refuse(OutputStream replies, @Nullable JsonNode id, int code, String message)
      throws IOException {
    ObjectNode error = json.createObjectNode();
    error.put("jsonrpc", "2.0");
    error.set("id", id);
    error.putObject("error").put("code", code).put("message", message);
    byte[] reply = json.writeValueAsBytes(error);
    LOG.warn("refused an input line: {}", message);
    synchronized (replies) {
      replies.write(reply);
      replies.write('\n');
      replies.flush();
    }
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
