package io.inmemory.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of HTTP/1.1 responses, for tests that talk to the server over raw sockets: it
 * fails on anything a well-formed response would not have (a bad status line or header, a body
 * that does not match its length or chunking, bytes after a response to a closed connection). A
 * body of neither length nor chunks ends where the connection does.
 */
final class RawHttp {
  private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.1 ([1-5]\\d\\d) [^\\r\\n]*");
  private static final Pattern HEADER = Pattern.compile(
      "([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \\t]*([^\\r\\n]*?)[ \\t]*");
  private static final int MAX_LINE = 16 * 1024;

  private RawHttp() {}

  /** One response: status, headers (names case-insensitive, last one wins) and body. */
  record Exchange(int status, Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.get(name);
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** The body as JSON. */
    JsonNode json() {
      try {
        return Json.MAPPER.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + text(), e);
      }
    }

    boolean closes() {
      String connection = header("Connection");
      return connection != null && connection.toLowerCase(Locale.ROOT).contains("close");
    }
  }

  /** A response that is not well-formed. */
  static final class MalformedResponse extends IOException {
    private static final long serialVersionUID = 1L;

    MalformedResponse(String message) {
      super(message);
    }
  }

  /**
   * Every response until the server closes the connection; none after one saying
   * {@code Connection: close}.
   */
  static List<Exchange> readToEnd(InputStream in) throws IOException {
    List<Exchange> all = new ArrayList<>();
    while (true) {
      Exchange next = readOne(in);
      if (next == null) {
        return all;
      }
      all.add(next);
      if (next.closes()) {
        int after;
        try {
          after = in.read();
        } catch (SocketException e) {
          return all; // a reset after the last answer loses nothing
        }
        if (after != -1) {
          throw new MalformedResponse("bytes after a response with Connection: close");
        }
        return all;
      }
    }
  }

  /** The next response, or null when the connection ends before its first byte. */
  static Exchange readOne(InputStream in) throws IOException {
    String statusLine = line(in, true);
    if (statusLine == null) {
      return null;
    }
    Matcher status = STATUS_LINE.matcher(statusLine);
    if (!status.matches()) {
      throw new MalformedResponse("bad status line: " + statusLine);
    }
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String line = line(in, false); !line.isEmpty(); line = line(in, false)) {
      Matcher header = HEADER.matcher(line);
      if (!header.matches()) {
        throw new MalformedResponse("bad header line: " + line);
      }
      headers.put(header.group(1), header.group(2));
    }
    int code = Integer.parseInt(status.group(1));
    byte[] body;
    String length = headers.get("Content-Length");
    if ("chunked".equalsIgnoreCase(headers.get("Transfer-Encoding"))) {
      body = chunked(in);
    } else if (length != null) {
      if (!length.matches("\\d{1,10}")) {
        throw new MalformedResponse("bad Content-Length: " + length);
      }
      body = exactly(in, Integer.parseInt(length));
    } else if (code == 204 || code == 304 || code < 200) {
      body = new byte[0];
    } else {
      // a streamed answer (an export, a large document) that the connection's end delimits: on a
      // connection the server closes after it (HTTP/1.0, Connection: close; RFC 9112, 6.3)
      body = in.readAllBytes();
    }
    return new Exchange(code, headers, body);
  }

  private static byte[] chunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String size = line(in, false);
      if (!size.matches("[0-9A-Fa-f]{1,7}")) {
        throw new MalformedResponse("bad chunk size: " + size);
      }
      int count = Integer.parseInt(size, 16);
      if (count == 0) {
        if (!line(in, false).isEmpty()) {
          throw new MalformedResponse("trailers are not expected");
        }
        return body.toByteArray();
      }
      body.writeBytes(exactly(in, count));
      if (!line(in, false).isEmpty()) {
        throw new MalformedResponse("chunk longer than its size");
      }
    }
  }

  private static byte[] exactly(InputStream in, int count) throws IOException {
    byte[] bytes = in.readNBytes(count);
    if (bytes.length != count) {
      throw new MalformedResponse("body ended after " + bytes.length + " of " + count + " bytes");
    }
    return bytes;
  }

  /** A CRLF-terminated line without its CRLF; null at the end of the stream if allowed there. */
  private static String line(InputStream in, boolean endAllowed) throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      int b = in.read();
      if (b == -1) {
        if (endAllowed && line.length() == 0) {
          return null;
        }
        throw new MalformedResponse("connection ended inside a response, after: " + line);
      }
      if (b == '\r') {
        if (in.read() != '\n') {
          throw new MalformedResponse("CR without LF after: " + line);
        }
        return line.toString();
      }
      if (b == '\n' || line.length() > MAX_LINE) {
        throw new MalformedResponse("bad line ending or overlong line: " + line);
      }
      line.append((char) b);
    }
  }
}
