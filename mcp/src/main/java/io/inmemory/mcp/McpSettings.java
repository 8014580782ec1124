package io.inmemory.mcp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inmemory.ConfigKey;
import io.inmemory.InMemoryConfig;
import io.inmemory.InvalidRequestException;
import io.inmemory.InvalidRequestException.Violation;
import io.inmemory.wire.Member;
import io.inmemory.wire.MemoryJson;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The MCP server's own settings. A pinned user (or agent) makes the server one person's (one
 * agent's) memory: the member leaves every tool's schema, is set on every call, and a call that
 * gives it anyway is refused (a model cannot reach another user's memories). Immutable.
 *
 * @param userId the user every call is for, or {@code null} to let each call say
 * @param agentId the agent every call is for, or {@code null} to let each call say
 */
public record McpSettings(@Nullable String userId, @Nullable String agentId) {
  /** The pinned user id. */
  public static final ConfigKey<String> USER_ID = ConfigKey.string("inmemory.mcp.user-id", null,
      "The user every tool call is for; unset: each call gives user_id.");
  /** The pinned agent id. */
  public static final ConfigKey<String> AGENT_ID = ConfigKey.string("inmemory.mcp.agent-id",
      null, "The agent every tool call is for; unset: each call may give agent_id.");

  /** Nothing pinned. */
  public static McpSettings none() {
    return new McpSettings(null, null);
  }

  /** The settings {@code config} gives. */
  public static McpSettings from(InMemoryConfig config) {
    return new McpSettings(config.find(USER_ID).orElse(null),
        config.find(AGENT_ID).orElse(null));
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
}
