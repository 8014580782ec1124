package io.inmemory.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Generates HTTP requests for the fuzz test from the server's own OpenAPI document: a route's
 * method, path and query parameters and the members of its JSON body, filled with values drawn
 * from lists of edge cases (wrong types, bad percent-encodings, overlong and non-ASCII strings,
 * ids of another project), then often broken: other methods, unknown paths, bad headers and
 * framing, byte-level mutations of the whole request. Deterministic for a seed; not thread-safe.
 */
final class FuzzRequests {
  /**
   * One generated request: its bytes on the wire, and its parts for java.net.http.
   *
   * @param wellFormed whether the bytes are a complete request, neither mutated nor misframed
   * @param plainHead whether Jetty passes its head to the handler: false for a path or header
   *     Jetty refuses itself (ambiguous or malformed path, head over 8 KB)
   */
  record Request(String method, String target, List<String[]> headers, byte[] body,
      byte[] raw, boolean wellFormed, boolean plainHead) {
    /** What a failure report shows: the request's bytes, non-printable ones escaped. */
    String describe() {
      StringBuilder text = new StringBuilder();
      int shown = Math.min(raw.length, 2000);
      for (int i = 0; i < shown; i++) {
        int b = raw[i] & 0xff;
        text.append(b >= 0x20 && b < 0x7f || b == '\n' ? String.valueOf((char) b)
            : b == '\r' ? "\\r" : String.format("\\x%02x", b));
      }
      return shown < raw.length ? text + "... (" + raw.length + " bytes)" : text.toString();
    }
  }

  private record Operation(String method, String template, List<String> query, JsonNode body) {}

  /** Path segments Jetty refuses before the handler: ambiguous or not UTF-8. */
  private static final String[] REFUSED_SEGMENTS = {"a%2Fb", "..", "%2e", "%C0%AF", "%FF"};
  private static final String BIG_HEADER = "X-Big";

