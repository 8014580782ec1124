package io.inmemory.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.UnixOperatingSystemMXBean;
import io.inmemory.store.mongo.MongoStoreSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The server side of the {@code soak} and {@code cluster} benchmarks, run as the main class of a
 * child JVM ({@link ChildJvm#session}) so that what it measures of its heap is the server's alone:
 * the real default ONNX embedder, authentication on, as {@link ServerBench.Target#inProcess}
 * starts it; by default the file store in a temporary folder under {@code --dir} (default: the
 * system's), or with {@code --store mongo --uri <uri> --database <name>} a replica on a shared
 * MongoDB. With {@code --key false} it makes no API key (another replica of the same store made
 * it) and prints {@value #NO_KEY} in its place.
 *
 * <p>Protocol on standard output and input, one line each: first it prints
 * {@code READY <url> <api key>}; then for every {@code probe} line read it collects garbage and
 * prints {@code PROBE <json of a Probe>}, and for every {@code histogram} line it prints
 * {@code HISTOGRAM <json>}: the live objects by class after a full collection, as
 * {@code {"class": [instances, bytes], …}}. When its input ends it stops the server, deletes the
 * store's folder and exits (status 0, or 1 after a failure, which goes to standard error).
 * Collections forced by probes and histograms are not counted as the load's.
 *
 * <p>Its protocol is served by the one thread that runs {@code main}; its {@link Probe}s are
 * immutable.
 */
final class SoakServer {
  static final String READY = "soak-server-ready ";
  static final String PROBE = "soak-server-probe ";
  static final String PROBE_COMMAND = "probe";
  static final String HISTOGRAM = "soak-server-histogram ";
  static final String HISTOGRAM_COMMAND = "histogram";
  static final String NO_KEY = "-";
  /** A line of {@code GC.class_histogram}: rank, instances, bytes, class name. */
  private static final Pattern HISTOGRAM_LINE =
      Pattern.compile("\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+).*");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String LOG_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

  /**
   * The server JVM's state at one moment.
   *
   * @param heapAfterGcBytes heap in use right after a full collection forced for the probe: the
   *     live data, whatever garbage the load had left
   * @param loadGcCount collections so far, those forced by probes excluded
   * @param loadGcMillis time spent collecting so far, the probes' collections excluded
   * @param threads live threads
   * @param openFiles open file descriptors, or -1 where the JVM cannot tell
   * @param loadCpuNanos CPU time the JVM used so far, all its threads, the probes' collections
   *     excluded; -1 where the JVM cannot tell
   */
  record Probe(long heapAfterGcBytes, long loadGcCount, long loadGcMillis, int threads,
      long openFiles, long loadCpuNanos) {
    Probe {
      if (heapAfterGcBytes <= 0 || loadGcCount < 0 || loadGcMillis < 0 || threads < 1
          || openFiles < -1 || loadCpuNanos < -1) {
        throw new IllegalArgumentException("not a possible probe: heap " + heapAfterGcBytes
            + ", gc " + loadGcCount + " / " + loadGcMillis + " ms, threads " + threads
            + ", open files " + openFiles + ", cpu " + loadCpuNanos + " ns");
      }
    }

    static Probe parse(String json) throws IOException {
      return JSON.readValue(json, Probe.class);
    }

    String json() throws IOException {
      return JSON.writeValueAsString(this);
    }
  }

  /** Collections and their time caused by probes, to tell the load's own apart. */
  private long forcedCount;
  private long forcedMillis;
  private long forcedCpuNanos;

  private SoakServer() {}

  public static void main(String[] args) throws Exception {
    requireFullExplicitGc();
    // one log line per request would bury the benchmark's own progress; -D on the command wins
    if (System.getProperty(LOG_LEVEL) == null) {
      System.setProperty(LOG_LEVEL, "warn");
    }
    Options options = Options.parse(args);
    Map<String, String> storeSettings = new HashMap<>();
    if (options.get("uri") != null) {
      storeSettings.put(MongoStoreSettings.URI.name(), options.get("uri"));
    }
    if (options.get("database") != null) {
      storeSettings.put(MongoStoreSettings.DATABASE.name(), options.get("database"));
    }
    try (ServerBench.Target target = ServerBench.Target.inProcess(options.get("store", "file"),
        options.get("dir"), storeSettings, Boolean.parseBoolean(options.get("key", "true")))) {
      System.out.println(READY + target.url() + " "
          + (target.key() == null ? NO_KEY : target.key()));
      System.out.flush();
      SoakServer server = new SoakServer();
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
          StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        System.out.println(switch (line) {
          case PROBE_COMMAND -> PROBE + server.probe().json();
          case HISTOGRAM_COMMAND -> HISTOGRAM + JSON.writeValueAsString(server.histogram());
          default -> throw new IllegalArgumentException("unknown command '" + line
              + "'; expected " + PROBE_COMMAND + " or " + HISTOGRAM_COMMAND);
        });
        System.out.flush();
      }
    } catch (Exception | Error e) {
      e.printStackTrace();
      System.exit(1);
    }
  }

  /**
   * Refuses JVM options under which {@code System.gc()} is not a full, stop-the-world collection
   * (it is with every collector of the JDK otherwise), so that a probe measures the live data.
   */
  private static void requireFullExplicitGc() {
    HotSpotDiagnosticMXBean hotSpot =
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    for (String option : List.of("DisableExplicitGC", "ExplicitGCInvokesConcurrent")) {
      if (Boolean.parseBoolean(hotSpot.getVMOption(option).getValue())) {
        throw new IllegalStateException("heap after GC cannot be measured with -XX:+" + option);
      }
    }
  }

  /** Forces a full collection and measures. */
  private Probe probe() {
    long heap = forced(() -> {
      System.gc();
      return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    });
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    long openFiles = os instanceof UnixOperatingSystemMXBean unix
        ? unix.getOpenFileDescriptorCount() : -1;
    long cpu = cpuNanos();
    return new Probe(heap, gcCount() - forcedCount, gcMillis() - forcedMillis,
        ManagementFactory.getThreadMXBean().getThreadCount(), openFiles,
        cpu < 0 ? -1 : cpu - forcedCpuNanos);
  }

  /** The live objects by class name: instances and bytes, as {@code jcmd GC.class_histogram}. */
  private Map<String, long[]> histogram() {
    String text = forced(() -> {
      try {
        return (String) ManagementFactory.getPlatformMBeanServer().invoke(
            new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
            new Object[] {new String[0]}, new String[] {String[].class.getName()});
      } catch (JMException e) {
        throw new IllegalStateException("cannot take a class histogram", e);
      }
    });
    Map<String, long[]> classes = new HashMap<>();
    for (String line : text.split("\n")) {
      Matcher m = HISTOGRAM_LINE.matcher(line);
      if (m.matches()) {
        // a class loaded by two loaders has two lines under one name
        classes.merge(m.group(3), new long[] {Long.parseLong(m.group(1)),
            Long.parseLong(m.group(2))}, (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
      }
    }
    if (classes.isEmpty()) {
      throw new IllegalStateException("no class in the histogram: " + text);
    }
    return classes;
  }

  /** Runs {@code action}, counting the collections during it as forced, not the load's. */
  private <T> T forced(Supplier<T> action) {
    long countBefore = gcCount();
    long millisBefore = gcMillis();
    long cpuBefore = cpuNanos();
    T result = action.get();
    forcedCount += gcCount() - countBefore;
    forcedMillis += gcMillis() - millisBefore;
    forcedCpuNanos += cpuNanos() - cpuBefore;
    return result;
  }

  /** The CPU time of this JVM, every thread, or -1 where the JVM cannot tell. */
  static long cpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
  }

  private static long gcCount() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
  }

  private static long gcMillis() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
  }
}
