package io.inmemory.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.inmemory.InMemoryConfig;
import io.inmemory.Limits;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryClients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The runnable MCP server: InMemory's memory as tools over standard input and output, on the
 * runtime the configuration selects (the local engine, or a server when
 * {@code inmemory.mode=managed}). Standard output carries JSON-RPC only; logs go to standard
 * error. Without a configured store the local engine keeps its memories in
 * {@code ~/.inmemory/mcp}: a host starts the server from any directory.
 */
public final class McpMain {
  /** The store the local engine uses when none is configured. */
  static final String DEFAULT_STORE = "file";
  static final String FILE_STORE_DIR = "inmemory.store.file.dir";

  /** How long replies still due are waited for once the host closed standard input. */
  static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

  private McpMain() {}

  /**
   * Serves until the host closes standard input (then answers the requests already read and
   * exits with status 0) or stops the process; the memory client is closed on exit either way,
   * so the store is flushed.
   */
  public static void main(String[] args) {
    // the jar holds both runtimes: a host that sets nothing gets the local engine
    InMemoryConfig config = InMemoryConfig.load().withFallbacks(Map.of(
        InMemoryConfig.MODE.name(), "local"));
    if (config.find(InMemoryConfig.STORE).isEmpty()) {
      config = config.withFallbacks(Map.of(InMemoryConfig.MODE.name(), "local",
          InMemoryConfig.STORE.name(), DEFAULT_STORE,
          FILE_STORE_DIR, Path.of(System.getProperty("user.home"), ".inmemory", "mcp")
              .toString()));
    }
    MemoryClient memory = MemoryClients.create(config);
    ObjectMapper json = new ObjectMapper();
    StdioServer server = new StdioServer(new MemoryTools(memory, Limits.from(config), json,
        McpSettings.from(config)),
        json, System.in, System.out, DRAIN_TIMEOUT);
    // a host that stops the process (SIGTERM) instead of closing input: the store still flushes
    Thread shutdown = new Thread(memory::close, "inmemory-mcp-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdown);
    server.awaitEnd();
    server.close();
    Runtime.getRuntime().removeShutdownHook(shutdown);
    memory.close();
    // the SDK's transport threads are not daemons: they would keep the JVM alive
    System.exit(0);
  }
}
