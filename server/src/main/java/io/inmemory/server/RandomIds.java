package io.inmemory.server;

import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * Random base62 text for secrets and ids: API keys, key ids, project ids and the generated admin
 * key. Stateless; the caller's {@link SecureRandom} is the only state, and is thread-safe.
 */
final class RandomIds {
  private static final String BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  private RandomIds() {}

  /** {@code length} base62 characters holding {@code length * log2(62)} random bits. */
  static String base62(SecureRandom random, int length) {
    BigInteger value = new BigInteger(1, bytes(random, (int) Math.ceil(length * 5.954 / 8)));
    BigInteger base = BigInteger.valueOf(62);
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      BigInteger[] division = value.divideAndRemainder(base);
      text.append(BASE62.charAt(division[1].intValue()));
      value = division[0];
    }
    return text.toString();
  }

  /** A generated project id, of the form {@link io.inmemory.engine.tenant.Project#ID_RULE}. */
  static String projectId(SecureRandom random) {
    return "proj_" + base62(random, 12);
  }

  private static byte[] bytes(SecureRandom random, int count) {
    byte[] bytes = new byte[count];
    random.nextBytes(bytes);
    return bytes;
  }
}
