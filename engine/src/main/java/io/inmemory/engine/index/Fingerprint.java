package io.inmemory.engine.index;

/**
 * An order-independent 64-bit hash of a set of (id, vector) pairs: the sum of a well-mixed hash
 * of each pair, so it is computed in one pass over the vectors in any order and changes, with
 * probability 1 - 2^-64, when a pair is added, removed or altered (one bit of a float is
 * enough). Not thread-safe.
 */
final class Fingerprint {

  private static final long SEED = 0x9E3779B97F4A7C15L;
  private long sum;
  private int count;

  void add(String id, float[] vector) {
    long h = SEED ^ id.length();
    for (int i = 0; i < id.length(); i++) {
      h = step(h, id.charAt(i));
    }
    h = step(h, vector.length);
    for (float x : vector) {
      h = step(h, Float.floatToRawIntBits(x));
    }
    sum += mix(h);
    count++;
  }

  long value() {
    return mix(sum ^ count);
  }

  int count() {
    return count;
  }

  private static long step(long h, int value) {
    return Long.rotateLeft((h ^ value) * 0xBF58476D1CE4E5B9L, 31);
  }

  /** The 64-bit finalizer of MurmurHash3: every input bit affects every output bit. */
  private static long mix(long h) {
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    h *= 0xC4CEB93FE53A85CDL;
    h ^= h >>> 33;
    return h;
  }
}
