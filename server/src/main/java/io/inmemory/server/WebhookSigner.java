package io.inmemory.server;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook requests as <a href="https://www.standardwebhooks.com/">Standard Webhooks</a>
 * says, so a receiver verifies them with any of its libraries: the secret is {@value #PREFIX}
 * followed by the base64 of its key bytes; a signature is {@code v1,} and the base64 of
 * HMAC-SHA256(key, "{id}.{timestamp}.{body}"); the {@code webhook-signature} header lists one per
 * secret, space-separated (a rotated secret is signed with alongside the new one). Stateless and
 * thread-safe: each call makes its own {@link Mac}.
 */
final class WebhookSigner {
  /** The prefix of every webhook secret. */
  static final String PREFIX = "whsec_";
  /** The header naming the event, stable over retries: the receiver's deduplication key. */
  static final String ID = "webhook-id";
  /** The header with the attempt's time in seconds since the epoch. */
  static final String TIMESTAMP = "webhook-timestamp";
  /** The header with the signatures. */
  static final String SIGNATURE = "webhook-signature";
  private static final int KEY_BYTES = 32;
  private static final String HMAC = "HmacSHA256";

  private WebhookSigner() {}

  /** A new secret: {@value #PREFIX} and 32 random bytes in base64. */
  static String newSecret(SecureRandom random) {
    byte[] key = new byte[KEY_BYTES];
    random.nextBytes(key);
    return PREFIX + Base64.getEncoder().encodeToString(key);
  }

  /**
   * The {@code webhook-signature} header's value: one signature per secret, in order.
   *
   * @param secrets one or more secrets, each {@value #PREFIX} and base64
   * @throws IllegalArgumentException when a secret is not of that form
   */
  static String signatures(List<String> secrets, String id, long timestamp, byte[] body) {
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException("no secret to sign with");
    }
    return secrets.stream().map(secret -> sign(secret, id, timestamp, body))
        .collect(Collectors.joining(" "));
  }

  /** One signature, {@code v1,} and base64; see the class comment. */
  static String sign(String secret, String id, long timestamp, byte[] body) {
    Objects.requireNonNull(id, "id");
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(key(secret), HMAC));
      mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      // HmacSHA256 is a JDK requirement, and any non-empty key initializes it
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }

  /**
   * What a listing shows of a secret: its prefix and last four characters, enough to tell two
   * secrets apart and too little to sign with.
   */
  static String hint(String secret) {
    return PREFIX + "…" + secret.substring(Math.max(PREFIX.length(), secret.length() - 4));
  }

  private static byte[] key(String secret) {
    if (!secret.startsWith(PREFIX)) {
      throw new IllegalArgumentException("a webhook secret starts with " + PREFIX);
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("a webhook secret is " + PREFIX + " and base64", e);
    }
    if (key.length == 0) {
      throw new IllegalArgumentException("a webhook secret has at least one key byte");
    }
    return key;
  }
}
