package io.inmemory.springai;

import io.inmemory.AddRequest;
import io.inmemory.InvalidRequestException;
import io.inmemory.Limits;
import io.inmemory.MemoryRecord;
import io.inmemory.Role;
import io.inmemory.Scope;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.messages.AbstractMessage;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.MessageType;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.content.MediaContent;

/**
 * How a Spring AI message is written as memories and read back, for the chat memory
 * repository. The details live in a map under the memory metadata
 * key {@code spring_ai}: {@code seq} (position), {@code part} (a tool response's index),
 * {@code type}, {@code blank} (the text was null or blank, so the content is a rendering and
 * {@code text} holds the text when not null), {@code tool_calls}, {@code tool} and
 * {@code metadata} (the message's own). Stateless.
 */
final class StoredMessage {
  // the repository publishes these three: defined here so this class does not use it back
  static final String METADATA_KEY = "spring_ai";
  static final String MEMORY_ID = "inmemory_memory_id";
  static final String SEQUENCE = "inmemory_seq";
  private static final String SEQ = "seq";
  private static final String PART = "part";
  private static final String TYPE = "type";
  private static final String BLANK = "blank";
  private static final String TEXT = "text";
  private static final String TOOL_CALLS = "tool_calls";
  private static final String TOOL = "tool";
  private static final String METADATA = "metadata";
  /**
   * The deepest message metadata a memory keeps: the levels of memory metadata, less the two this
   * class adds ({@code spring_ai.metadata}). Deeper is refused here, naming the
   * message rather than the memory's internal path; a map holding itself ends here too.
   */
  private static final int MAX_METADATA_DEPTH = Limits.MAX_METADATA_DEPTH - 2;
  private static final List<String> GENERATED = List.of(AbstractMessage.MESSAGE_TYPE,
      MEMORY_ID, SEQUENCE);

  private StoredMessage() {}

  /** Refuses what is not stored, before anything is written. */
  static void check(Message message) {
    MessageType type = type(message);
    if (message instanceof MediaContent content && content.getMedia() != null
        && !content.getMedia().isEmpty()) {
      throw refused("media (images, audio) is not stored; the " + label(type)
          + " message holds " + content.getMedia().size());
    }
  }

  /**
   * The type of a message of Spring AI's four classes (or a subclass), taken from its class: what
   * is read back is that class, so a message of any other class would come back as something
   * else.
   */
  private static MessageType type(Message message) {
    if (message instanceof UserMessage) {
      return MessageType.USER;
    }
    if (message instanceof AssistantMessage) {
      return MessageType.ASSISTANT;
    }
    if (message instanceof SystemMessage) {
      return MessageType.SYSTEM;
    }
    if (message instanceof ToolResponseMessage) {
      return MessageType.TOOL;
    }
    throw refused("a message of class " + message.getClass().getName() + " (type "
        + message.getMessageType() + ") is not stored: only UserMessage, AssistantMessage, "
        + "SystemMessage and ToolResponseMessage, or subclasses (read back as those classes)");
  }

  /** The memories of {@code message} at position {@code seq}, one per part. */
  static List<AddRequest> requests(Scope scope, Message message, long seq) {
    check(message);
    MessageType type = type(message);
    Map<String, Object> common = new LinkedHashMap<>();
    common.put(SEQ, seq);
    common.put(TYPE, type.name());
    Map<String, Object> own = json(message.getMetadata());
    GENERATED.forEach(own::remove);
    if (!own.isEmpty()) {
      common.put(METADATA, own);
    }
    if (message instanceof ToolResponseMessage tool) {
      return toolRequests(scope, tool, common);
    }
    List<Map<String, Object>> calls = message instanceof AssistantMessage assistant
        ? assistant.getToolCalls().stream().map(StoredMessage::toolCall).toList() : List.of();
    if (!calls.isEmpty()) {
      common.put(TOOL_CALLS, calls);
    }
    String rendering = calls.isEmpty() ? "(empty " + label(type) + " message)"
        : "tool calls " + assistantCalls(((AssistantMessage) message).getToolCalls());
    return List.of(request(scope, type, common, message.getText(), rendering, 0));
  }

