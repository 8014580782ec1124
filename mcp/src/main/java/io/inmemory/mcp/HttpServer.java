package io.inmemory.mcp;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.inmemory.AuthenticationException;
import io.inmemory.ConfigurationException;
import io.inmemory.InMemoryConfig;
import io.inmemory.Limits;
import io.inmemory.MemoryClient;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.server.transport.DefaultServerTransportSecurityValidator;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.eclipse.jetty.ee11.servlet.FilterHolder;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MCP server over MCP's streamable HTTP transport (the SDK's servlet in Jetty), serving the
 * same tools as {@link StdioServer} from construction until {@link #close()}. Thread-safe.
 *
 * <p>Who may call:
 *
 * <ul>
 *   <li>{@link #local}: every caller uses the one client given. Without
 *       {@link McpSettings#apiKey()} requests need no key, and only a loopback interface may be
 *       bound; with it every request must send it as {@code Authorization: Bearer <key>}.
 *   <li>{@link #managed}: every request must send an API key of the InMemory server as
 *       {@code Authorization: Bearer <key>}; the key is checked with the server once, and every
 *       tool call of the request runs with that key's own client, so a caller reaches only its
 *       key's project. The configured {@code inmemory.api-key} is never used for a caller.
 * </ul>
 *
 * <p>A request without an accepted key is answered 401 with {@code WWW-Authenticate: Bearer}; a
 * request carrying an {@code Origin} header that {@link McpSettings#allowedOrigins()} does not
 * list is answered 403, and on a loopback interface a {@code Host} header that is not a loopback
 * name 421 (the MCP specification's defence against DNS rebinding).
 */
public final class HttpServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
  /** The transport context entry holding the caller's key. */
  static final String CALLER_KEY = "inmemory.caller-key";

  private final McpSettings settings;
  private final HttpGate gate;
  private final McpSyncServer server;
  private final Server jetty;
  private final @Nullable CallerClients callers;
  private final URI endpoint;
  private boolean closed;

  private HttpServer(MemoryTools tools, HttpGate gate, @Nullable CallerClients callers,
      ObjectMapper json, McpSettings settings) {
    this.settings = settings;
    this.gate = gate;
    this.callers = callers;
    JacksonMcpJsonMapper mapper = new JacksonMcpJsonMapper(withJsonRpcErrors(json));
    HttpServletStreamableServerTransportProvider transport =
        HttpServletStreamableServerTransportProvider.builder()
            .jsonMapper(mapper)
            .mcpEndpoint(settings.path())
            // the gate forgets a session's owner after twice this, once the SDK has dropped it
            .sessionSweepInterval(HttpGate.SESSION_IDLE.dividedBy(2))
            .contextExtractor(request -> HttpGate.bearer(request)
                .map(key -> McpTransportContext.create(Map.of(CALLER_KEY, key)))
                .orElse(McpTransportContext.EMPTY))
            .httpHeaderValidator(DefaultServerTransportSecurityValidator.builder()
                .allowedOrigins(settings.allowedOrigins())
                .allowedHosts(allowedHosts(settings.host()))
                .build())
            .build();
    this.server = tools.serve(McpServer.sync(transport), mapper);
    this.jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost(settings.host());
    connector.setPort(settings.port());
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    ServletHolder servlet = new ServletHolder(transport);
    // replies are server-sent events written from the SDK's threads
    servlet.setAsyncSupported(true);
    context.addServlet(servlet, settings.path());
    context.addFilter(new FilterHolder(gate), "/*", EnumSet.of(DispatcherType.REQUEST));
    jetty.setHandler(context);
    try {
      jetty.start();
    } catch (Exception e) {
      server.close();
      stopJetty();
      throw new UncheckedIOException("cannot serve MCP on " + settings.host() + ":"
          + settings.port() + ": " + e.getMessage(),
          e instanceof IOException io ? io : new IOException(e));
    }
    this.endpoint = URI.create("http://" + uriHost(settings.host()) + ":"
        + connector.getLocalPort() + settings.path());
    LOG.info("MCP streamable HTTP on {} ({})", endpoint,
        callers != null ? "callers authenticate with InMemory API keys"
            : settings.apiKey() != null ? "callers send inmemory.mcp.api-key" : "no key");
  }

  /**
   * Serves the tools over {@code memory} (the local runtime, or any one client) to every caller.
   *
   * @param limits the request limits the arguments are read with
   * @param json the mapper of arguments and answers
   * @throws ConfigurationException when {@link McpSettings#host()} is not a loopback address and
   *     no {@link McpSettings#apiKey()} is set: nobody could write unauthenticated from the network
   * @throws UncheckedIOException when the address cannot be listened on
   */
  public static HttpServer local(MemoryClient memory, Limits limits, ObjectMapper json,
      McpSettings settings) {
    checkLocal(settings);
    String key = settings.apiKey();
    HttpGate.KeyCheck check = key == null ? null : presented -> {
      // in constant time: a key compared character by character would leak its prefix
      if (!MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
          key.getBytes(StandardCharsets.UTF_8))) {
        throw new AuthenticationException("invalid API key");
      }
    };
    return new HttpServer(new MemoryTools(memory, limits, json, settings),
        new HttpGate(check, json), null, json, settings);
  }

  /**
   * Serves the tools to callers of an InMemory server, each with the client of the API key its
   * request sends.
   *
   * @param clientForKey a new managed client sending the given key (closed by this server)
   * @throws ConfigurationException when {@link McpSettings#apiKey()} is set: callers send their
   *     own keys
   * @throws UncheckedIOException when the address cannot be listened on
   */
  public static HttpServer managed(Function<String, MemoryClient> clientForKey, Limits limits,
      ObjectMapper json, McpSettings settings) {
    if (settings.apiKey() != null) {
      throw new ConfigurationException(McpSettings.API_KEY.name() + ": with "
          + InMemoryConfig.MODE.name() + "=managed every HTTP caller sends its own InMemory API"
          + " key ('Authorization: Bearer im_…'); unset it");
    }
    CallerClients callers = new CallerClients(clientForKey);
    MemoryTools tools = new MemoryTools((exchange, body) -> callers.call(callerKey(exchange),
        body), limits, json, settings);
    return new HttpServer(tools, new HttpGate(callers::verify, json), callers, json, settings);
  }

  /**
   * Refuses what {@link #local} refuses, before anything is opened: an unauthenticated
   * non-loopback interface.
   */
  static void checkLocal(McpSettings settings) {
    if (settings.apiKey() == null && !loopback(settings.host())) {
      throw new ConfigurationException(McpSettings.HOST.name() + ": '" + settings.host()
          + "' is not a loopback address, and the local runtime serves the network only to"
          + " callers with a key: set " + McpSettings.API_KEY.name() + " (environment "
          + McpSettings.API_KEY.envName() + ", at least " + McpSettings.MIN_API_KEY_LENGTH
          + " characters), or use " + InMemoryConfig.MODE.name() + "=managed (callers then"
          + " authenticate with the InMemory server's API keys), or bind 127.0.0.1");
    }
  }

  /** The port listened on (the one picked when {@link McpSettings#port()} is 0). */
  public int port() {
    return endpoint.getPort();
  }

  /** The endpoint hosts connect to, such as {@code http://127.0.0.1:8090/mcp}. */
  public URI endpoint() {
    return endpoint;
  }

  /**
   * Stops: new requests are refused 503, the replies still due are written (up to
   * {@link McpSettings#drainTimeout()}), then sessions and connections are closed, and the
   * callers' clients; the client given to {@link #local} stays open (its owner closes it).
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    int unfinished = gate.stop(settings.drainTimeout());
    if (unfinished > 0) {
      LOG.warn("stopping with {} requests still in progress after {}", unfinished,
          settings.drainTimeout());
    }
    server.closeGracefully();
    stopJetty();
    if (callers != null) {
      callers.close();
    }
  }

  private void stopJetty() {
    try {
      jetty.stop();
    } catch (Exception e) {
      LOG.warn("stopping Jetty failed", e);
    }
  }

  private static String callerKey(McpSyncServerExchange exchange) {
    Object key = exchange.transportContext().get(CALLER_KEY);
    if (key == null) {
      // HttpGate lets no request without a key through; a guard, not a path
      throw new AuthenticationException("no API key in this request");
    }
    return (String) key;
  }

  /**
   * The {@code Host} headers accepted: on a loopback interface the loopback names (a browser
   * tricked by DNS rebinding sends the attacker's name); elsewhere any, the key being the guard.
   */
  private static List<String> allowedHosts(String host) {
    if (!loopback(host)) {
      return List.of();
    }
    // "name:*" accepts the name alone and with any port
    return Stream.of(uriHost(host), "localhost", "127.0.0.1", "[::1]").distinct()
        .map(name -> name + ":*").toList();
  }

  static boolean loopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new ConfigurationException(McpSettings.HOST.name() + ": '" + host
          + "' is not a known host name or address");
    }
  }

  /**
   * A copy of {@code json} that writes the SDK's {@link McpError} as the JSON-RPC error it
   * carries. The transport answers a request it refuses (a body that is not JSON, a batch, an
   * unknown session) with the error object itself, which Jackson wrote as a bean: its stack
   * trace, every frame, to the caller, and no JSON-RPC message.
   */
  static ObjectMapper withJsonRpcErrors(ObjectMapper json) {
    SimpleModule errors = new SimpleModule("inmemory-mcp-errors");
    errors.addSerializer(McpError.class, new StdSerializer<>(McpError.class) {
      @Override
      public void serialize(McpError error, JsonGenerator out, SerializerProvider provider)
          throws IOException {
        McpSchema.JSONRPCResponse.JSONRPCError rpc = error.getJsonRpcError();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", rpc == null ? McpSchema.ErrorCodes.INTERNAL_ERROR : rpc.code());
        body.put("message", rpc == null ? error.getMessage() : rpc.message());
        if (rpc != null && rpc.data() != null) {
          body.put("data", rpc.data());
        }
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("jsonrpc", McpSchema.JSONRPC_VERSION);
        message.put("id", null);
        message.put("error", body);
        provider.defaultSerializeValue(message, out);
      }
    });
    return json.copy().registerModule(errors);
  }

  private static String uriHost(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }
}
