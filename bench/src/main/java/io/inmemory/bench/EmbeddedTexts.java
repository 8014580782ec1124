package io.inmemory.bench;

import io.inmemory.engine.spi.Embedder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Texts with the document embeddings a real embedder gave them, computed once and cached on disk
 * so that a benchmark can preload many memories without spending minutes in the model on every
 * run. The cache ({@link Corpus}'s format) is named by the embedder id, the count and a hash of
 * the texts, so a change of model or text yields a new file and never stale vectors. Immutable
 * once built.
 *
 * @param embedderId the {@link Embedder#id()} that made the vectors
 * @param texts the texts, in order
 * @param vectors one vector per text, in the same order; not copied, not to be modified
 */
record EmbeddedTexts(String embedderId, List<String> texts, List<float[]> vectors) {
  private static final String MAGIC = "inmemory-bench-vectors-1";

  EmbeddedTexts {
    Objects.requireNonNull(embedderId, "embedderId");
    texts = List.copyOf(texts);
    vectors = List.copyOf(vectors);
    if (texts.size() != vectors.size()) {
      throw new IllegalArgumentException(
          texts.size() + " texts but " + vectors.size() + " vectors");
    }
  }

  /**
   * The embeddings of {@code texts} by {@code embedder}: read from {@code folder} when an earlier
   * run cached them, else computed with {@link Embedder#embedDocuments} (progress on stderr) and
   * cached there, in the {@link Corpus} cache format under a kind named by a hash of the texts.
   */
  static EmbeddedTexts load(Path folder, List<String> texts, Embedder embedder) {
    String kind = kind(texts);
    Corpus.embedAll(folder, embedder.id(), embedder.dimension(), kind, texts,
        embedder::embedDocuments);
    float[][] vectors = Corpus.load(folder, embedder.id(), kind, texts.size()).orElseThrow();
    return new EmbeddedTexts(embedder.id(), texts, List.of(vectors));
  }

  /** The cache kind of these texts: a hash of them, so other texts never meet stale vectors. */
  static String kind(List<String> texts) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (String text : texts) {
        digest.update(text.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
      }
      return "texts-" + HexFormat.of().formatHex(digest.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