  private static List<AddRequest> toolRequests(Scope scope, ToolResponseMessage message,
      Map<String, Object> common) {
    List<ToolResponseMessage.ToolResponse> responses = message.getResponses();
    if (responses.isEmpty()) {
      return List.of(request(scope, MessageType.TOOL, common, null,
          "(tool message without responses)", 0));
    }
    List<AddRequest> requests = new ArrayList<>();
    for (int i = 0; i < responses.size(); i++) {
      ToolResponseMessage.ToolResponse response = responses.get(i);
      Map<String, Object> details = new LinkedHashMap<>(i == 0 ? common : Map.of(SEQ,
          common.get(SEQ), TYPE, common.get(TYPE)));
      details.put(TOOL, withoutNulls(Map.of(), "id", response.id(), "name", response.name()));
      requests.add(request(scope, MessageType.TOOL, details, response.responseData(),
          "(empty response of tool " + response.name() + ")", i));
    }
    return requests;
  }

  private static AddRequest request(Scope scope, MessageType type, Map<String, Object> details,
      @Nullable String text, String rendering, int part) {
    boolean blank = text == null || text.isBlank();
    if (part > 0) {
      details.put(PART, part);
    }
    if (blank) {
      details.put(BLANK, true);
      if (text != null) {
        details.put(TEXT, text);
      }
    }
    return AddRequest.builder(blank ? rendering : text, scope).role(role(type))
        .metadata(Map.of(METADATA_KEY, details))
        .deduplicate(false).build();
  }

  /** Whether the memories {@code requests} would write are those stored, in order. */
  static boolean sameAs(List<AddRequest> requests, List<MemoryRecord> stored) {
    if (requests.size() != stored.size()) {
      return false;
    }
    for (int i = 0; i < requests.size(); i++) {
      AddRequest request = requests.get(i);
      MemoryRecord memory = stored.get(i);
      if (!request.content().equals(memory.content()) || request.role() != memory.role()
          || !request.metadata().equals(memory.metadata())) {
        return false;
      }
    }
    return true;
  }

  /** The message the memories of one position make. */
  static Message toMessage(List<MemoryRecord> parts) {
    MemoryRecord first = parts.get(0);
    Map<String, Object> details = details(first);
    MessageType type = type(first, details);
    Map<String, Object> metadata = new LinkedHashMap<>();
    if (details.get(METADATA) instanceof Map<?, ?> own) {
      own.forEach((key, value) -> metadata.put((String) key, value));
    }
    metadata.put(MEMORY_ID, first.id());
    Long seq = sequence(first);
    if (seq != null) {
      metadata.put(SEQUENCE, seq);
    }
    String text = text(first, details);
    return switch (type) {
      case USER -> UserMessage.builder().text(text == null ? "" : text).metadata(metadata).build();
      case SYSTEM -> SystemMessage.builder().text(text == null ? "" : text).metadata(metadata)
          .build();
      case ASSISTANT -> AssistantMessage.builder().content(text).properties(metadata)
          .toolCalls(toolCalls(details)).build();
      case TOOL -> ToolResponseMessage.builder().responses(parts.stream()
          .filter(part -> details(part).get(TOOL) instanceof Map<?, ?>)
          .map(part -> {
            Map<?, ?> tool = (Map<?, ?>) details(part).get(TOOL);
            return new ToolResponseMessage.ToolResponse((String) tool.get("id"),
                (String) tool.get("name"), text(part, details(part)));
          }).toList()).metadata(metadata).build();
    };
  }

  /** The position of a memory written by this class, or null for a memory written otherwise. */
  static @Nullable Long sequence(MemoryRecord memory) {
    return details(memory).get(SEQ) instanceof Number seq ? seq.longValue() : null;
  }

  /** The part index of a memory (0 for most messages). */
  static long part(MemoryRecord memory) {
    return details(memory).get(PART) instanceof Number part ? part.longValue() : 0;
  }

  /** The position a message read from the repository carries, or null. */
  static @Nullable Long sequence(Message message) {
    Map<String, Object> metadata = message.getMetadata();
    return metadata != null
        && metadata.get(SEQUENCE) instanceof Number seq
        ? seq.longValue() : null;
  }

  /** The details of a memory written by this class; empty for any other memory. */
  private static Map<String, Object> details(MemoryRecord memory) {
    if (memory.metadata().get(METADATA_KEY) instanceof Map<?, ?> details
        && wellFormed(details)) {
      @SuppressWarnings("unchecked")
      Map<String, Object> map = (Map<String, Object>) details;
      return map;
    }
    return Map.of();
  }

