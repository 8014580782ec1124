package io.inmemory.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee11.servlet.FilterHolder;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gate's record of who opened which session, on a real Jetty in front of a servlet that opens
 * a session as the SDK does (its id in the answer's header), on a clock the test moves: a session
 * is its opener's alone, one the gate never saw is not found, and the owners of sessions left idle
 * do not pile up.
 */
class HttpGateSessionsTest {
  private final AtomicLong clock = new AtomicLong();
  private final HttpClient http = HttpClient.newHttpClient();
  private Server jetty;
  private HttpGate gate;
  private URI endpoint;

  @BeforeEach
  void start() throws Exception {
    gate = new HttpGate(key -> { }, new ObjectMapper(), clock::get);
    AtomicInteger opened = new AtomicInteger();
    HttpServlet sdkLike = new HttpServlet() {
      @Override
      protected void doPost(HttpServletRequest request, HttpServletResponse response) {
        if (request.getHeader(HttpGate.SESSION_HEADER) == null) {
          response.setHeader(HttpGate.SESSION_HEADER, "session-" + opened.incrementAndGet());
        }
        response.setStatus(200);
      }
    };
    jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder(sdkLike), "/mcp");
    context.addFilter(new FilterHolder(gate), "/*", EnumSet.of(DispatcherType.REQUEST));
    jetty.setHandler(context);
    jetty.start();
    endpoint = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/mcp");
  }

  @AfterEach
  void stop() throws Exception {
    jetty.stop();
  }

  @Test
  void aSessionIsItsOpenersAloneAndOneNeverOpenedIsNotFound() throws Exception {
    String session = open("key-a");

    assertThat(post("key-a", session).statusCode()).isEqualTo(200);
    assertThat(post("key-b", session).statusCode()).isEqualTo(404);
    assertThat(post("key-a", "session-never-opened").statusCode()).isEqualTo(404);
    assertThat(post("key-a", session).statusCode()).isEqualTo(200);
  }

  @Test
  void theOwnersOfSessionsLeftIdleAreForgottenAndSessionsInUseAreKept() throws Exception {
    String used = open("key-a");
    for (int i = 0; i < 50; i++) {
      open("key-" + i);
    }
    assertThat(gate.sessionsHeld()).isEqualTo(51);

    clock.addAndGet(HttpGate.SESSION_IDLE.toNanos() / 2);
    assertThat(post("key-a", used).statusCode()).isEqualTo(200);
    clock.addAndGet(HttpGate.SESSION_IDLE.toNanos() * 3 / 4);
    String fresh = open("key-c");

    assertThat(gate.sessionsHeld()).isEqualTo(2);
    assertThat(post("key-a", used).statusCode()).isEqualTo(200);
    assertThat(post("key-c", fresh).statusCode()).isEqualTo(200);
    assertThat(post("key-7", "session-9").statusCode())
        .as("an idle session's owner is forgotten, and the session with it").isEqualTo(404);
  }

  private String open(String key) throws Exception {
    HttpResponse<String> opened = post(key, null);
    assertThat(opened.statusCode()).isEqualTo(200);
    return opened.headers().firstValue(HttpGate.SESSION_HEADER).orElseThrow();
  }

  private HttpResponse<String> post(String key, String session) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
        .timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + key)
        .POST(HttpRequest.BodyPublishers.ofString("{}"));
    if (session != null) {
      request.header(HttpGate.SESSION_HEADER, session);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
