package io.inmemory.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What kind of file an import reads, from its content: an InMemory export (JSON Lines whose lines
 * have a {@code kind}), a LoCoMo dataset (a list of samples with a {@code conversation}),
 * conversations in the REST API's {@code {"messages": […]}} shape (one, a list, or one per line),
 * or a mem0 export (a list of memories with {@code id} and {@code memory}, or {@code {"results":
 * […]}}). Stateless and thread-safe.
 */
final class FormatSniffer {
  /** The kinds of file an import reads. */
  enum Format {
    INMEMORY, LOCOMO, MESSAGES, MEM0;

    /** The option value naming it, such as {@code locomo}. */
    String option() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  // JSON Lines must not read as its first value alone
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private FormatSniffer() {}

  /**
   * The format of {@code content}.
   *
   * @throws IllegalArgumentException when it is none of them, saying what was found
   */
  static Format sniff(byte[] content) {
    JsonNode first = first(content);
    if (first.isArray()) {
      JsonNode item = first.path(0);
      if (item.has("conversation")) {
        return Format.LOCOMO;
      }
      if (item.has("messages")) {
        return Format.MESSAGES;
      }
      if (item.has("memory") && item.has("id")) {
        return Format.MEM0;
      }
    } else if (first.isObject()) {
      if (first.has("kind")) {
        return Format.INMEMORY;
      }
      if (first.has("messages")) {
        return Format.MESSAGES;
      }
      if (first.path("results").isArray()) {
        return Format.MEM0;
      }
    }
    throw new IllegalArgumentException("cannot tell the format of the file: expected an InMemory"
        + " export, a LoCoMo dataset, {\"messages\": [...]} conversations or a mem0 export;"
        + " give --format");
  }

  /** The whole content as one JSON value, else its first line's (JSON Lines). */
  private static JsonNode first(byte[] content) {
    try {
      JsonNode whole = MAPPER.readTree(content);
      if (whole != null) {
        return whole;
      }
    } catch (IOException notOneValue) {
      // JSON Lines: several values
    }
    String text = new String(content, StandardCharsets.UTF_8).strip();
    int end = text.indexOf('\n');
    try {
      JsonNode line = MAPPER.readTree(end < 0 ? text : text.substring(0, end));
      return line == null ? MAPPER.missingNode() : line;
    } catch (IOException e) {
      return MAPPER.missingNode();
    }
  }
}
