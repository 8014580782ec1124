package io.inmemory.transport.http;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A loopback HTTP server that answers with scripted replies, in order, and records every request:
 * a stand-in for transport mechanics only (the real server runs the contract suites in the
 * {@code server} module). Unscripted requests get a 500 with a plain-text body.
 */
final class ScriptedServer implements AutoCloseable {
  private final Server jetty = new Server();
  private final ServerConnector connector = new ServerConnector(jetty);
  private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
  private final List<Recorded> requests = new CopyOnWriteArrayList<>();
  private final CountDownLatch closing = new CountDownLatch(1);

  /** One scripted answer; {@code stall} holds it back (until the server closes at the latest). */
  record Reply(int status, String contentType, String body, Map<String, String> headers,
      Duration stall) {

    static Reply json(int status, String body) {
      return new Reply(status, "application/json", body, Map.of(), Duration.ZERO);
    }

    static Reply problem(int status, String kind, String extraMembers) {
      return new Reply(status, "application/problem+json", "{\"type\":\"urn:inmemory:problem:"
          + kind + "\",\"title\":\"t\",\"status\":" + status + ",\"detail\":\"" + kind
          + " detail\"" + (extraMembers.isEmpty() ? "" : "," + extraMembers) + "}", Map.of(),
          Duration.ZERO);
    }

    Reply header(String name, String value) {
      Map<String, String> more = new LinkedHashMap<>(headers);
      more.put(name, value);
      return new Reply(status, contentType, body, more, stall);
    }

    Reply stalled(Duration duration) {
      return new Reply(status, contentType, body, headers, duration);
    }
  }

  /** One received request; header names are lower-cased. */
  record Recorded(String method, String target, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
  }

  ScriptedServer() throws Exception {
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    jetty.addConnector(connector);
    jetty.setStopTimeout(0); // keep-alive connections would hold a graceful stop
    jetty.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback)
          throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        for (HttpField field : request.getHeaders()) {
          headers.put(field.getLowerCaseName(), field.getValue());
        }
        requests.add(new Recorded(request.getMethod(), request.getHttpURI().getPathQuery(),
            headers, Content.Source.asString(request, StandardCharsets.UTF_8)));
        Reply reply = script.poll();
        if (reply == null) {
          reply = new Reply(500, "text/plain", "unscripted", Map.of(), Duration.ZERO);
        }
        if (!reply.stall().isZero()) {
          closing.await(reply.stall().toMillis(), TimeUnit.MILLISECONDS);
        }
        response.setStatus(reply.status());
        response.getHeaders().put("Content-Type", reply.contentType());
        reply.headers().forEach(response.getHeaders()::put);
        Content.Sink.write(response, true, reply.body(), callback);
        return true;
      }
    });
    jetty.start();
  }

  /** Queues replies, answered in order. */
  ScriptedServer answer(Reply... replies) {
    script.addAll(List.of(replies));
    return this;
  }

  List<Recorded> requests() {
    return List.copyOf(requests);
  }

  String baseUrl() {
    return "http://127.0.0.1:" + connector.getLocalPort();
  }

  @Override
  public void close() {
    closing.countDown();
    try {
      jetty.stop();
    } catch (Exception e) {
      throw new IllegalStateException("the scripted server did not stop", e);
    }
  }
}
