package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.inmemory.server.TestServer.Answer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * A URL whose percent-encoding is not valid UTF-8 is a 400 protocol problem, with or without a
 * key, logged as the request's one line: no 500, no stack trace for anyone to flood the log with.
 */
class MalformedUrlTest {
  private static TestServer server;
  private static String key;
  private static final ListAppender<ILoggingEvent> LOG = new ListAppender<>();
  private static final Logger ROOT = (Logger) LoggerFactory.getLogger(
      org.slf4j.Logger.ROOT_LOGGER_NAME);
  private static final Logger HANDLER = (Logger) LoggerFactory.getLogger(ApiHandler.class);
  private static Level handlerLevel;

  @BeforeAll
  static void start() {
    server = new TestServer();
    key = server.newKey("urls");
    handlerLevel = HANDLER.getLevel();
    HANDLER.setLevel(Level.INFO);
    LOG.start();
    ROOT.addAppender(LOG);
  }

  @AfterAll
  static void stop() {
    ROOT.detachAppender(LOG);
    HANDLER.setLevel(handlerLevel);
    server.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/v1/ping?x=%FF", "/v1/ping?%FF=x", "/v1/ping?x=%C0%AF",
      "/v1/memories?user_id=u&limit=%FF", "/v1/memories?user_id=%C0%AF",
      "/v1/memories?user_id=%ED%A0%80", "/v1/memories/abc?user_id=%FF",
      "/v1/users/current?x=%F0%9F", "/v1/auth/keys?project_id=%80"})
  void isA400ProblemLoggedOnOneLine(String url) {
    for (String credential : new String[] {null, key}) {
      LOG.list.clear();
      Answer answer = server.get(url, credential);
      boolean authenticated = credential != null || url.startsWith("/v1/ping");
      int status = authenticated ? 400 : 401;
      assertThat(answer.status()).as(url).isEqualTo(status);
      assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
      assertThat(answer.json().get("status").asInt()).isEqualTo(status);
      if (authenticated) {
        assertThat(answer.problemType()).isEqualTo("urn:inmemory:problem:protocol");
        assertThat(answer.json().get("detail").asText()).contains("query string");
      }
      String requestId = answer.header("X-Request-Id");
      List<ILoggingEvent> events;
      synchronized (LOG) { // the appender appends under its own lock
        events = List.copyOf(LOG.list);
      }
      assertThat(events).as("log of %s", url).singleElement().satisfies(event -> {
        assertThat(event.getLevel()).isEqualTo(Level.INFO);
        assertThat(event.getThrowableProxy()).isNull();
        assertThat(event.getFormattedMessage()).contains(" " + status + " ", requestId)
            .doesNotContain("%");
      });
    }
  }
}
