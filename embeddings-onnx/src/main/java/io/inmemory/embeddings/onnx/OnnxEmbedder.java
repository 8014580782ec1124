package io.inmemory.embeddings.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.inmemory.ConfigurationException;
import io.inmemory.InMemoryException;
import io.inmemory.engine.spi.Embedder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sentence embeddings computed in-process by ONNX Runtime, from a model shipped inside a Maven
 * jar. Opens no network connection and writes no file of its own (ONNX Runtime unpacks its native
 * library to the temporary directory, as it always does).
 *
 * <p>Models ({@link #models()}): {@code all-minilm-l6-v2-q} (the default; mean pooling),
 * {@code bge-small-en-v1.5-q} (CLS pooling; queries get bge's retrieval instruction) and
 * {@code e5-small-v2-q} (mean pooling; {@code "query: "} and {@code "passage: "} prefixes), each
 * dynamically quantized to int8, and the same three in float32 under the names without
 * {@code -q}. All give 384-dimensional unit vectors. Only the default model's jar is a dependency
 * of this module; choosing another without adding its jar fails in {@link Builder#build()} with
 * the Maven coordinates to add.
 *
 * <p>Long text: the first {@linkplain Builder#maxTokens(int) max-tokens} tokens of a text (2048
 * by default) are embedded, the rest ignored, so even a 1 MiB text costs a bounded time and never
 * fails. When those tokens do not fit the model's window (256 tokens for MiniLM, 512 for the
 * others, prefix and special tokens included) they are split into the fewest windows of equal
 * size, each window is embedded, and the unit vectors of the windows are averaged weighted by
 * their token counts, then normalized. Empty text is embedded as it is (just the special tokens).
 *
 * <p>Speed: each model run is single-threaded; {@link #embedDocuments(List)} makes up to
 * {@linkplain Builder#threads(int) threads} runs at once (the calling thread and helper threads
 * of this embedder, which end when idle). A run embeds up to {@linkplain Builder#batchSize(int)
 * batch-size} windows (by default 1 for the -q models, 8 for the float32 ones), sorted by
 * length so that each batch is padded only to its longest window; a batch also ends before its
 * padding would exceed a quarter of its tokens. With the defaults a text's vector is the same
 * whatever it is embedded with and however many threads run, exactly for the -q models and up to
 * float rounding for the others (BatchIndependenceTest). Measured on a 2-core machine with LoCoMo
 * turns (about 33 tokens), the default model: about 4 ms of CPU per text, so up to about 550
 * texts/s on two idle cores; a 10-token query in under 2 ms (see the module README for the
 * command and the numbers of every model).
 *
 * <p>Thread-safe: concurrent calls share one native session, whose runs are thread-safe.
 * {@link #close()} waits for the calls in progress, then releases the native session; a later
 * call throws {@link IllegalStateException}.
 */
public final class OnnxEmbedder implements Embedder {
  /** The model used when none is chosen. */
  public static final String DEFAULT_MODEL = "all-minilm-l6-v2-q";
  /**
   * Windows per model run when none is chosen: 0, the model's own (see
   * {@link Builder#batchSize(int)}), with which a text's vector does not depend on the texts it
   * is embedded with.
   */
  public static final int DEFAULT_BATCH_SIZE = 0;
  /** Tokens of a text that are embedded when no limit is chosen. */
  public static final int DEFAULT_MAX_TOKENS = 2048;
  /** The dimension of every shipped model's vectors (checked when a model is loaded lazily). */
  static final int DIMENSION = 384;

  /**
   * Upper bound on padded tokens (rows × longest row) per model run, so that a batch of long
   * windows does not allocate attention matrices of hundreds of megabytes.
   */
  static final int MAX_PADDED_TOKENS_PER_RUN = 8192;

  /** A run ends before padding would exceed this share of its real tokens: padding costs CPU. */
  static final double MAX_PADDING_RATIO = 1.25;

  /** Seconds an idle helper thread lives: a bulk import reuses it, an idle embedder has none. */
  private static final long RUNNER_IDLE_SECONDS = 10;

  private static final Logger LOG = LoggerFactory.getLogger(OnnxEmbedder.class);
  private static final String INPUT_IDS = "input_ids";
  private static final String ATTENTION_MASK = "attention_mask";
  private static final String TOKEN_TYPE_IDS = "token_type_ids";
  private static final String OUTPUT = "last_hidden_state";

  private final ModelSpec spec;
  private final String id;
  private final int dimension;
  private final int batchSize;
  private final int maxTokens;
  private final int threads;
  /** Helper threads for {@link #embedDocuments(List)}; idle ones end after a few seconds. */
  private final ThreadPoolExecutor runners;
  private final WordPieceTokenizer tokenizer;
  private final int[] queryPrefix;
  private final int[] documentPrefix;
  private final OrtEnvironment environment;
  private final OrtSession session;
  private final boolean wantsTokenTypes;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  private OnnxEmbedder(Builder builder, ModelSpec spec) {
    long start = System.nanoTime();
    this.spec = spec;
    this.batchSize = builder.batchSize > 0 ? builder.batchSize : spec.batchSize;
    this.maxTokens = builder.maxTokens;
    this.threads = builder.threads > 0 ? builder.threads : automaticThreads();
    byte[] model = spec.read(spec.onnxResource());
    byte[] tokenizerJson = spec.read(spec.tokenizerResource());
    this.tokenizer = WordPieceTokenizer.fromJson(new String(tokenizerJson, StandardCharsets.UTF_8));
    this.queryPrefix = tokenizer.encode(spec.queryPrefix, Integer.MAX_VALUE);
    this.documentPrefix = tokenizer.encode(spec.documentPrefix, Integer.MAX_VALUE);
    this.id = id(spec, maxTokens, checksum(model, tokenizerJson));
    try {
      this.environment = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING);
      // Telemetry is only compiled into some builds; switching it off keeps every build quiet.
      environment.setTelemetry(false);
      try (OrtSession.SessionOptions options = sessionOptions()) {
        this.session = environment.createSession(model, options);
      }
    } catch (OrtException | UnsatisfiedLinkError e) {
      throw new ConfigurationException("ONNX Runtime cannot run the embedding model "
          + spec.modelName + " on this platform (" + System.getProperty("os.name") + ", "
          + System.getProperty("os.arch") + "): " + e.getMessage(), e);
    }
    try {
      this.wantsTokenTypes = checkInputs(session.getInputInfo());
      this.dimension = checkOutput(session.getOutputInfo());
    } catch (OrtException | RuntimeException e) {
      ConfigurationException failure = e instanceof ConfigurationException c ? c
          : new ConfigurationException("Cannot inspect the embedding model " + spec.modelName
              + ": " + e.getMessage(), e);
      try {
        session.close();
      } catch (OrtException suppressed) {
        failure.addSuppressed(suppressed);
      }
      throw failure;
    }
    this.runners = runners(threads - 1);
    LOG.info("Loaded embedding model {} ({} dimensions, id {}) in {} ms", spec.modelName,
        dimension, id, (System.nanoTime() - start) / 1_000_000);
  }

  /** A builder for the default model with default tuning. */
  public static Builder builder() {
    return new Builder();
  }

  /** The names of the models this class can run (whose jars may or may not be present). */
  public static List<String> models() {
    return Arrays.stream(ModelSpec.values()).map(spec -> spec.modelName).toList();
  }

  /** The name of the model in use, such as {@code all-minilm-l6-v2-q}. */
  public String model() {
    return spec.modelName;
  }

  /** The most windows (texts, for short texts) per model run, as chosen or the model's own. */
  public int batchSize() {
    return batchSize;
  }

  /**
   * {@code onnx:<model>:<revision>}, followed by {@code :max<N>} when the token limit is not the
   * default and by {@code :crc<hex>} when the model files differ from the ones this version was
   * tested with: so any change that alters vectors changes the id.
   */
  @Override
  public String id() {
    return id;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public float[] embedQuery(String text) {
    Objects.requireNonNull(text, "text");
    return embed(List.of(text), queryPrefix).get(0);
  }

  @Override
  public List<float[]> embedDocuments(List<String> texts) {
    for (int i = 0; i < texts.size(); i++) {
      Objects.requireNonNull(texts.get(i), () -> "texts contains null");
    }
    return texts.isEmpty() ? List.of() : embed(texts, documentPrefix);
  }

  /** Releases the native session once the calls in progress are done; idempotent. */
  @Override
  public void close() {
    Lock write = lock.writeLock();
    write.lock();
    try {
      if (!closed) {
        closed = true;
        runners.shutdown();
        session.close();
      }
    } catch (OrtException e) {
      throw new InMemoryException("cannot close the ONNX session of " + spec.modelName, e);
    } finally {
      write.unlock();
    }
  }

  @Override
  public String toString() {
    return "OnnxEmbedder[" + id + "]";
  }

  private List<float[]> embed(List<String> texts, int[] prefix) {
    int perWindow = spec.window - 2 - prefix.length;
    List<Window> windows = new ArrayList<>();
    for (int t = 0; t < texts.size(); t++) {
      split(t, tokenizer.encode(texts.get(t), maxTokens), prefix, perWindow, windows);
    }
    // Stable, so a text's windows (which differ in length by at most one) keep their order.
    windows.sort(Comparator.comparingInt(w -> w.ids.length));
    float[][] units = new float[windows.size()][];
    Lock read = lock.readLock();
    read.lock();
    try {
      if (closed) {
        throw new IllegalStateException("this embedder is closed");
      }
      runAll(windows, runStarts(windows), units);
    } finally {
      read.unlock();
    }
    // Summed in window order, whichever thread ran each window: the same sums every time.
    float[][] sums = new float[texts.size()][dimension];
    for (int w = 0; w < windows.size(); w++) {
      Window window = windows.get(w);
      float[] sum = sums[window.text];
      for (int d = 0; d < dimension; d++) {
        sum[d] += window.weight * units[w][d];
      }
    }
    List<float[]> vectors = new ArrayList<>(sums.length);
    for (float[] sum : sums) {
      vectors.add(normalize(sum));
    }
    return vectors;
  }

  /**
   * Where each model run starts in the sorted windows, followed by their count: up to
   * batch-size windows per run, fewer when padding would cost too much.
   */
  private int[] runStarts(List<Window> windows) {
    List<Integer> starts = new ArrayList<>();
    int from = 0;
    while (from < windows.size()) {
      starts.add(from);
      int to = from + 1;
      long tokens = windows.get(from).ids.length;
      while (to < windows.size() && to - from < batchSize) {
        // Sorted by length, so the next window sets the padded length of the whole run.
        long padded = (long) (to - from + 1) * windows.get(to).ids.length;
        long real = tokens + windows.get(to).ids.length;
        if (padded > MAX_PADDED_TOKENS_PER_RUN || padded > real * MAX_PADDING_RATIO) {
          break;
        }
        tokens = real;
        to++;
      }
      from = to;
    }
    starts.add(windows.size());
    return starts.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * Makes every model run, on this thread and on up to threads - 1 helper threads at once:
   * the runs of one short text are too small for ONNX Runtime to keep two cores busy, two runs
   * at a time are not. Returns when no run is in progress, even on failure.
   */
  private void runAll(List<Window> windows, int[] starts, float[][] units) {
    int runs = starts.length - 1;
    AtomicInteger next = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Runnable worker = () -> {
      for (int r = next.getAndIncrement(); r < runs && failure.get() == null;
          r = next.getAndIncrement()) {
        try {
          run(windows, starts[r], starts[r + 1], units);
        } catch (OrtException | RuntimeException | Error e) {
          failure.compareAndSet(null, e);
        }
      }
    };
    int helperCount = Math.min(threads, runs) - 1;
    // A helper works only if it claims its slot before this thread does once it is done: one
    // still queued behind another call's helpers is then skipped instead of waited for.
    AtomicBoolean[] claimed = new AtomicBoolean[helperCount];
    List<Future<?>> helpers = new ArrayList<>(helperCount);
    for (int h = 0; h < helperCount; h++) {
      AtomicBoolean slot = new AtomicBoolean();
      claimed[h] = slot;
      helpers.add(runners.submit(() -> {
        if (slot.compareAndSet(false, true)) {
          worker.run();
        }
      }));
    }
    worker.run();
    boolean interrupted = false;
    for (int h = 0; h < helperCount; h++) {
      if (claimed[h].compareAndSet(false, true)) {
        helpers.get(h).cancel(false);
        continue;
      }
      while (true) {
        try {
          helpers.get(h).get();
          break;
        } catch (InterruptedException e) {
          interrupted = true; // runs are short: finish waiting, then restore the status
        } catch (ExecutionException e) {
          break; // the worker records its own failures; nothing else can escape it
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    Throwable error = failure.get();
    if (error instanceof OrtException) {
      throw new InMemoryException("ONNX Runtime failed to embed with " + spec.modelName + ": "
          + error.getMessage(), error);
    } else if (error instanceof RuntimeException e) {
      throw e;
    } else if (error instanceof Error e) {
      throw e;
    }
  }

  /** Cuts a text's content tokens into the fewest windows of (nearly) equal size. */
  private void split(int text, int[] content, int[] prefix, int perWindow, List<Window> out) {
    int count = Math.max(1, (content.length + perWindow - 1) / perWindow);
    int base = content.length / count;
    int extra = content.length % count;
    int offset = 0;
    for (int w = 0; w < count; w++) {
      int length = base + (w < extra ? 1 : 0);
      int[] ids = new int[length + prefix.length + 2];
      ids[0] = tokenizer.clsId();
      System.arraycopy(prefix, 0, ids, 1, prefix.length);
      System.arraycopy(content, offset, ids, 1 + prefix.length, length);
      ids[ids.length - 1] = tokenizer.sepId();
      out.add(new Window(text, ids, Math.max(1, length)));
      offset += length;
    }
  }

  /** Runs the model on windows [from, to) of similar length; stores each one's unit vector. */
  private void run(List<Window> windows, int from, int to, float[][] units) throws OrtException {
    int rows = to - from;
    int columns = windows.get(to - 1).ids.length;
    long[] ids = new long[rows * columns];
    long[] mask = new long[rows * columns];
    for (int r = 0; r < rows; r++) {
      int[] window = windows.get(from + r).ids;
      for (int c = 0; c < window.length; c++) {
        ids[r * columns + c] = window[c];
        mask[r * columns + c] = 1;
      }
    }
    long[] shape = {rows, columns};
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try (OnnxTensor idTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape);
        OnnxTensor maskTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape);
        OnnxTensor typeTensor = wantsTokenTypes
            ? OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[rows * columns]), shape)
            : null) {
      inputs.put(INPUT_IDS, idTensor);
      inputs.put(ATTENTION_MASK, maskTensor);
      if (typeTensor != null) {
        inputs.put(TOKEN_TYPE_IDS, typeTensor);
      }
      try (OrtSession.Result result = session.run(inputs, Set.of(OUTPUT))) {
        FloatBuffer buffer = ((OnnxTensor) result.get(0)).getFloatBuffer();
        float[] hidden = new float[buffer.remaining()];
        buffer.get(hidden);
        for (int r = 0; r < rows; r++) {
          int tokens = windows.get(from + r).ids.length;
          units[from + r] = normalize(poolTokens(hidden, r * columns * dimension, tokens));
        }
      }
    }
  }

  private float[] poolTokens(float[] hidden, int rowOffset, int tokens) {
    float[] pooled = new float[dimension];
    if (spec.pooling == ModelSpec.Pooling.CLS) {
      System.arraycopy(hidden, rowOffset, pooled, 0, dimension);
      return pooled;
    }
    for (int t = 0; t < tokens; t++) {
      int offset = rowOffset + t * dimension;
      for (int d = 0; d < dimension; d++) {
        pooled[d] += hidden[offset + d];
      }
    }
    for (int d = 0; d < dimension; d++) {
      pooled[d] /= tokens;
    }
    return pooled;
  }

  private static float[] normalize(float[] vector) {
    double squares = 0;
    for (float v : vector) {
      squares += (double) v * v;
    }
    if (squares > 0) {
      float scale = (float) (1 / Math.sqrt(squares));
      for (int i = 0; i < vector.length; i++) {
        vector[i] *= scale;
      }
    }
    return vector;
  }

  /**
   * One thread per run, so ONNX Runtime starts no thread of its own: the matrices of a short
   * text are too small to share, its threads' wake-ups cost more than they save (a 10-token
   * query took 1.7 ms on one thread, 1.95 ms on two), and spinning idle threads would take CPU
   * from the application. Parallelism comes from several runs at once instead.
   */
  private static OrtSession.SessionOptions sessionOptions() throws OrtException {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    try {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      options.setInterOpNumThreads(1);
      options.setIntraOpNumThreads(1);
      return options;
    } catch (OrtException e) {
      options.close();
      throw e;
    }
  }

  private static ThreadPoolExecutor runners(int count) {
    AtomicInteger created = new AtomicInteger();
    ThreadFactory factory = task -> {
      Thread thread = new Thread(task, "inmemory-embedder-" + created.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
    ThreadPoolExecutor executor = new ThreadPoolExecutor(Math.max(1, count), Math.max(1, count),
        RUNNER_IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory);
    executor.allowCoreThreadTimeOut(true);
    return executor;
  }

  /** Whether the model wants token type ids; fails on inputs this class cannot provide. */
  private boolean checkInputs(Map<String, NodeInfo> inputs) {
    for (String name : inputs.keySet()) {
      if (!Set.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS).contains(name)) {
        throw new ConfigurationException("The embedding model " + spec.modelName + " wants an"
            + " input named " + name + ", which this embedder does not provide.");
      }
    }
    if (!inputs.containsKey(INPUT_IDS) || !inputs.containsKey(ATTENTION_MASK)) {
      throw new ConfigurationException("The embedding model " + spec.modelName + " must take "
          + INPUT_IDS + " and " + ATTENTION_MASK + ", not " + inputs.keySet());
    }
    return inputs.containsKey(TOKEN_TYPE_IDS);
  }

  private int checkOutput(Map<String, NodeInfo> outputs) {
    NodeInfo output = outputs.get(OUTPUT);
    if (output == null || !(output.getInfo() instanceof TensorInfo tensor)
        || tensor.getShape().length != 3 || tensor.getShape()[2] <= 0) {
      throw new ConfigurationException("The embedding model " + spec.modelName + " must output "
          + OUTPUT + " as [batch, tokens, dimension], not " + outputs);
    }
    return Math.toIntExact(tensor.getShape()[2]);
  }

  /**
   * One thread per available processor, at most 4: an embedded library should not take over a
   * large machine.
   */
  static int automaticThreads() {
    return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
  }

  private static long checksum(byte[] model, byte[] tokenizerJson) {
    CRC32C crc = new CRC32C();
    crc.update(model);
    crc.update(tokenizerJson);
    return crc.getValue();
  }

  private static String id(ModelSpec spec, int maxTokens, long checksum) {
    StringBuilder id = new StringBuilder("onnx:").append(spec.modelName).append(':')
        .append(spec.revision);
    if (maxTokens != DEFAULT_MAX_TOKENS) {
      id.append(":max").append(maxTokens);
    }
    if (checksum != spec.checksum) {
      LOG.warn("The files of embedding model {} differ from those of {}, which this version was"
          + " tested with; its embedder id is marked with their checksum", spec.modelName,
          spec.coordinates());
      id.append(":crc").append(Long.toHexString(checksum));
    }
    return id.toString();
  }

  /** A run of content tokens framed by [CLS], the prefix and [SEP]; one text has one or more. */
  private record Window(int text, int[] ids, int weight) {}

  /**
   * Configures an {@link OnnxEmbedder}. Not thread-safe; {@link #build()} may be called more
   * than once, each call loading its own copy of the model.
   */
  public static final class Builder {
    private String model = DEFAULT_MODEL;
    private int threads;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private int maxTokens = DEFAULT_MAX_TOKENS;

    private Builder() {}

    /** The model to run, one of {@link OnnxEmbedder#models()}; default all-minilm-l6-v2-q. */
    public Builder model(String model) {
      this.model = Objects.requireNonNull(model, "model");
      return this;
    }

    /**
     * How many model runs {@link OnnxEmbedder#embedDocuments(List)} makes at once, each on one
     * thread: the caller's and up to threads - 1 helpers; 0 (the default) means one per
     * available processor, at most 4. A single short text (a query) always runs on the caller's
     * thread alone; a long text's windows run in parallel.
     */
    public Builder threads(int threads) {
      if (threads < 0 || threads > 256) {
        throw new IllegalArgumentException("threads must be between 0 (automatic) and 256, not "
            + threads);
      }
      this.threads = threads;
      return this;
    }

    /**
     * The most windows (texts, for short texts) per model run; 0 (the default) means the
     * model's own: 1 for the -q models, 8 for the float32
     * ones.
     *
     * <p>The -q models are quantized dynamically: each layer's input is scaled by the range of
     * the whole batch tensor. With more than one window per run, a text's vector therefore
     * depends on the texts it is batched with (cosine to its unbatched vector measured down to
     * 0.963 on 1,000 LoCoMo turns); batch size 1 keeps every vector exactly reproducible, and
     * costs them little (measured with EmbeddingBench: 8 saved about a tenth of the CPU time per
     * text, 32 and 64 nothing). The float32 models mask padding, so a batched vector equals the
     * lone one up to float rounding, and batching saves them CPU (module README).
     */
    public Builder batchSize(int batchSize) {
      if (batchSize < 0 || batchSize > 1024) {
        throw new IllegalArgumentException("batchSize must be between 0 (the model's own) and"
            + " 1024, not " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /**
     * How many tokens of each text are embedded (the rest is ignored); default 2048. Texts
     * longer than the model's window are embedded window by window within this limit.
     */
    public Builder maxTokens(int maxTokens) {
      if (maxTokens < 1 || maxTokens > 1 << 20) {
        throw new IllegalArgumentException("maxTokens must be between 1 and 1048576, not "
            + maxTokens);
      }
      this.maxTokens = maxTokens;
      return this;
    }

    /**
     * Loads the model and opens its native session.
     *
     * @throws ConfigurationException when the model is unknown, its jar is not on the classpath,
     *     or ONNX Runtime cannot run on this platform
     */
    public OnnxEmbedder build() {
      return new OnnxEmbedder(this, spec());
    }

    /**
     * An embedder that answers {@link Embedder#id()} and {@link Embedder#dimension()} at once
     * (reading the model's files for the id, as {@link #build()} does) and loads the model, as
     * {@link #build()} would, when it first embeds: for processes that may never embed. Thread-safe
     * as {@link OnnxEmbedder}; a model that cannot run fails that first embedding with the
     * {@link ConfigurationException} {@link #build()} throws.
     *
     * @throws ConfigurationException when the model is unknown or its jar is not on the classpath
     */
    public Embedder lazy() {
      ModelSpec spec = spec();
      Builder copy = new Builder().model(model).threads(threads).batchSize(batchSize)
          .maxTokens(maxTokens);
      return new LazyEmbedder(id(spec, maxTokens, checksum(spec.read(spec.onnxResource()),
          spec.read(spec.tokenizerResource()))), DIMENSION, copy::build);
    }

    private ModelSpec spec() {
      return ModelSpec.byName(model).orElseThrow(() -> new ConfigurationException(
          "Unknown embedding model '" + model + "'. Valid models: " + ModelSpec.names() + "."));
    }
  }
}
