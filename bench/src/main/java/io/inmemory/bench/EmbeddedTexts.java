package io.inmemory.bench;

import io.inmemory.engine.spi.Embedder;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Texts with the document embeddings a real embedder gave them, computed once and cached on disk
 * so that a benchmark can preload many memories without spending minutes in the model on every
 * run. The cache file is named by the embedder id, the count and a hash of the texts, so a change
 * of model or text yields a new file and never stale vectors. Immutable once built.
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
   * run cached them, else computed with {@link Embedder#embedDocuments} in chunks of
   * {@code chunk} (progress on stderr) and cached there.
   */
  static EmbeddedTexts load(Path folder, List<String> texts, Embedder embedder, int chunk)
      throws IOException {
    Path file = folder.resolve(fileName(embedder.id(), texts));
    if (Files.isRegularFile(file)) {
      List<float[]> vectors = read(file, embedder.id(), embedder.dimension(), texts.size());
      System.err.printf("read %,d cached embeddings from %s%n", texts.size(), file);
      return new EmbeddedTexts(embedder.id(), texts, vectors);
    }
    List<float[]> vectors = new ArrayList<>(texts.size());
    long start = System.nanoTime();
    for (int from = 0; from < texts.size(); from += chunk) {
      vectors.addAll(embedder.embedDocuments(
          texts.subList(from, Math.min(texts.size(), from + chunk))));
      double seconds = (System.nanoTime() - start) / 1e9;
      System.err.printf("embedded %,d/%,d texts (%.0f texts/s)%n", vectors.size(), texts.size(),
          vectors.size() / seconds);
    }
    Files.createDirectories(folder);
    Path partial = folder.resolve(file.getFileName() + ".part");
    write(partial, embedder.id(), embedder.dimension(), vectors);
    Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    System.err.printf("cached %,d embeddings in %s%n", vectors.size(), file);
    return new EmbeddedTexts(embedder.id(), texts, vectors);
  }

  /** The cache file of these texts embedded by that embedder. */
  static String fileName(String embedderId, List<String> texts) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (String text : texts) {
        digest.update(text.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
      }
      String hash = HexFormat.of().formatHex(digest.digest()).substring(0, 16);
      return "embeddings-" + embedderId.replaceAll("[^A-Za-z0-9.-]+", "_") + "-" + texts.size()
          + "-" + hash + ".bin";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }

  private static void write(Path file, String embedderId, int dimension, List<float[]> vectors)
      throws IOException {
    try (OutputStream raw = Files.newOutputStream(file);
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 20))) {
      out.writeUTF(MAGIC);
      out.writeUTF(embedderId);
      out.writeInt(dimension);
      out.writeInt(vectors.size());
      ByteBuffer buffer =
          ByteBuffer.allocate(dimension * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      for (float[] vector : vectors) {
        if (vector.length != dimension) {
          throw new IllegalArgumentException("vector of " + vector.length + " components, the"
              + " embedder has " + dimension);
        }
        buffer.clear();
        buffer.asFloatBuffer().put(vector);
        out.write(buffer.array());
      }
    }
  }

  private static List<float[]> read(Path file, String embedderId, int dimension, int count)
      throws IOException {
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 20))) {
      if (!in.readUTF().equals(MAGIC) || !in.readUTF().equals(embedderId)
          || in.readInt() != dimension || in.readInt() != count) {
        throw new IOException(file + " is not a cache of " + count + " vectors of " + dimension
            + " components by " + embedderId + "; delete it to recompute");
      }
      byte[] bytes = new byte[dimension * Float.BYTES];
      List<float[]> vectors = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        in.readFully(bytes);
        float[] vector = new float[dimension];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
        vectors.add(vector);
      }
      return vectors;
    }
  }
}
