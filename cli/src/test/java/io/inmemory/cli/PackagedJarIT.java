package io.inmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar inmemory.jar}, the artifact users run, after {@code package} (failsafe): what
 * shading could lose — merged service files (runtimes, stores, embedders), the embedding model,
 * the logging configuration that keeps standard output clean — shows up as a failed command.
 */
class PackagedJarIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void theJarAddsAndFindsByMeaningWithCleanOutputAndOneLineErrors() throws Exception {
    String store = dir.resolve("data").toString();
    Result added = inmemory("add", "Paul is allergic to shellfish", "--user", "paul",
        "--dir", store, "--json");
    assertThat(added.status()).as("%s", added).isZero();
    String id = JSON.readTree(added.out()).at("/memory/id").asText();

    Result found = inmemory("search", "which seafood must he avoid?", "--user", "paul",
        "--limit", "1", "--dir", store, "--json");
    assertThat(found.status()).as("%s", found).isZero();
    // the whole of standard output is the document: no log line mixed in
    JsonNode hits = JSON.readTree(found.out()).get("hits");
    assertThat(hits.get(0).at("/memory/id").asText()).isEqualTo(id);

    Result version = inmemory("--version");
    assertThat(version.out()).startsWith("inmemory ");
    Result usage = inmemory("search", "--user", "paul", "--colour", "red", "--dir", store);
    assertThat(usage.status()).as("%s", usage).isEqualTo(ExitCodes.USAGE);
    Result invalid = inmemory("search", "--user", "paul", "--when", "the day the moon froze",
        "--dir", store);
    assertThat(invalid.status()).as("%s", invalid).isEqualTo(ExitCodes.INVALID);
    assertThat(invalid.err().lines().toList()).hasSize(1);
    assertThat(invalid.err()).startsWith("inmemory: ").doesNotContain("\tat ");
  }

  @Test
  void serveRunsTheServerOnTheGivenStoreUntilStopped() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Child server = start("serve", "dev", "--dir", dir.resolve("served").toString(),
        "-Dinmemory.port=" + port);
    try {
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest ping = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
          + "/v1/ping")).timeout(Duration.ofSeconds(5)).build();
      HttpResponse<String> answer = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (answer == null && System.nanoTime() < deadline && server.process().isAlive()) {
        try {
          answer = http.send(ping, HttpResponse.BodyHandlers.ofString());
        } catch (IOException notYet) {
          Thread.sleep(200);
        }
      }
      assertThat(answer).as("answered /v1/ping; %s", server.result(false)).isNotNull();
      assertThat(answer.statusCode()).isEqualTo(200);
      // the server's own logging, not the commands' warnings-only configuration
      assertThat(server.result(false).out()).contains("admin key");
    } finally {
      server.process().destroy();
      assertThat(server.process().waitFor(60, TimeUnit.SECONDS)).as("stopped").isTrue();
    }
    assertThat(dir.resolve("served")).isDirectoryContaining(path -> true);
    Result served = inmemory("serve", "--server", "http://127.0.0.1:" + port);
    assertThat(served.status()).as("%s", served).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void anImportInterruptedOrKilledAndRunAgainStoresEveryConversationOnce() throws Exception {
    int count = 100;
    StringBuilder lines = new StringBuilder();
    for (int i = 1; i <= count; i++) {
      lines.append("{\"messages\": [{\"role\": \"user\", \"content\": \"Kim's note number ")
          .append(i).append(" is about item ").append(i * 7).append("\"}], \"user_id\": \"kim\"}\n");
    }
    Path file = Files.writeString(dir.resolve("notes.ndjson"), lines);
    Path checkpoint = dir.resolve("notes.checkpoint");
    String store = dir.resolve("imported").toString();

    // Ctrl-C: the runtime is closed by the shutdown hook, the JVM exits with 130
    Child interrupted = start(interruptible(), "import", file.toString(), "--dir", store,
        "--checkpoint", checkpoint.toString());
    awaitUnits(interrupted, checkpoint, 10);
    new ProcessBuilder("kill", "-INT", Long.toString(interrupted.process().pid())).start()
        .waitFor();
    assertThat(interrupted.result(true).status()).as("%s", interrupted.result(false))
        .isEqualTo(ExitCodes.INTERRUPTED);
    // killed outright: no hook runs, the store and the checkpoint recover on their own
    Child killed = start("import", file.toString(), "--dir", store, "--checkpoint",
        checkpoint.toString());
    awaitUnits(killed, checkpoint, units(checkpoint) + 10);
    killed.process().destroyForcibly();
    killed.process().waitFor(60, TimeUnit.SECONDS);

    Result rest = inmemory("import", file.toString(), "--dir", store, "--checkpoint",
        checkpoint.toString(), "--json");
    assertThat(rest.status()).as("%s", rest).isZero();
    JsonNode summary = JSON.readTree(rest.out());
    assertThat(summary.get("skipped_checkpointed").asInt()
        + summary.get("skipped_already_stored").asInt()).isGreaterThanOrEqualTo(20);
    assertThat(summary.get("imported").asInt()).isPositive();
    assertThat(summary.get("failed").asInt()).isZero();
    Result stats = inmemory("stats", "--user", "kim", "--dir", store, "--json");
    assertThat(JSON.readTree(stats.out()).get("memory_count").asInt()).isEqualTo(count);
  }

  /** Waits until the checkpoint lists {@code units} units done (the import is under way). */
  private static void awaitUnits(Child child, Path checkpoint, int units) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (units(checkpoint) < units) {
      assertThat(child.process().isAlive()).as("still importing; %s", child.result(false))
          .isTrue();
      assertThat(System.nanoTime()).as("progress in time").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private static int units(Path checkpoint) throws IOException {
    return Files.exists(checkpoint)
        ? (int) Math.max(0, Files.readAllLines(checkpoint).size() - 1) : 0;
  }

  private Result inmemory(String... args) throws IOException, InterruptedException {
    return start(args).result(true);
  }

  private Child start(String... args) throws IOException {
    return start(List.of(), args);
  }

  /**
   * What to start a child with so that SIGINT reaches it: a job started in the background by a
   * shell without job control (nohup, some CI runners) has SIGINT ignored, every process below it
   * inherits that, and the JVM then installs no handler for it. GNU env (coreutils 8.31+) restores
   * the default; where it cannot, nothing is prefixed.
   */
  private static List<String> interruptible() throws IOException, InterruptedException {
    List<String> prefix = List.of("env", "--default-signal=INT");
    List<String> probe = new ArrayList<>(prefix);
    probe.add("true");
    Process process = new ProcessBuilder(probe).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0 ? prefix : List.of();
  }

  /** Starts the jar with {@code args}, its command line after {@code prefix}. */
  private Child start(List<String> prefix, String... args) throws IOException {
    List<String> command = new ArrayList<>(prefix);
    command.addAll(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        jar().toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    // the developer's InMemory settings would redirect the jar
    builder.environment().keySet().removeIf(name -> name.startsWith("INMEM"));
    return new Child(builder.start(), out, err);
  }

  /** A child JVM of the jar and the files its output goes to. */
  private record Child(Process process, Path out, Path err) {
    /** What it printed so far, and its status once it ended ({@code wait}: waits for that). */
    Result result(boolean wait) throws IOException, InterruptedException {
      if (wait) {
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("finished").isTrue();
      }
      return new Result(process.isAlive() ? -1 : process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
  }

  private static Path jar() {
    String jar = System.getProperty("inmemory.cli.jar");
    // failsafe (mvn verify) always sets it, after package; only a surefire run that names this
    // class in -Dtest reaches here without it, before the jar exists
    assumeTrue(jar != null, "run by failsafe in mvn verify, after package (cli/pom.xml)");
    assertThat(Path.of(jar)).exists();
    return Path.of(jar);
  }

  private record Result(int status, String out, String err) {}
}
