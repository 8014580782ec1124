package io.inmemory.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inmemory.InvalidRequestException;
import io.inmemory.Limits;
import io.inmemory.MemoryFilter;
import io.inmemory.wire.FilterJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The JSON the commands read and print: the REST API's. Stateless and thread-safe. */
final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /** {@code document} on one line, for {@code --json}. */
  static String write(Map<String, Object> document) {
    try {
      return MAPPER.writeValueAsString(document);
    } catch (JsonProcessingException e) {
      // the wire codecs build maps of strings, numbers, booleans, lists and maps only
      throw new IllegalStateException("not JSON: " + document, e);
    }
  }

  /** A number or boolean when {@code text} is one in JSON, else {@code text} itself. */
  static Object scalar(String text) {
    try {
      JsonNode node = MAPPER.readTree(text);
      if (node != null && (node.isNumber() || node.isBoolean())) {
        return node.isBoolean() ? node.booleanValue() : node.numberValue();
      }
    } catch (JsonProcessingException e) {
      // not JSON: the text itself
    }
    return text;
  }

  /**
   * The filter {@code argument} states in the REST API's filter language: the JSON itself, or
   * {@code @FILE} holding it.
   *
   * @throws InvalidRequestException when it is not JSON or not a valid filter
   * @throws UncheckedIOException when the file cannot be read
   */
  static MemoryFilter filter(String argument, Limits limits) {
    String text = argument;
    if (argument.startsWith("@")) {
      try {
        text = Files.readString(Path.of(argument.substring(1)));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the filter file " + argument.substring(1)
            + ": " + e.getMessage(), e);
      }
    }
    JsonNode json;
    try {
      json = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException(FilterJson.FILTERS.name(),
          "not JSON: " + e.getOriginalMessage());
    }
    if (json == null) {
      throw new InvalidRequestException(FilterJson.FILTERS.name(), "empty");
    }
    return FilterJson.read(json, limits);
  }
}
