package io.inmemory.mcp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inmemory.ConfigKey;
import io.inmemory.ConfigurationException;
import io.inmemory.InMemoryConfig;
import io.inmemory.InvalidRequestException;
import io.inmemory.InvalidRequestException.Violation;
import io.inmemory.wire.Member;
import io.inmemory.wire.MemoryJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The MCP server's own settings, read from the {@code inmemory.mcp.*} keys of an
 * {@link InMemoryConfig} by {@link #from}, every problem reported at once in one
 * {@link ConfigurationException}. Immutable and thread-safe.
 *
 * <p>A pinned user (or agent) makes the server one person's (one agent's) memory: the member
 * leaves every tool's schema, is set on every call, and a call that gives it anyway is refused (a
 * model cannot reach another user's memories).
 *
 * @param transport how hosts reach the server
 * @param host the interface the HTTP transport binds
 * @param port the HTTP transport's TCP port; 0 picks a free one
 * @param path the HTTP transport's endpoint path, such as {@code /mcp}
 * @param allowedOrigins the browser origins allowed to call the HTTP transport (a request with
 *     another {@code Origin} header is refused 403); empty: none
 * @param apiKey the key every HTTP request of the local runtime must present as
 *     {@code Authorization: Bearer <key>}, or {@code null} for none (loopback only)
 * @param drainTimeout how long, once the server is told to end (end of standard input, or the
 *     HTTP server's stop), the replies still due are waited for
 * @param userId the user every call is for, or {@code null} to let each call say
 * @param agentId the agent every call is for, or {@code null} to let each call say
 */
public record McpSettings(Transport transport, String host, int port, String path,
    List<String> allowedOrigins, @Nullable String apiKey, Duration drainTimeout,
    @Nullable String userId, @Nullable String agentId) {

  /** How hosts reach the server. */
  public enum Transport {
    /** Standard input and output of a process the host starts. */
    STDIO,
    /** MCP's streamable HTTP transport (POST, GET event stream, DELETE session). */
    HTTP
  }

  /** The transport. */
  public static final ConfigKey<Transport> TRANSPORT = ConfigKey.enumeration(
      "inmemory.mcp.transport", Transport.class, Transport.STDIO,
      "How hosts reach the MCP server: stdio (default) or http (streamable HTTP).");
  /** The HTTP transport's interface. */
  public static final ConfigKey<String> HOST = ConfigKey.string("inmemory.mcp.host",
      "127.0.0.1", "The interface the HTTP transport binds (default 127.0.0.1). A non-loopback"
          + " one needs authentication: inmemory.mode=managed or inmemory.mcp.api-key.");
  /** The HTTP transport's port; 0 picks a free one. */
  public static final ConfigKey<Integer> PORT = ConfigKey.integer("inmemory.mcp.port", 8090, 0,
      65535, "The HTTP transport's TCP port (default 8090; 0 picks a free one).");
  /** The HTTP transport's endpoint path. */
  public static final ConfigKey<String> PATH = ConfigKey.string("inmemory.mcp.path", "/mcp",
      "The HTTP transport's endpoint path (default /mcp).");
  /** Browser origins allowed to call the HTTP transport. */
  public static final ConfigKey<String> ALLOWED_ORIGINS = ConfigKey.string(
      "inmemory.mcp.allowed-origins", "", "Browser origins allowed to call the HTTP transport,"
          + " comma-separated, such as https://app.example or http://localhost:* (default"
          + " none: a request carrying an Origin header is refused 403).");
  /** The local runtime's static HTTP key. */
  public static final ConfigKey<String> API_KEY = ConfigKey.string("inmemory.mcp.api-key", null,
      "A secret of at least " + McpSettings.MIN_API_KEY_LENGTH + " characters every HTTP"
          + " request of the local runtime must send as 'Authorization: Bearer <key>'; required"
          + " to bind a non-loopback interface without inmemory.mode=managed.");
  /** How long replies still due are waited for at the end. */
  public static final ConfigKey<Integer> DRAIN_TIMEOUT_SECONDS = ConfigKey.integer(
      "inmemory.mcp.drain-timeout-seconds", 30, 0, 3600, "How long, once standard input ends"
          + " (stdio) or the server is stopped (http), the replies still due are waited for"
          + " (default 30 s).");
  /** The pinned user id. */
  public static final ConfigKey<String> USER_ID = ConfigKey.string("inmemory.mcp.user-id", null,
      "The user every tool call is for; unset: each call gives user_id.");
  /** The pinned agent id. */
  public static final ConfigKey<String> AGENT_ID = ConfigKey.string("inmemory.mcp.agent-id",
      null, "The agent every tool call is for; unset: each call may give agent_id.");

  /** The shortest {@link #apiKey} accepted (as the server's admin key). */
  static final int MIN_API_KEY_LENGTH = 32;

  private static final Pattern PATH_SYNTAX = Pattern.compile("/[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*");
  private static final Pattern ORIGIN_SYNTAX = Pattern.compile(
      "https?://[^/\\s?#]+", Pattern.CASE_INSENSITIVE);

  /**
   * Validates the settings.
   *
   * @throws ConfigurationException listing every invalid value, by its key
   */
  public McpSettings {
    allowedOrigins = List.copyOf(allowedOrigins);
    List<String> problems = new ArrayList<>();
    if (host.isBlank()) {
      problems.add(HOST.name() + ": must not be blank");
    }
    if (port < 0 || port > 65535) {
      problems.add(PORT.name() + ": " + port + " is not between 0 and 65535");
    }
    if (!PATH_SYNTAX.matcher(path).matches()) {
      problems.add(PATH.name() + ": '" + path + "' is not a path such as /mcp (letters, digits,"
          + " . _ ~ - between slashes)");
    }
    for (String origin : allowedOrigins) {
      if (!ORIGIN_SYNTAX.matcher(origin).matches()) {
        problems.add(ALLOWED_ORIGINS.name() + ": '" + origin + "' is not an origin such as"
            + " https://app.example, http://localhost:3000 or http://localhost:*");
      }
    }
    if (apiKey != null && apiKey.strip().length() < MIN_API_KEY_LENGTH) {
      problems.add(API_KEY.name() + ": must be at least " + MIN_API_KEY_LENGTH + " characters");
    }
    if (apiKey != null && !apiKey.strip().chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      problems.add(API_KEY.name() + ": must be printable ASCII without spaces (it is sent in an"
          + " HTTP header)");
    }
    if (apiKey != null && transport == Transport.STDIO) {
      problems.add(API_KEY.name() + ": only the http transport takes a key (over stdio the"
          + " caller is the host that started the process); unset it or set "
          + TRANSPORT.name() + "=http");
    }
    if (drainTimeout.isNegative()) {
      problems.add(DRAIN_TIMEOUT_SECONDS.name() + ": must not be negative");
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
    apiKey = apiKey == null ? null : apiKey.strip();
  }

  /** The defaults: stdio, nothing pinned. */
  public static McpSettings none() {
    return new McpSettings(TRANSPORT.defaultValue().orElseThrow(),
        HOST.defaultValue().orElseThrow(), PORT.defaultValue().orElseThrow(),
        PATH.defaultValue().orElseThrow(), List.of(), null,
        Duration.ofSeconds(DRAIN_TIMEOUT_SECONDS.defaultValue().orElseThrow()), null, null);
  }

  /**
   * The settings {@code config} gives.
   *
   * @throws ConfigurationException listing every invalid value, by its key
   */
  public static McpSettings from(InMemoryConfig config) {
    List<String> problems = new ArrayList<>();
    // an unreadable transport counts as http, which no other value contradicts
    Transport transport = read(problems, () -> config.get(TRANSPORT), Transport.HTTP);
    String host = read(problems, () -> config.get(HOST), "127.0.0.1").strip();
    int port = read(problems, () -> config.get(PORT), 0);
    String path = read(problems, () -> config.get(PATH), "/mcp").strip();
    List<String> origins = Arrays.stream(read(problems, () -> config.get(ALLOWED_ORIGINS), "")
        .split(",")).map(String::strip).filter(origin -> !origin.isEmpty()).toList();
    String apiKey = read(problems, () -> config.find(API_KEY), Optional.<String>empty())
        .orElse(null);
    int drain = read(problems, () -> config.get(DRAIN_TIMEOUT_SECONDS), 0);
    String userId = read(problems, () -> config.find(USER_ID), Optional.<String>empty())
        .orElse(null);
    String agentId = read(problems, () -> config.find(AGENT_ID), Optional.<String>empty())
        .orElse(null);
    McpSettings settings = read(problems, () -> new McpSettings(transport, host, port, path,
        origins, apiKey, Duration.ofSeconds(drain), userId, agentId), null);
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
    return settings;
  }

  private static <T> T read(List<String> problems, Supplier<T> value, @Nullable T fallback) {
    try {
      return value.get();
    } catch (ConfigurationException e) {
      problems.addAll(e.problems());
      return fallback;
    }
  }

  /** The argument names the tools do not offer, being pinned. */
  List<String> pinnedMembers() {
    List<String> pinned = new ArrayList<>();
    if (userId != null) {
      pinned.add(MemoryJson.USER_ID.name());
    }
    if (agentId != null) {
      pinned.add(MemoryJson.AGENT_ID.name());
    }
    return pinned;
  }

  /**
   * Sets the pinned members on a call's {@code arguments}.
   *
   * @throws InvalidRequestException when the call gives a pinned member itself
   */
  void pin(ObjectNode arguments) {
    List<Violation> refused = new ArrayList<>();
    pin(arguments, MemoryJson.USER_ID, USER_ID, userId, refused);
    pin(arguments, MemoryJson.AGENT_ID, AGENT_ID, agentId, refused);
    if (!refused.isEmpty()) {
      throw new InvalidRequestException(refused);
    }
  }

  private static void pin(ObjectNode arguments, Member member, ConfigKey<String> key,
      @Nullable String value, List<Violation> refused) {
    if (value == null) {
      return;
    }
    if (arguments.has(member.name())) {
      refused.add(new Violation(member.field(), "is fixed by this server (" + key.name() + ")"));
    } else {
      arguments.put(member.name(), value);
    }
  }

  /** The settings' text for logs: never the key. */
  @Override
  public String toString() {
    return "McpSettings[transport=" + transport + ", host=" + host + ", port=" + port + ", path="
        + path + ", allowedOrigins=" + allowedOrigins + ", apiKey="
        + (apiKey == null ? "none" : "set") + ", drainTimeout=" + drainTimeout + ", userId="
        + userId + ", agentId=" + agentId + "]";
  }
}
