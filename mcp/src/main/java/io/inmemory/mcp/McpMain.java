package io.inmemory.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.inmemory.ConfigurationException;
import io.inmemory.InMemoryConfig;
import io.inmemory.Limits;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryClients;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The runnable MCP server: InMemory's memory as tools, over standard input and output or over
 * streamable HTTP ({@code inmemory.mcp.transport}), on the runtime the configuration selects (the
 * local engine, or a server when {@code inmemory.mode=managed}). Over stdio, standard output
 * carries JSON-RPC only; logs go to standard error. Without a configured store the local engine
 * keeps its memories in {@code ~/.inmemory/mcp}: a host starts the server from any directory.
 *
 * <p>An invalid configuration ends the process with status 2 and one line on standard error
 * naming the keys to fix.
 */
public final class McpMain {
  /** The store the local engine uses when none is configured. */
  static final String DEFAULT_STORE = "file";
  static final String FILE_STORE_DIR = "inmemory.store.file.dir";
  /** The {@code inmemory.mode} of the HTTP client runtime. */
  static final String MANAGED = "managed";
  /** The exit status of an invalid configuration (as the REST server's). */
  static final int CONFIGURATION_STATUS = 2;
  /** The line printed on standard output once the HTTP transport listens, before its URL. */
  static final String LISTENING = "inmemory-mcp listening on ";

  private McpMain() {}

  /**
   * Serves over stdio until the host closes standard input (then answers the requests already
   * read and exits with status 0) or stops the process; over HTTP until the process is stopped
   * (then answers the requests in progress). The memory client is closed on exit either way, so
   * the store is flushed.
   */
  public static void main(String[] args) {
    try {
      run();
    } catch (ConfigurationException e) {
      System.err.println("inmemory-mcp: " + String.join("; ", e.problems()));
      System.exit(CONFIGURATION_STATUS);
    } catch (UncheckedIOException e) {
      // the HTTP address cannot be listened on (in use, not this machine's)
      System.err.println("inmemory-mcp: " + e.getMessage());
      System.exit(1);
    }
  }

  private static void run() {
    InMemoryConfig config = config(Map.of());
    McpSettings settings = McpSettings.from(config);
    ObjectMapper json = new ObjectMapper();
    Limits limits = Limits.from(config);
    if (settings.transport() == McpSettings.Transport.HTTP
        // trimmed as the runtime is chosen: " managed" must not serve every caller one key
        && config.get(InMemoryConfig.MODE).strip().equals(MANAGED)) {
      // each caller's own key; the configured one is never lent to a caller
      HttpServer server = HttpServer.managed(key -> MemoryClients.create(
          config(Map.of(InMemoryConfig.API_KEY.name(), key))), limits, json, settings);
      listening(server, null);
      return;
    }
    if (settings.transport() == McpSettings.Transport.HTTP) {
      // refused before the engine opens its store
      HttpServer.checkLocal(settings);
    }
    MemoryClient memory = MemoryClients.create(config);
    if (settings.transport() == McpSettings.Transport.HTTP) {
      HttpServer server;
      try {
        server = HttpServer.local(memory, limits, json, settings);
      } catch (RuntimeException e) {
        memory.close();
        throw e;
      }
      listening(server, memory);
      return;
    }
    StdioServer server = new StdioServer(new MemoryTools(memory, limits, json, settings),
        json, System.in, System.out, settings.drainTimeout());
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

  /**
   * Prints where the HTTP transport listens (standard output is free of JSON-RPC here) and stops
   * it, then closes {@code memory}, when the process is stopped; Jetty's threads keep the
   * process alive until then.
   */
  private static void listening(HttpServer server, @Nullable MemoryClient memory) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      if (memory != null) {
        memory.close();
      }
    }, "inmemory-mcp-shutdown"));
    System.out.println(LISTENING + server.endpoint());
    System.out.flush();
  }

  /**
   * The configuration of system properties, environment and {@code inmemory.properties}, with
   * {@code overrides} above them all, and the local engine in {@code ~/.inmemory/mcp} beneath.
   */
  private static InMemoryConfig config(Map<String, String> overrides) {
    InMemoryConfig.Builder builder = InMemoryConfig.builder();
    overrides.forEach(builder::set);
    InMemoryConfig config = builder.build();
    // the jar holds both runtimes: a host that sets nothing gets the local engine
    Map<String, String> fallbacks = new HashMap<>(Map.of(InMemoryConfig.MODE.name(), "local"));
    if (config.find(InMemoryConfig.STORE).isEmpty()) {
      fallbacks.put(InMemoryConfig.STORE.name(), DEFAULT_STORE);
      fallbacks.put(FILE_STORE_DIR, Path.of(System.getProperty("user.home"), ".inmemory", "mcp")
          .toString());
    }
    return config.withFallbacks(fallbacks);
  }
}
