package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {
  // The example of the Standard Webhooks specification, verified by its reference libraries.
  private static final String SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  private static final long SPEC_TIMESTAMP = 1614265330L;
  private static final byte[] SPEC_BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);

  @Test
  void reproducesTheSpecificationsExample() {
    assertThat(WebhookSigner.sign(SPEC_SECRET, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY))
        .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  }

  @Test
  void aNewSecretIs32RandomBytesThatSignsAsAReceiverChecks() throws Exception {
    SecureRandom random = new SecureRandom();
    String secret = WebhookSigner.newSecret(random);
    assertThat(secret).startsWith("whsec_");
    byte[] key = Base64.getDecoder().decode(secret.substring(6));
    assertThat(key).hasSize(32);
    assertThat(WebhookSigner.newSecret(random)).isNotEqualTo(secret);

    byte[] body = "{\"type\":\"memory.added\"}".getBytes(StandardCharsets.UTF_8);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    String expected = "v1," + Base64.getEncoder().encodeToString(
        mac.doFinal(("evt_1.1700000000." + new String(body, StandardCharsets.UTF_8))
            .getBytes(StandardCharsets.UTF_8)));
    assertThat(WebhookSigner.sign(secret, "evt_1", 1_700_000_000L, body)).isEqualTo(expected);
  }

  @Test
  void listsOneSignaturePerSecretInOrder() {
    String other = WebhookSigner.newSecret(new SecureRandom());
    String header = WebhookSigner.signatures(List.of(other, SPEC_SECRET), SPEC_ID,
        SPEC_TIMESTAMP, SPEC_BODY);
    assertThat(header.split(" ")).containsExactly(
        WebhookSigner.sign(other, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY),
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  }

  @Test
  void aHintShowsTheEndOfTheSecretOnly() {
    assertThat(WebhookSigner.hint(SPEC_SECRET)).isEqualTo("whsec_…LaSw");
  }

  @Test
  void refusesSecretsOfAnotherForm() {
    assertThatThrownBy(() -> WebhookSigner.sign("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "a", 1,
        SPEC_BODY)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whsec_");
    assertThatThrownBy(() -> WebhookSigner.sign("whsec_!!", "a", 1, SPEC_BODY))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("base64");
    assertThatThrownBy(() -> WebhookSigner.signatures(List.of(), "a", 1, SPEC_BODY))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
