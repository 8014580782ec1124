package io.inmemory.embeddings.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;

import io.inmemory.engine.tck.ChildJvm;
import io.inmemory.engine.tck.ChildJvm.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Privacy: the embedder works with no network at all and never tries to open an internet
 * socket. Runs {@link OfflineEmbeddingMain} in a child JVM (same java binary, test classpath,
 * without ORT_DISABLE_TELEMETRY) inside a new, empty network namespace, then under strace to
 * catch any connect() to an IPv4 or IPv6 address, even a failed one.
 */
class OfflineEmbeddingTest {
  private static final Pattern INTERNET_CONNECT =
      Pattern.compile("connect\\(.*sa_family=AF_INET6?\\b");
  private static final Path OUTPUT = Path.of("target", "offline-test");

  @Test
  void embedsInsideANetworkNamespaceWithoutNetwork() throws Exception {
    Run probe = run(List.of("unshare", "-n", "true"), "unshare-probe");
    if (probe.status() != 0) {
      abort("unshare -n is not permitted here (status " + probe.status() + ": "
          + probe.output().strip() + "); the offline check needs a new network namespace");
    }
    List<String> command = new ArrayList<>(List.of("unshare", "-n"));
    command.addAll(childJvm());
    Run child = run(command, "unshare");
    assertThat(child.status()).as(child.output()).isZero();
    assertThat(child.output()).contains("ok onnx:" + OnnxEmbedder.DEFAULT_MODEL)
        .contains("ok memory I love pizza but hate broccoli");
  }

  @Test
  void opensNoInternetSocketWhileLoadingAndEmbedding() throws Exception {
    Path trace = OUTPUT.resolve("connect.trace");
    Run child = traced(childJvm(), trace, "strace");
    assertThat(child.status()).as(child.output()).isZero();
    assertThat(child.output()).contains("ok onnx:" + OnnxEmbedder.DEFAULT_MODEL)
        .contains("ok memory I love pizza but hate broccoli");
    List<String> internet = Files.readAllLines(trace).stream()
        .filter(line -> INTERNET_CONNECT.matcher(line).find()).toList();
    assertThat(internet).as("connect() calls to IPv4/IPv6 addresses").isEmpty();
  }

  @Test
  void theTraceCatchesAConnectFromAnyThreadOfTheChild() throws Exception {
    Path trace = OUTPUT.resolve("control.trace");
    Run child = traced(List.of(ChildJvm.java(), "-cp",
        TestClasspath.asString(TestClasspath.entries()), LoopbackConnect.class.getName()), trace,
        "strace-control");
    assertThat(child.status()).as(child.output()).isZero();
    assertThat(Files.readAllLines(trace)).anyMatch(line -> INTERNET_CONNECT.matcher(line).find()
        && line.contains("127.0.0.1"));
  }

  @Test
  void theTraceFilterRecognisesInternetConnects() {
    assertThat(INTERNET_CONNECT.matcher("5550  connect(5, {sa_family=AF_INET, sin_port=htons(80),"
        + " sin_addr=inet_addr(\"169.254.169.254\")}, 16) = -1 EINPROGRESS").find()).isTrue();
    assertThat(INTERNET_CONNECT.matcher("12 connect(7, {sa_family=AF_INET6, sin6_port=htons(443)"
        + ", ...}, 28) = 0").find()).isTrue();
    assertThat(INTERNET_CONNECT.matcher("12 connect(3, {sa_family=AF_UNIX,"
        + " sun_path=\"/var/run/nscd/socket\"}, 110) = -1 ENOENT").find()).isFalse();
  }

  private static List<String> childJvm() {
    return List.of(ChildJvm.java(), "-Xmx1g", "-cp", TestClasspath.asString(TestClasspath.entries()),
        OfflineEmbeddingMain.class.getName());
  }

  /**
   * Runs {@code command} under strace, writing its connect() calls to {@code trace}; aborts the
   * test when strace is missing or may not trace here.
   */
  private static Run traced(List<String> command, Path trace, String name) throws IOException,
      InterruptedException {
    Path strace = Path.of("/usr/bin/strace");
    if (!Files.isExecutable(strace)) {
      abort("strace is not installed (/usr/bin/strace): cannot trace connect() calls");
    }
    List<String> traced = new ArrayList<>(List.of(strace.toString(), "-f", "-qq",
        "-e", "trace=connect", "-o", trace.toString()));
    traced.addAll(command);
    Run child = run(traced, name);
    if (child.status() != 0 && child.output().contains("ptrace")) {
      abort("strace may not trace here: " + child.output().strip());
    }
    return child;
  }

  private static Run run(List<String> command, String name) throws IOException,
      InterruptedException {
    // Prove the quiet default: nothing may depend on the opt-out variable of newer runtimes.
    return ChildJvm.run(command, OUTPUT.resolve(name + ".log"),
        environment -> environment.remove("ORT_DISABLE_TELEMETRY"), Duration.ofSeconds(120));
  }

  /** The positive control: connects to a closed loopback port from a background thread. */
  public static final class LoopbackConnect {
    private LoopbackConnect() {}

    public static void main(String[] args) throws InterruptedException {
      Thread thread = new Thread(() -> {
        try (java.net.Socket socket = new java.net.Socket()) {
          socket.connect(new java.net.InetSocketAddress("127.0.0.1", 9), 1000);
        } catch (IOException expected) {
          // Nothing listens on the discard port: the attempt is what the trace must show.
        }
      });
      thread.start();
      thread.join();
    }
  }
}