  /**
   * Whether {@code details} are of the shape this class writes. Others (written by hand or by
   * another program in the conversation's scope) make the memory read as a message of its role,
   * as a memory without details is, rather than fail every read of the conversation.
   */
  private static boolean wellFormed(Map<?, ?> details) {
    return details.get(SEQ) instanceof Number
        && details.get(TYPE) instanceof String type
        && Arrays.stream(MessageType.values()).anyMatch(known -> known.name().equals(type))
        && optional(details, PART, Number.class) && optional(details, BLANK, Boolean.class)
        && optional(details, TEXT, String.class) && optional(details, METADATA, Map.class)
        && (details.get(TOOL) == null
            || details.get(TOOL) instanceof Map<?, ?> tool && texts(tool, "id", "name"))
        && (details.get(TOOL_CALLS) == null || details.get(TOOL_CALLS) instanceof List<?> calls
            && calls.stream().allMatch(call -> call instanceof Map<?, ?> map
                && texts(map, "id", "type", "name", "arguments")));
  }

  private static boolean optional(Map<?, ?> map, String key, Class<?> type) {
    Object value = map.get(key);
    return value == null || type.isInstance(value);
  }

  private static boolean texts(Map<?, ?> map, String... keys) {
    return Arrays.stream(keys).allMatch(key -> optional(map, key, String.class));
  }

  /** The type written, else the memory's role: a memory written otherwise reads as its role. */
  private static MessageType type(MemoryRecord memory, Map<String, Object> details) {
    if (details.get(TYPE) instanceof String type) {
      return MessageType.valueOf(type);
    }
    return memory.role() == null || memory.role() == Role.TOOL ? MessageType.USER
        : MessageType.valueOf(memory.role().name());
  }

  private static @Nullable String text(MemoryRecord memory, Map<String, Object> details) {
    if (Boolean.TRUE.equals(details.get(BLANK))) {
      return (String) details.get(TEXT);
    }
    return memory.content();
  }

  private static List<AssistantMessage.ToolCall> toolCalls(Map<String, Object> details) {
    if (!(details.get(TOOL_CALLS) instanceof List<?> calls)) {
      return List.of();
    }
    return calls.stream().map(call -> (Map<?, ?>) call)
        .map(call -> new AssistantMessage.ToolCall((String) call.get("id"),
            (String) call.get("type"), (String) call.get("name"), (String) call.get("arguments")))
        .toList();
  }

  private static Map<String, Object> toolCall(AssistantMessage.ToolCall call) {
    return withoutNulls(Map.of(), "id", call.id(), "type", call.type(), "name", call.name(),
        "arguments", call.arguments());
  }

  private static String assistantCalls(List<AssistantMessage.ToolCall> calls) {
    return calls.stream().map(call -> call.name() + " " + call.arguments())
        .collect(Collectors.joining("; "));
  }

  /** {@code base} plus the given key/value pairs whose value is not null (metadata has no null). */
  private static Map<String, Object> withoutNulls(Map<String, Object> base, Object... pairs) {
    Map<String, Object> map = new LinkedHashMap<>(base);
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i + 1] != null) {
        map.put((String) pairs[i], pairs[i + 1]);
      }
    }
    return map;
  }

  /** A mutable copy of message metadata holding JSON values only (see the repository). */
  private static Map<String, Object> json(@Nullable Map<String, Object> metadata) {
    return metadata == null ? new LinkedHashMap<>() : jsonMap(metadata, 0);
  }

  private static Map<String, Object> jsonMap(Map<?, ?> map, int depth) {
    Map<String, Object> copy = new LinkedHashMap<>();
    map.forEach((key, child) -> {
      if (key != null && child != null) {
        copy.put(key.toString(), jsonValue(child, depth + 1));
      }
    });
    return copy;
  }

  private static Object jsonValue(Object value, int depth) {
    if (depth > MAX_METADATA_DEPTH) {
      throw refused("message metadata nested deeper than " + MAX_METADATA_DEPTH
          + " levels (a map or list holding itself?)");
    }
    if (value instanceof String || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Number number) {
      double d = number.doubleValue();
      return Double.isNaN(d) || Double.isInfinite(d) ? value.toString() : value;
    }
    if (value instanceof Map<?, ?> map) {
      return jsonMap(map, depth);
    }
    if (value instanceof Collection<?> values) {
      return jsonList(values.stream(), depth);
    }
    if (value.getClass().isArray()) {
      // an array's toString() is its identity hash, which no reader can use
      return jsonList(IntStream.range(0, Array.getLength(value))
          .mapToObj(i -> Array.get(value, i)), depth);
    }
    return value.toString();
  }

  private static List<Object> jsonList(Stream<?> values, int depth) {
    return values.filter(Objects::nonNull).map(child -> jsonValue(child, depth + 1)).toList();
  }

  private static Role role(MessageType type) {
    return Role.valueOf(type.name());
  }

  private static String label(MessageType type) {
    return type.name().toLowerCase(Locale.ROOT);
  }

  private static InvalidRequestException refused(String problem) {
    return new InvalidRequestException("messages", problem);
  }
}
