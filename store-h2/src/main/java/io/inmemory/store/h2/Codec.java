package io.inmemory.store.h2;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inmemory.engine.tenant.KeyScope;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How values that have no SQL column type of their own are stored: embeddings as little-endian
 * float32 bytes (raw bits, so {@code -0.0}, subnormals and NaN payloads come back unchanged),
 * metadata as JSON text (integers read back as {@code Long}, decimals as {@code Double}, exactly,
 * since Java prints the shortest decimal that parses back to the same double), scopes as
 * comma-separated names, a change's memory ids as a JSON array. Stateless and thread-safe.
 */
final class Codec {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_LONG_FOR_INTS);
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
  private static final TypeReference<List<String>> IDS = new TypeReference<>() {};

  private Codec() {}

  static byte[] embedding(float[] vector) {
    ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES)
        .order(ByteOrder.LITTLE_ENDIAN);
    for (float value : vector) {
      bytes.putInt(Float.floatToRawIntBits(value));
    }
    return bytes.array();
  }

  /**
   * @throws IllegalArgumentException when the bytes are not whole floats
   */
  static float[] embedding(byte[] bytes) {
    if (bytes.length % Float.BYTES != 0) {
      throw new IllegalArgumentException("an embedding of " + bytes.length
          + " bytes is not a whole number of float32 values");
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    float[] vector = new float[bytes.length / Float.BYTES];
    for (int i = 0; i < vector.length; i++) {
      vector[i] = Float.intBitsToFloat(buffer.getInt());
    }
    return vector;
  }

  static String metadata(Map<String, Object> metadata) {
    try {
      return JSON.writeValueAsString(metadata);
    } catch (JsonProcessingException e) {
      // MemoryRecord admits only JSON values, so this is a bug, not bad input
      throw new IllegalStateException("metadata could not be written as JSON", e);
    }
  }

  /**
   * @throws IllegalArgumentException when the text is not a JSON object
   */
  static Map<String, Object> metadata(String json) {
    try {
      return JSON.readValue(json, MAP);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("metadata is not a JSON object: " + e.getOriginalMessage(),
          e);
    }
  }

  /** Memory ids as a JSON array (ids may hold any character). */
  static String ids(List<String> ids) {
    try {
      return JSON.writeValueAsString(ids);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("ids could not be written as JSON", e);
    }
  }

  /**
   * @throws IllegalArgumentException when the text is not a JSON array of strings
   */
  static List<String> ids(String json) {
    try {
      return JSON.readValue(json, IDS);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("memory ids are not a JSON array of strings: "
          + e.getOriginalMessage(), e);
    }
  }

  static String scopes(Set<KeyScope> scopes) {
    return EnumSet.copyOf(scopes).stream().map(KeyScope::name).collect(Collectors.joining(","));
  }

  /**
   * @throws IllegalArgumentException when a name is not a {@link KeyScope}
   */
  static Set<KeyScope> scopes(String names) {
    return Arrays.stream(names.split(",")).map(KeyScope::valueOf)
        .collect(Collectors.toCollection(() -> EnumSet.noneOf(KeyScope.class)));
  }
}
