package io.inmemory.engine;

import io.inmemory.MemoryRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Normalized-text de-duplication: which current memory of a partition already says a text.
 *
 * <p>Two texts are the same when their {@linkplain #normalize normal forms} are equal. The index
 * maps a 64-bit hash of the normal form (the first 8 bytes of its SHA-256, which nobody collides
 * by accident or on purpose, unlike {@code String.hashCode}) to the ids holding it, normally one;
 * a lookup then compares the normal form of each candidate's content, so even a collision cannot
 * merge two texts. Only current memories ({@code invalidAt == null}) are held: a fact superseded
 * and said again is new again. Nothing is stored: a partition rebuilds its index from content
 * when it loads.
 *
 * <p>Not thread-safe: a {@link Partition} changes and reads it under its own lock.
 */
final class Dedup {
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");
  private static final Pattern TRAILING = Pattern.compile("[.!?…\\s]+$");

  /** One id ({@code String}) or several ({@code String[]}) per hash. */
  private final Map<Long, Object> byText = new HashMap<>();

  /**
   * A text's normal form and its hash, computed once per text to add, outside any lock.
   *
   * @param normal the {@linkplain #normalize normal form}
   * @param hash the first 8 bytes of the normal form's SHA-256
   */
  record Key(String normal, long hash) {
    static Key of(String text) {
      String normal = normalize(text);
      return new Key(normal, Dedup.hash(normal));
    }
  }

  /**
   * The normal form of a text: Unicode NFKC, lower case (root locale), every run of whitespace one
   * space, trimmed, and trailing {@code . ! ? …} and spaces removed. {@code "I love pizza!"} and
   * {@code "i  love pizza"} are one text.
   */
  static String normalize(String text) {
    String folded = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    String spaced = WHITESPACE.matcher(folded).replaceAll(" ").trim();
    return TRAILING.matcher(spaced).replaceAll("");
  }

  private static long hash(String normal) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(normal.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(digest, 0, Long.BYTES).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK provides SHA-256", e);
    }
  }

  /** Holds {@code memory} when it is current; does nothing otherwise. */
  void add(MemoryRecord memory) {
    if (!memory.isCurrent()) {
      return;
    }
    byText.merge(Key.of(memory.content()).hash(), memory.id(), (held, id) -> {
      String[] ids = held instanceof String one ? new String[] {one} : (String[]) held;
      String[] more = Arrays.copyOf(ids, ids.length + 1);
      more[ids.length] = (String) id;
      return more;
    });
  }

  /** Forgets {@code memory}, as it was added; does nothing when it is not held. */
  void remove(MemoryRecord memory) {
    long hash = Key.of(memory.content()).hash();
    Object held = byText.get(hash);
    if (held instanceof String one) {
      if (one.equals(memory.id())) {
        byText.remove(hash);
      }
    } else if (held instanceof String[] ids) {
      String[] fewer = Arrays.stream(ids).filter(id -> !id.equals(memory.id()))
          .toArray(String[]::new);
      byText.put(hash, fewer.length == 1 ? fewer[0] : fewer);
    }
  }

  /**
   * The first held memory of normal form {@code key} that is {@code inScope}, looked up by id in
   * {@code memories}; null when there is none.
   */
  @Nullable MemoryRecord find(Key key, Predicate<MemoryRecord> inScope,
      Function<String, MemoryRecord> memories) {
    Object held = byText.get(key.hash());
    if (held == null) {
      return null;
    }
    String[] ids = held instanceof String one ? new String[] {one} : (String[]) held;
    for (String id : ids) {
      MemoryRecord memory = memories.apply(id);
      if (inScope.test(memory) && normalize(memory.content()).equals(key.normal())) {
        return memory;
      }
    }
    return null;
  }
}
