package io.inmemory.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * One keep-alive HTTP/1.1 connection that sends JSON requests and reads each answer whole (fixed
 * length, chunked or up to the end of the stream): the minimum a load driver needs, so that the
 * driver costs the shared cores little and holds exactly one socket per simulated client, as wrk
 * does.
 * Connects on first use and again after a failure or a {@code Connection: close}.
 *
 * <p>Not thread-safe: one thread uses a connection at a time. Arguments are non-null.
 */
final class HttpConnection implements Closeable {
  /** How long a read may block before the request counts as failed. */
  private static final int READ_TIMEOUT_MILLIS = 30_000;

  /**
   * A request to {@code path} (with its query string), authenticated with {@code bearer}; its
   * body is {@code json}, or none when that is empty.
   *
   * @param method an HTTP method in upper case: GET, POST, PUT or DELETE
   */
  record Request(String method, String path, String bearer, String json) {
    Request {
      if (!method.matches("GET|POST|PUT|DELETE")) {
        throw new IllegalArgumentException("method must be GET, POST, PUT or DELETE: " + method);
      }
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(bearer, "bearer");
      Objects.requireNonNull(json, "json");
    }

    /** A POST of a JSON body. */
    Request(String path, String bearer, String json) {
      this("POST", path, bearer, json);
    }
  }

  /** An answer: its status and its body decoded as UTF-8. */
  record Response(int status, String body) {
    Response {
      Objects.requireNonNull(body, "body");
    }

    boolean ok() {
      return status / 100 == 2;
    }
  }

  private final String host;
  private final int port;
  private final String hostHeader;
  private Socket socket;
  private InputStream in;
  private OutputStream out;
  /** Requests sent, failed ones included; read by other threads once the sender is done. */
  private volatile long sent;

  /** A connection to the server at {@code base} ({@code http://host:port}); nothing opens yet. */
  HttpConnection(URI base) {
    if (!"http".equals(base.getScheme()) || base.getHost() == null) {
      throw new IllegalArgumentException("an http://host:port address is needed: " + base);
    }
    this.host = base.getHost();
    this.port = base.getPort() < 0 ? 80 : base.getPort();
    this.hostHeader = host + ":" + port;
  }

  /**
   * Sends {@code request} and reads its answer (2xx or not).
   *
   * @throws IOException when the exchange fails; the connection is then closed, and the next
   *     request opens a new one
   */
  Response send(Request request) throws IOException {
    sent++;
    try {
      if (socket == null) {
        open();
      }
      byte[] body = request.json().getBytes(StandardCharsets.UTF_8);
      String head = request.method() + " " + request.path() + " HTTP/1.1\r\nHost: "
          + hostHeader + "\r\nAuthorization: Bearer " + request.bearer()
          + (body.length == 0 ? "" : "\r\nContent-Type: application/json")
          + "\r\nContent-Length: " + body.length + "\r\n\r\n";
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      return read();
    } catch (IOException | RuntimeException e) {
      close();
      throw e instanceof IOException io ? io : new IOException("malformed answer", e);
    }
  }

  /** How many requests {@link #send} was asked to send on this connection, failed ones included. */
  long sent() {
    return sent;
  }

  private void open() throws IOException {
    Socket opened = new Socket();
    try {
      opened.setTcpNoDelay(true);
      opened.setSoTimeout(READ_TIMEOUT_MILLIS);
      opened.connect(new InetSocketAddress(host, port), READ_TIMEOUT_MILLIS);
    } catch (IOException e) {
      opened.close();
      throw e;
    }
    socket = opened;
    in = new BufferedInputStream(opened.getInputStream(), 16 * 1024);
    out = new BufferedOutputStream(opened.getOutputStream(), 8 * 1024);
  }

  private Response read() throws IOException {
    String statusLine = line();
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP/1.x status line: " + statusLine);
    }
    int status = Integer.parseInt(parts[1]);
    long length = -1;
    boolean chunked = false;
    boolean closeAfter = parts[0].equals("HTTP/1.0");
    for (String header = line(); !header.isEmpty(); header = line()) {
      int colon = header.indexOf(':');
      if (colon < 0) {
        throw new IOException("malformed header: " + header);
      }
      String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = header.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
      switch (name) {
        case "content-length" -> length = Long.parseLong(value);
        case "transfer-encoding" -> chunked = value.contains("chunked");
        case "connection" -> closeAfter = value.contains("close")
            || closeAfter && !value.contains("keep-alive");
        default -> { }
      }
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    boolean bodyless = status == 204 || status == 304 || status / 100 == 1;
    if (!bodyless && chunked) {
      readChunks(body);
    } else if (!bodyless && length >= 0) {
      copy(length, body);
    } else if (!bodyless) {
      in.transferTo(body);
      closeAfter = true;
    }
    if (closeAfter) {
      close();
    }
    return new Response(status, body.toString(StandardCharsets.UTF_8));
  }

  private void readChunks(ByteArrayOutputStream body) throws IOException {
    for (long size = chunkSize(line()); size > 0; size = chunkSize(line())) {
      copy(size, body);
      line();
    }
    for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
      // trailers carry nothing the driver needs
    }
  }

  private static long chunkSize(String line) {
    int extension = line.indexOf(';');
    return Long.parseLong((extension < 0 ? line : line.substring(0, extension)).trim(), 16);
  }

  private void copy(long length, ByteArrayOutputStream body) throws IOException {
    byte[] buffer = new byte[8192];
    for (long left = length; left > 0; ) {
      int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (read < 0) {
        throw new EOFException("the answer ended " + left + " bytes early");
      }
      body.write(buffer, 0, read);
      left -= read;
    }
  }

  /** One header line without its CRLF; HTTP headers are ISO-8859-1. */
  private String line() throws IOException {
    StringBuilder line = new StringBuilder(64);
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new EOFException("the connection closed mid-answer");
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  /** Closes the socket, if open; the next request reconnects. */
  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // closing a socket we are done with: nothing to recover
      }
      socket = null;
      in = null;
      out = null;
    }
  }
}
