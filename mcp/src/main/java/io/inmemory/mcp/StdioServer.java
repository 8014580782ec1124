package io.inmemory.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The MCP server over a pair of streams (standard input and output in {@link McpMain}), serving
 * from construction on. When input ends, the replies still due are written before the server
 * counts as ended (up to the drain timeout): see {@link #awaitEnd}. Thread-safe.
 */
public final class StdioServer implements AutoCloseable {
  private final ReplyLedger ledger;
  private final McpSyncServer server;

  /**
   * Serves {@code tools} on {@code in} and {@code out}.
   *
   * @param drainTimeout how long, once input ended, replies still due are waited for
   */
  public StdioServer(MemoryTools tools, ObjectMapper json, InputStream in, OutputStream out,
      Duration drainTimeout) {
    JacksonMcpJsonMapper mapper = new JacksonMcpJsonMapper(json);
    this.ledger = new ReplyLedger(mapper, drainTimeout);
    OutputStream output = ledger.output(out);
    this.server = tools.serve(McpServer.sync(new StdioServerTransportProvider(mapper,
        ledger.input(in, output), output)), mapper);
  }

  /**
   * Waits until input has ended and every request read was answered (or the drain timeout
   * passed).
   *
   * @return the ids of the requests left unanswered, as JSON text; empty after a full drain
   */
  public Set<String> awaitEnd() {
    return ledger.finished().join();
  }

  /** Completes as {@link #awaitEnd()} returns, with the same ids. */
  CompletableFuture<Set<String>> end() {
    return ledger.finished();
  }

  /** Whether input has ended and the replies still due are being waited for. */
  boolean draining() {
    return ledger.draining();
  }

  /** Stops serving; replies not yet written are dropped (see {@link #awaitEnd}). */
  @Override
  public void close() {
    server.closeGracefully();
  }
}
