package io.inmemory.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inmemory.ConversationRequest;
import io.inmemory.InvalidRequestException;
import io.inmemory.Limits;
import io.inmemory.cli.imports.LocomoConversations.Sample;
import io.inmemory.cli.imports.LocomoConversations.Session;
import io.inmemory.cli.imports.LocomoConversations.TurnContent;
import io.inmemory.cli.imports.LocomoConversations;
import io.inmemory.wire.JsonBody;
import io.inmemory.wire.RequestJson;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The conversations of a file, each one unit of an import: a LoCoMo dataset's sessions (unit
 * {@code sample/session_N}, the sample's user unless {@code --user}; turns with their image
 * captions), or {@code {"messages": […], "user_id": …}} objects exactly as {@code POST
 * /v1/memories} takes them — one, a list, or one per line (unit: its number, from 1). A unit
 * that is not a valid conversation is kept with its problem, so the import reports it and goes
 * on. Stateless and thread-safe.
 */
final class ConversationFile {
  // JSON Lines must not read as its first value alone
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private ConversationFile() {}

  /**
   * A conversation to store, or why it cannot be.
   *
   * @param key the unit's name in the checkpoint and the import marker
   * @param request the conversation, or null when invalid
   * @param problem what is wrong with it, or null
   */
  record Unit(String key, @Nullable ConversationRequest request, @Nullable String problem) {}

  /** The sessions of a LoCoMo dataset. */
  static List<Unit> locomo(byte[] content, @Nullable String user) throws IOException {
    LocomoConversations dataset = LocomoConversations.parse(new ByteArrayInputStream(content));
    Map<String, String> users = LocomoConversations.users(dataset);
    List<Unit> units = new ArrayList<>();
    for (Sample sample : dataset.samples()) {
      for (Session session : sample.sessions()) {
        Optional<ConversationRequest> request = LocomoConversations.conversation(sample, session,
            user != null ? user : users.get(sample.sampleId()), TurnContent.CAPTION);
        request.ifPresent(conversation -> units.add(new Unit(
            sample.sampleId() + "/session_" + session.number(), conversation, null)));
      }
    }
    return units;
  }

  /** The {@code {"messages": […]}} conversations of a file. */
  static List<Unit> messages(byte[] content, @Nullable String user, Limits limits)
      throws IOException {
    List<JsonNode> objects = new ArrayList<>();
    JsonNode whole = wholeOrNull(content);
    if (whole != null && whole.isArray()) {
      whole.forEach(objects::add);
    } else if (whole != null) {
      objects.add(whole);
    } else {
      for (String line : new String(content, StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank()) {
          objects.add(MAPPER.readTree(line));
        }
      }
    }
    List<Unit> units = new ArrayList<>();
    for (int i = 0; i < objects.size(); i++) {
      String key = Integer.toString(i + 1);
      JsonNode object = objects.get(i);
      if (!object.isObject()) {
        units.add(new Unit(key, null, "not a JSON object"));
        continue;
      }
      ObjectNode body = ((ObjectNode) object).deepCopy();
      if (user != null && !body.hasNonNull("user_id") && !body.hasNonNull("agent_id")) {
        body.put("user_id", user);
      }
      try {
        units.add(new Unit(key, RequestJson.conversation(JsonBody.of(body), limits), null));
      } catch (InvalidRequestException e) {
        units.add(new Unit(key, null, InMemoryCli.message(e)));
      }
    }
    return units;
  }

  private static @Nullable JsonNode wholeOrNull(byte[] content) {
    try {
      return MAPPER.readTree(content);
    } catch (IOException severalValues) {
      return null;
    }
  }
}
