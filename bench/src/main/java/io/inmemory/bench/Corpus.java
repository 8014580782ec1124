package io.inmemory.bench;

import io.inmemory.embeddings.onnx.OnnxEmbedder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A corpus of real English sentences — the definitions and quoted examples of WordNet 3.0's glosses
 * (Debian package {@code wordnet-base}, see {@code bench/corpus/README.md}) — and its embeddings,
 * computed once and cached on disk because embedding 100k texts takes minutes.
 *
 * <p>The distinct sentences are put in a fixed pseudo-random order. The first {@value #QUERY_POOL}
 * are held out as queries (embedded with {@code embedQuery}); the documents are the sentences after
 * them (embedded with {@code embedDocuments}). A corpus of n documents is therefore a prefix of
 * any larger one, and its queries never occur among the documents.
 *
 * <p>Cache layout, in one folder: per embedder, {@code <source>-<embedder id>-<kind>-<count>.txt}
 * (one text a line) and {@code .f32} (the vectors, little-endian float32, one after another), kind
 * {@code docs} or {@code queries}. Vectors are appended to a {@code .f32.partial} file, flushed to
 * disk every chunk, and renamed when complete, so an interrupted run resumes where it stopped and
 * a reader never sees a half-written file.
 *
 * <p>Command line ({@code corpus}): {@code --size 100000} documents, {@code --queries 1000},
 * {@code --cache ~/.cache/inmemory-bench}, {@code --wordnet /usr/share/wordnet}, {@code --model}
 * (default: the default model). Progress goes to stderr. Not thread-safe; arguments are non-null.
 */
final class Corpus {
  /** The cache kind of the WordNet documents (embedded as documents). */
  static final String DOCS = "wordnet-docs";
  /** The cache kind of the held-out WordNet queries (embedded as queries). */
  static final String QUERIES = "wordnet-queries";
  /** Sentences held out as queries, before the documents; queries use a prefix of them. */
  static final int QUERY_POOL = 2_000;

  private static final String[] PARTS_OF_SPEECH = {"noun", "verb", "adj", "adv"};
  private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");
  private static final long SHUFFLE_SEED = 20_060_101L;
  private static final int CHUNK = 256;

  private Corpus() {}

  public static void main(String[] args) {
    Options options = Options.parse(args);
    int size = options.integer("size", 100_000);
    int queries = options.integer("queries", 1_000);
    Path cache = cacheFolder(options);
    List<String> sentences = wordnetSentences(Path.of(options.get("wordnet", WORDNET.toString())));
    Split split = split(sentences, queries, size);
    try (OnnxEmbedder embedder = embedder(options)) {
      System.err.printf(Locale.ROOT, "corpus: %,d distinct WordNet sentences; embedding %,d"
              + " queries and %,d documents with %s into %s%n", sentences.size(), queries, size,
          embedder.id(), cache);
      Path queryFile = embedAll(cache, embedder.id(), embedder.dimension(), QUERIES,
          split.queries(), texts -> texts.stream().map(embedder::embedQuery).toList());
      Path docFile = embedAll(cache, embedder.id(), embedder.dimension(), DOCS,
          split.documents(), embedder::embedDocuments);
      System.err.println("corpus: done: " + queryFile + ", " + docFile);
    }
  }

  /** The queries and documents of one corpus size. */
  record Split(List<String> queries, List<String> documents) {
    Split {
      queries = List.copyOf(queries);
      documents = List.copyOf(documents);
    }
  }

  /** The cache folder of {@code --cache}, by default {@code ~/.cache/inmemory-bench}. */
  static Path cacheFolder(Options options) {
    String folder = options.get("cache");
    return folder != null ? Path.of(folder)
        : Path.of(System.getProperty("user.home"), ".cache", "inmemory-bench");
  }

  /** The embedder of {@code --model}, by default the default model; the caller closes it. */
  static OnnxEmbedder embedder(Options options) {
    return OnnxEmbedder.builder().model(options.get("model", OnnxEmbedder.DEFAULT_MODEL)).build();
  }

  /** Where Debian's {@code wordnet-base} installs the WordNet database. */
  static final Path WORDNET = Path.of("/usr/share/wordnet");

  /**
   * The distinct sentences of every gloss in {@code data.noun}, {@code data.verb}, {@code
   * data.adj} and {@code data.adv} under {@code wordnetFolder}, in a fixed pseudo-random order.
   *
   * @throws IllegalStateException if the files are missing (install {@code wordnet-base})
   */
  static List<String> wordnetSentences(Path wordnetFolder) {
    TreeSet<String> distinct = new TreeSet<>();
    for (String pos : PARTS_OF_SPEECH) {
      Path data = wordnetFolder.resolve("data." + pos);
      if (!Files.isRegularFile(data)) {
        throw new IllegalStateException(data + " is missing: run bench/corpus/install-sources.sh"
            + " (Debian package wordnet-base)");
      }
      try (Stream<String> lines = Files.lines(data, StandardCharsets.ISO_8859_1)) {
        lines.forEach(line -> distinct.addAll(glossSentences(line)));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + data, e);
      }
    }
    List<String> sentences = new ArrayList<>(distinct);
    Collections.shuffle(sentences, new Random(SHUFFLE_SEED));
    return sentences;
  }

  /**
   * The sentences of one line of a WordNet data file: the quoted examples of its gloss (after
   * {@code " | "}) and the {@code ;}-separated definitions left when they are removed; only those
   * of three words or more. None for the licence header lines, which start with spaces.
   */
  static List<String> glossSentences(String dataLine) {
    int bar = dataLine.indexOf(" | ");
    if (dataLine.startsWith(" ") || bar < 0) {
      return List.of();
    }
    String gloss = dataLine.substring(bar + 3).strip();
    List<String> sentences = new ArrayList<>();
    Matcher quoted = QUOTED.matcher(gloss);
    while (quoted.find()) {
      addSentence(sentences, quoted.group(1));
    }
    for (String definition : QUOTED.matcher(gloss).replaceAll(";").split(";")) {
      addSentence(sentences, definition);
    }
    return sentences;
  }

  private static void addSentence(List<String> sentences, String candidate) {
    String sentence = candidate.strip();
    // Leftovers such as an example's "- Shakespeare" attribution are not sentences.
    if (!sentence.startsWith("-") && sentence.split("\\s+").length >= 3) {
      sentences.add(sentence);
    }
  }

  /**
   * The first {@code queries} sentences as queries and the {@code documents} sentences after the
   * held-out pool as documents.
   *
   * @throws IllegalArgumentException if there are not that many sentences
   */
  static Split split(List<String> sentences, int queries, int documents) {
    if (queries < 1 || queries > QUERY_POOL) {
      throw new IllegalArgumentException("queries must be 1 to " + QUERY_POOL + ", was " + queries);
    }
    if (documents < 1 || QUERY_POOL + documents > sentences.size()) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "the source has %,d distinct"
              + " sentences, %,d of them held out as queries: at most %,d documents, asked %,d",
          sentences.size(), QUERY_POOL, Math.max(0, sentences.size() - QUERY_POOL), documents));
    }
    return new Split(sentences.subList(0, queries),
        sentences.subList(QUERY_POOL, QUERY_POOL + documents));
  }

  /**
   * The cache file of one kind and count, without extension. A kind names what the texts are
   * ({@link #DOCS}, {@link #QUERIES}, or another benchmark's own set), so any benchmark can cache
   * its vectors here in the one format.
   */
  static Path file(Path cache, String embedderId, String kind, int count) {
    return cache.resolve(kind + "-" + safe(embedderId) + "-" + count);
  }

  /**
   * Embeds {@code texts} into the cache unless already there, resuming a partial file whose
   * texts match; reports progress to stderr.
   *
   * @param embed vectors of a chunk of texts, in order
   * @return the vector file
   */
  static Path embedAll(Path cache, String embedderId, int dimension, String kind,
      List<String> texts, Function<List<String>, List<float[]>> embed) {
    Path base = file(cache, embedderId, kind, texts.size());
    Path vectors = withExtension(base, ".f32");
    Path textFile = withExtension(base, ".txt");
    Path partial = withExtension(base, ".f32.partial");
    try {
      Files.createDirectories(cache);
      String content = String.join("\n", texts) + "\n";
      boolean sameTexts = Files.isRegularFile(textFile) && Files.readString(textFile).equals(content);
      if (sameTexts && Files.isRegularFile(vectors)) {
        System.err.println("corpus: cached " + vectors);
        return vectors;
      }
      if (!sameTexts) {
        Files.deleteIfExists(partial);
        writeAtomically(textFile, content);
      }
      try (FileChannel out = FileChannel.open(partial, StandardOpenOption.CREATE,
          StandardOpenOption.WRITE)) {
        // Resume after the whole vectors already on disk, dropping a torn last one.
        int resumedFrom = (int) Math.min(texts.size(), out.size() / (4L * dimension));
        out.truncate(4L * dimension * resumedFrom);
        if (resumedFrom > 0) {
          System.err.printf(Locale.ROOT, "corpus: resuming %s at %,d%n", kind, resumedFrom);
        }
        long start = System.nanoTime();
        for (int done = resumedFrom; done < texts.size(); ) {
          List<String> chunk = texts.subList(done, Math.min(texts.size(), done + CHUNK));
          List<float[]> embedded = embed.apply(chunk);
          if (embedded.size() != chunk.size()) {
            throw new IllegalStateException("embedder returned " + embedded.size()
                + " vectors for " + chunk.size() + " texts");
          }
          out.write(encode(embedded, dimension), out.size());
          out.force(false);
          done += chunk.size();
          double rate = (done - resumedFrom) / ((System.nanoTime() - start) / 1e9);
          System.err.printf(Locale.ROOT, "corpus: %s %,d / %,d (%.0f texts/s, %.0f s left)%n",
              kind, done, texts.size(), rate, (texts.size() - done) / rate);
        }
      }
      Files.move(partial, vectors, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      return vectors;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the corpus cache " + base, e);
    }
  }

  /**
   * The first {@code count} vectors of the smallest complete cache file of this kind holding at
   * least that many, if any.
   */
  static Optional<float[][]> load(Path cache, String embedderId, String kind, int count) {
    return counts(cache, embedderId, kind).stream().filter(stored -> stored >= count).findFirst()
        .map(stored -> read(withExtension(file(cache, embedderId, kind, stored), ".f32"), stored,
            count));
  }

  /**
   * The first {@code count} texts of the smallest complete cache file of this kind holding at
   * least that many, if any: the texts whose vectors {@link #load} returns, in the same order.
   */
  static Optional<List<String>> loadTexts(Path cache, String embedderId, String kind, int count) {
    return counts(cache, embedderId, kind).stream().filter(stored -> stored >= count).findFirst()
        .map(stored -> {
          Path file = withExtension(file(cache, embedderId, kind, stored), ".txt");
          try (Stream<String> lines = Files.lines(file)) {
            return lines.limit(count).toList();
          } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
          }
        });
  }

  /** The largest number of vectors of this kind in the cache; 0 when none. */
  static int available(Path cache, String embedderId, String kind) {
    List<Integer> counts = counts(cache, embedderId, kind);
    return counts.isEmpty() ? 0 : counts.get(counts.size() - 1);
  }

  /** The counts of the complete cache files of this kind, ascending. */
  private static List<Integer> counts(Path cache, String embedderId, String kind) {
    if (!Files.isDirectory(cache)) {
      return List.of();
    }
    Pattern name = Pattern.compile(Pattern.quote(kind + "-" + safe(embedderId) + "-")
        + "(\\d+)\\.f32");
    try (Stream<Path> files = Files.list(cache)) {
      return files.map(file -> name.matcher(file.getFileName().toString()))
          .filter(Matcher::matches).map(matcher -> Integer.parseInt(matcher.group(1))).sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + cache, e);
    }
  }

  private static float[][] read(Path file, int stored, int count) {
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      long bytes = in.size();
      if (bytes % (4L * stored) != 0) {
        throw new IllegalStateException(file + " has " + bytes + " bytes, not " + stored
            + " whole float32 vectors");
      }
      int dimension = (int) (bytes / (4L * stored));
      float[][] vectors = new float[count][dimension];
      ByteBuffer buffer = ByteBuffer.allocate(4 * dimension * 1024).order(ByteOrder.LITTLE_ENDIAN);
      int next = 0;
      while (next < count) {
        buffer.clear().limit(4 * dimension * Math.min(1024, count - next));
        while (buffer.hasRemaining()) {
          if (in.read(buffer, 4L * dimension * next + buffer.position()) < 0) {
            throw new IllegalStateException(file + " ended early");
          }
        }
        buffer.flip();
        while (buffer.hasRemaining()) {
          buffer.asFloatBuffer().get(vectors[next]);
          buffer.position(buffer.position() + 4 * dimension);
          next++;
        }
      }
      return vectors;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static ByteBuffer encode(List<float[]> vectors, int dimension) {
    ByteBuffer buffer = ByteBuffer.allocate(4 * dimension * vectors.size())
        .order(ByteOrder.LITTLE_ENDIAN);
    for (float[] vector : vectors) {
      if (vector.length != dimension) {
        throw new IllegalStateException("embedder returned " + vector.length
            + " components, expected " + dimension);
      }
      buffer.asFloatBuffer().put(vector);
      buffer.position(buffer.position() + 4 * dimension);
    }
    return buffer.flip();
  }

  private static void writeAtomically(Path file, String content) throws IOException {
    Path temporary = withExtension(file, ".tmp");
    Files.writeString(temporary, content);
    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  private static Path withExtension(Path base, String extension) {
    return base.resolveSibling(base.getFileName() + extension);
  }

  /** An embedder id as a file-name part: {@code onnx:model:1} becomes {@code onnx_model_1}. */
  private static String safe(String id) {
    return id.replaceAll("[^A-Za-z0-9.-]", "_");
  }
}
