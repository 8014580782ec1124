package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.server.WebhookHttp.Attempt;
import io.inmemory.server.WebhookHttp.Outcome;
import io.inmemory.server.WebhookReceiver.Answer;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebhookHttpTest {
  private static final byte[] BODY = "{\"type\":\"webhook.test\"}".getBytes(StandardCharsets.UTF_8);
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final WebhookHttp http = new WebhookHttp();
  private final WebhookReceiver receiver = new WebhookReceiver();

  @AfterEach
  void close() {
    http.close();
    receiver.close();
  }

  @Test
  void postsTheBodyWithItsHeadersAndReadsTheAnswer() throws Exception {
    receiver.script(Answer.of(204));
    Attempt attempt = http.post(URI.create(receiver.url("/in")),
        Map.of(WebhookSigner.ID, "evt_1"), BODY, TIMEOUT);
    assertThat(attempt.outcome()).isEqualTo(Outcome.SUCCESS);
    assertThat(attempt.status()).isEqualTo(204);
    WebhookReceiver.Received request = receiver.received().get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/in");
    assertThat(request.body()).isEqualTo(BODY);
    assertThat(request.header("webhook-id")).isEqualTo("evt_1");
    assertThat(request.header("content-type")).isEqualTo("application/json");
    assertThat(request.header("user-agent")).startsWith("InMemory-Webhooks/");
  }

  @Test
  void anErrorAnswerKeepsItsStatusRetryAfterAndTheStartOfItsBody() {
    receiver.script(Answer.of(503).withHeader("Retry-After", "120").withBody("é".repeat(2000)));
    Attempt attempt = http.post(URI.create(receiver.url("/")), Map.of(), BODY, TIMEOUT);
    assertThat(attempt.outcome()).isEqualTo(Outcome.HTTP_ERROR);
    assertThat(attempt.status()).isEqualTo(503);
    assertThat(attempt.retryAfter()).isEqualTo(Duration.ofMinutes(2));
    // 1,024 bytes are 512 two-byte characters: never half of one
    assertThat(attempt.excerpt()).isEqualTo("é".repeat(512));
  }

  @Test
  void aRedirectIsAFailureAndNotFollowed() {
    receiver.script(Answer.of(302).withHeader("Location", receiver.url("/elsewhere")));
    Attempt attempt = http.post(URI.create(receiver.url("/")), Map.of(), BODY, TIMEOUT);
    assertThat(attempt.outcome()).isEqualTo(Outcome.HTTP_ERROR);
    assertThat(attempt.status()).isEqualTo(302);
    assertThat(receiver.received()).hasSize(1);
  }

  @Test
  void aSlowReceiverTimesOut() {
    receiver.script(Answer.of(200).after(Duration.ofSeconds(3)));
    Attempt attempt = http.post(URI.create(receiver.url("/")), Map.of(), BODY,
        Duration.ofMillis(300));
    assertThat(attempt.outcome()).isEqualTo(Outcome.TIMEOUT);
    assertThat(attempt.status()).isNull();
    assertThat(attempt.excerpt()).contains("300 ms");
  }

  @Test
  void noListenerIsAConnectionError() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Attempt attempt = http.post(URI.create("http://127.0.0.1:" + port + "/"), Map.of(), BODY,
        TIMEOUT);
    assertThat(attempt.outcome()).isEqualTo(Outcome.CONNECTION_ERROR);
    assertThat(attempt.excerpt()).contains("could not connect");
  }

  @Test
  void retryAfterReadsSecondsAndDates() {
    assertThat(WebhookHttp.parseRetryAfter(" 7 ")).isEqualTo(Duration.ofSeconds(7));
    assertThat(WebhookHttp.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT"))
        .isEqualTo(Duration.ZERO);
    assertThat(WebhookHttp.parseRetryAfter("soon")).isNull();
  }
}
