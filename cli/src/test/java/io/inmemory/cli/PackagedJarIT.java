package io.inmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

  private Result inmemory(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        jar().toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    // the developer's InMemory settings would redirect the jar
    builder.environment().keySet().removeIf(name -> name.startsWith("INMEM"));
    Process child = builder.start();
    assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("finished").isTrue();
    return new Result(child.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
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