  private static final String[] STRINGS = {"", " ", "u", "user-1", "bad user!", "é", "日本語",
      "🙂", "\u0000", "\u001f", "x".repeat(300), "%", "%FF", "../..", "null", "true", "0",
      "-1", "a,b,,c", "<script>", "\"quoted\"", "\\", "line\nbreak", "2024-05-01T12:00:00Z",
      "yesterday", "last week", "Europe/Paris", "Mars/Base", "relevance", "any", "all"};
  private static final String[] QUERY_VALUES = {"", "u", "0", "1", "-1", "10", "1000", "1001",
      "2147483648", "99999999999999999999", "1.5", "x", "%FF", "%C0%AF", "%ED%A0%80", "%",
      "%G1", "%2", "a+b", "%20", "%00", "%E6%97%A5", "==", "&", "u&user_id=v"};
  private static final String[] QUERY_NAMES = {"user_id", "limit", "offset", "key_id",
      "project_id", "x", "", "%FF", "user_id[]"};
  private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS",
      "TRACE", "CONNECT", "get", "FOO", "POST ", "G\u00e9T", ""};
  private static final String[] VERSIONS = {"HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/1.2",
      "HTTP/1", "http/1.1", "HTTP/1.1 x", ""};
  private static final String[] CONTENT_TYPES = {"application/json",
      "application/json; charset=utf-8", "application/problem+json", "text/plain",
      "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "", ";", "json",
      "application/json; charset=latin-1"};
  private static final String[] ODD_HEADERS = {"X-Request-Id: " + "r".repeat(200),
      "X-Request-Id: ok-id.1", "X-Request-Id: \u00e9", "Origin: https://example.com",
      "Access-Control-Request-Method: POST", "Expect: 100-continue", "Expect: teapot",
      "Connection: close", "Connection: keep-alive", "Connection: Upgrade, HTTP2-Settings",
      "Upgrade: h2c", "Upgrade: websocket", "Idempotency-Key: k1", "Idempotency-Key: ",
      "Idempotency-Key: " + "k".repeat(300), "Idempotency-Key: \u00e9", "Cookie: a=b",
      "Accept-Encoding: gzip", "Content-Encoding: gzip", "Transfer-Encoding: gzip, chunked",
      "Transfer-Encoding: chunked, chunked", "Transfer-Encoding: identity", "Host: ",
      "Host: a:b:c", "X-Forwarded-For: 1.2.3.4", " folded: value", "NoColon", ": empty name",
      "Bad Name: x", BIG_HEADER + ": " + "b".repeat(9000), "X-Ctl: a\u0001b", "X-Api-Key:  "};

  private final Random random;
  /** Whether the request being generated has a head Jetty refuses itself. */
  private boolean refusedHead;
  private final List<Operation> operations = new ArrayList<>();
  private final JsonNode schemas;
  private final List<String> keys;
  private final List<String> ids;

  /**
   * @param openApi the server's {@code /openapi.json}
   * @param keys API keys requests may carry (alongside made-up and malformed ones)
   * @param ids memory ids requests may name
   */
  FuzzRequests(JsonNode openApi, List<String> keys, List<String> ids, long seed) {
    this.random = new Random(seed);
    this.keys = List.copyOf(keys);
    this.ids = List.copyOf(ids);
    this.schemas = openApi.path("components").path("schemas");
    for (Iterator<Map.Entry<String, JsonNode>> paths = openApi.path("paths").fields();
        paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      for (Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields();
          methods.hasNext(); ) {
        Map.Entry<String, JsonNode> method = methods.next();
        List<String> query = new ArrayList<>();
        method.getValue().path("parameters").forEach(parameter -> {
          if (parameter.path("in").asText().equals("query")) {
            query.add(parameter.path("name").asText());
          }
        });
        JsonNode body = method.getValue().path("requestBody").path("content")
            .path("application/json").path("schema");
        operations.add(new Operation(method.getKey().toUpperCase(java.util.Locale.ROOT),
            path.getKey(), query, body.isMissingNode() ? null : body));
      }
    }
    if (operations.isEmpty()) {
      throw new IllegalArgumentException("the OpenAPI document lists no operation");
    }
  }

  /** The next request. */
  Request next() {
    refusedHead = false;
    Operation operation = operations.get(random.nextInt(operations.size()));
    String method = chance(0.85) ? operation.method() : pick(METHODS);
    String target = path(operation.template()) + query(operation.query());
    List<String[]> headers = new ArrayList<>();
    headers.add(new String[] {"Host", "127.0.0.1"});
    credential(headers);
    byte[] body = operation.body() != null || chance(0.1) ? body(operation.body()) : null;
    if (body != null) {
      headers.add(new String[] {"Content-Type",
          chance(0.8) ? "application/json" : pick(CONTENT_TYPES)});
    }
    for (int i = random.nextInt(3); i > 0 && chance(0.5); i--) {
      String[] odd = pick(ODD_HEADERS).split(":", 2);
      refusedHead |= odd[0].equals(BIG_HEADER);
      headers.add(odd.length == 2 ? new String[] {odd[0], odd[1].trim()}
          : new String[] {odd[0], null});
    }
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    boolean wellFormed = chance(0.6);
    String version = wellFormed || chance(0.7) ? "HTTP/1.1" : pick(VERSIONS);
    write(raw, method + " " + target + " " + version + "\r\n");
    for (String[] header : headers) {
      write(raw, header[1] == null ? header[0] + "\r\n" : header[0] + ": " + header[1] + "\r\n");
    }
    frame(raw, body, wellFormed);
    byte[] bytes = raw.toByteArray();
    if (!wellFormed && chance(0.5)) {
      bytes = mutate(bytes);
    }
    return new Request(method, target, headers, body == null ? new byte[0] : body, bytes,
        wellFormed, !refusedHead);
  }

  private void credential(List<String[]> headers) {
    double roll = random.nextDouble();
    String key = keys.get(random.nextInt(keys.size()));
    if (roll < 0.55) {
      headers.add(new String[] {"Authorization", "Bearer " + key});
    } else if (roll < 0.65) {
      headers.add(new String[] {"X-API-Key", key});
    } else if (roll < 0.85) {
      headers.add(new String[] {"Authorization", pick(new String[] {"Bearer", "Bearer ",
          "Basic dTpw", "Bearer im_" + "A".repeat(43), "Bearer " + key + "x",
          "Bearer " + key.substring(0, key.length() - 1), "bearer " + key, "Bearer  " + key,
          "Bearer " + key + " extra", "Bearer \u00e9", "Bearer " + "k".repeat(5000)})});
    }
  }

  private String path(String template) {
    if (chance(0.08)) {
      refusedHead = true; // not all of these, but enough to keep them off java.net.http
      return pick(new String[] {"/", "*", "/v1", "/v1/", "//v1/ping", "/v1/ping/",
          "/v1/./ping", "/v1/../v1/ping", "/%2e%2e/v1/ping", "/v1/ping;x=1", "/v1/PING",
          "/v1/memories/%FF", "/v1/memories/%00", "/v1/users//stats", "/docs/../openapi.json",
          "/docs/%2e%2e%2fopenapi.json", "/docs/nothing.js", "http://127.0.0.1/v1/ping",
          "/v1/" + "a/".repeat(500), "/" + "p".repeat(9000), "v1/ping", "/v1/ping#frag"});
    }
    StringBuilder path = new StringBuilder();
    for (String segment : template.substring(1).split("/")) {
      path.append('/');
      path.append(segment.startsWith("{") ? pathValue() : segment);
    }
    return path.toString();
  }

  private String pathValue() {
    if (!ids.isEmpty() && chance(0.4)) {
      return ids.get(random.nextInt(ids.size()));
    }
    if (chance(0.2)) {
      refusedHead = true;
      return pick(REFUSED_SEGMENTS);
    }
    return pick(new String[] {"u", "user-1", "x", "%E6%97%A5", "%20", "0", "-1",
        "9".repeat(40), "unknown-id"});
  }

  private String query(List<String> names) {
    if (chance(0.15)) {
      return "";
    }
    StringBuilder query = new StringBuilder();
    List<String> all = new ArrayList<>(names);
    if (chance(0.3)) {
      all.add(pick(QUERY_NAMES));
    }
    for (String name : all) {
      if (chance(0.85)) {
        query.append(query.length() == 0 ? '?' : '&').append(name).append('=')
            .append(name.equals("user_id") && chance(0.6) ? "u" : pick(QUERY_VALUES));
      }
    }
    return query.toString();
  }

  private byte[] body(JsonNode schema) {
    double roll = random.nextDouble();
    if (roll < 0.06) {
      byte[] noise = new byte[random.nextInt(64)];
      random.nextBytes(noise);
      return noise;
    }
    if (roll < 0.1) {
      return pick(new String[] {"", "{", "}", "[]", "null", "1", "\"x\"", "{\"a\":1}{",
          "{\"user_id\":\"u\",\"user_id\":\"v\"}", "{\"a\":" + "[".repeat(5000),
          "{\"memory_content\":\"x\",\"user_id\":\"u\"} trailing", "\uFEFF{}",
          "{\"n\":1e999999}", "{\"s\":\"\\ud800\"}", "{\"s\":\"\\u0000\"}"})
          .getBytes(StandardCharsets.UTF_8);
    }
    JsonNode value = schema == null ? anyJson(2) : fromSchema(schema, 0);
    byte[] json = Json.write(value);
    if (roll > 0.97) {
      byte[] big = new byte[json.length + 70_000];
      System.arraycopy(json, 0, big, 0, json.length);
      java.util.Arrays.fill(big, json.length, big.length, (byte) ' ');
      return big;
    }
    return json;
  }

  private JsonNode fromSchema(JsonNode schema, int depth) {
    if (schema.has("$ref")) {
      String name = schema.get("$ref").asText().replace("#/components/schemas/", "");
      return fromSchema(schemas.path(name), depth + 1);
    }
    if (chance(0.08) || depth > 3) {
      return anyJson(1);
    }
    if (schema.has("oneOf")) {
      JsonNode options = schema.get("oneOf");
      return fromSchema(options.get(random.nextInt(options.size())), depth + 1);
    }
    JsonNode type = schema.path("type");
    String kind = type.isArray() ? type.get(random.nextInt(type.size())).asText() : type.asText();
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    switch (kind) {
      case "object" -> {
        ObjectNode object = nodes.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> members = schema.path("properties").fields();
            members.hasNext(); ) {
          Map.Entry<String, JsonNode> member = members.next();
          boolean required = false;
          for (JsonNode name : schema.path("required")) {
            required |= name.asText().equals(member.getKey());
          }
          if (required ? chance(0.9) : chance(0.5)) {
            object.set(member.getKey(), member.getKey().equals("user_id") && chance(0.7)
                ? nodes.textNode("u") : fromSchema(member.getValue(), depth + 1));
          }
        }
        if (!schema.has("properties") || chance(0.05)) {
          object.set(pick(STRINGS), anyJson(1));
        }
        return object;
      }
      case "array" -> {
        ArrayNode array = nodes.arrayNode();
        for (int i = random.nextInt(4); i > 0; i--) {
          array.add(fromSchema(schema.path("items"), depth + 1));
        }
        return array;
      }
      case "integer" -> {
        return pickNode(() -> nodes.numberNode(pick(new Long[] {0L, 1L, 5L, -1L, 100L, 1000L,
            1001L, (long) Integer.MAX_VALUE + 1, Long.MAX_VALUE})), () -> nodes.numberNode(2.5));
      }
      case "number" -> {
        return pickNode(() -> nodes.numberNode(pick(new Double[] {0.0, 0.5, 1.0, -0.1, 1.5,
            1e308, Double.MIN_VALUE})), () -> nodes.numberNode(new java.math.BigDecimal("1e400")));
      }
      case "boolean" -> {
        return nodes.booleanNode(random.nextBoolean());
      }
      case "null" -> {
        return nodes.nullNode();
      }
      default -> {
        return nodes.textNode(pick(STRINGS));
      }
    }
  }

  private JsonNode pickNode(Supplier<JsonNode> usual, Supplier<JsonNode> odd) {
    return chance(0.9) ? usual.get() : odd.get();
  }

  private JsonNode anyJson(int depth) {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    return switch (random.nextInt(depth > 0 ? 7 : 5)) {
      case 0 -> nodes.nullNode();
      case 1 -> nodes.booleanNode(random.nextBoolean());
      case 2 -> nodes.numberNode(random.nextLong());
      case 3 -> nodes.numberNode(random.nextGaussian() * 1e6);
      case 4 -> nodes.textNode(pick(STRINGS));
      case 5 -> {
        ArrayNode array = nodes.arrayNode();
        for (int i = random.nextInt(3); i > 0; i--) {
          array.add(anyJson(depth - 1));
        }
        yield array;
      }
      default -> {
        ObjectNode object = nodes.objectNode();
        for (int i = random.nextInt(3); i > 0; i--) {
          object.set(pick(STRINGS), anyJson(depth - 1));
        }
        yield object;
      }
    };
  }

  /** The body's framing: usually right, else a wrong or doubled length or broken chunking. */
  private void frame(ByteArrayOutputStream raw, byte[] body, boolean wellFormed) {
    if (body == null) {
      if (!wellFormed && chance(0.2)) {
        write(raw, pick(new String[] {"Content-Length: 5\r\n", "Content-Length: -1\r\n",
            "Transfer-Encoding: chunked\r\n"}));
      }
      write(raw, "\r\n");
      return;
    }
    double roll = random.nextDouble();
    if (wellFormed || roll < 0.4) {
      write(raw, "Content-Length: " + body.length + "\r\n\r\n");
      raw.writeBytes(body);
    } else if (roll < 0.7) {
      write(raw, "Transfer-Encoding: chunked\r\n\r\n");
      int at = 0;
      while (at < body.length) {
        int size = Math.min(body.length - at, 1 + random.nextInt(2048));
        write(raw, Integer.toHexString(size) + (chance(0.05) ? ";ext=1" : "") + "\r\n");
        raw.write(body, at, size);
        write(raw, "\r\n");
        at += size;
      }
      write(raw, pick(new String[] {"0\r\n\r\n", "0\r\n\r\n", "0\r\nX-Trailer: t\r\n\r\n",
          "", "0\r\n", "zz\r\n\r\n", "-1\r\n\r\n", "FFFFFFFFFFFFFFFF\r\n"}));
    } else {
      write(raw, pick(new String[] {
          "Content-Length: " + (body.length + 1 + random.nextInt(10)) + "\r\n\r\n",
          "Content-Length: " + Math.max(0, body.length - 1 - random.nextInt(10)) + "\r\n\r\n",
          "Content-Length: abc\r\n\r\n", "Content-Length: 99999999999999999999\r\n\r\n",
          "Content-Length: " + body.length + "\r\nContent-Length: 1\r\n\r\n",
          "Content-Length: " + body.length + "\r\nTransfer-Encoding: chunked\r\n\r\n",
          "Content-Length: +" + body.length + "\r\n\r\n", "\r\n"}));
      raw.writeBytes(body);
    }
  }

  /** One to four byte-level changes anywhere in the request. */
  private byte[] mutate(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(bytes);
    byte[] current = bytes;
    for (int n = 1 + random.nextInt(4); n > 0 && current.length > 0; n--) {
      int at = random.nextInt(current.length);
      out.reset();
      switch (random.nextInt(6)) {
        case 0 -> { // flip a byte
          current[at] ^= (byte) (1 << random.nextInt(8));
          out.writeBytes(current);
        }
        case 1 -> { // drop a byte
          out.write(current, 0, at);
          out.write(current, at + 1, current.length - at - 1);
        }
        case 2 -> { // insert a control or non-ASCII byte
          out.write(current, 0, at);
          out.write(pick(new Integer[] {0, 13, 10, 32, 58, 0x7f, 0x80, 0xff}));
          out.write(current, at, current.length - at);
        }
        case 3 -> out.write(current, 0, at); // cut short
        case 4 -> { // repeat a stretch
          int length = Math.min(current.length - at, 1 + random.nextInt(64));
          out.write(current, 0, at + length);
          out.write(current, at, current.length - at);
        }
        default -> { // a second request glued on (pipelining)
          out.writeBytes(current);
          write(out, "GET /v1/ping HTTP/1.1\r\nHost: x\r\n\r\n");
        }
      }
      current = out.toByteArray();
    }
    return current;
  }

  private boolean chance(double p) {
    return random.nextDouble() < p;
  }

  private <T> T pick(T[] values) {
    return values[random.nextInt(values.length)];
  }

  private static void write(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
  }
}
