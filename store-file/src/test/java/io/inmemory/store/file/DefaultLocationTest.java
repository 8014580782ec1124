package io.inmemory.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.engine.Memory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Zero set-up persists: with this module on the classpath, {@code new Memory()} and no
 * configuration at all store in {@code ~/.inmemory}, and the next process finds what the last one
 * stored. Each run is a child JVM whose home directory is a temporary one, so the real home is
 * never touched.
 */
class DefaultLocationTest {
  @TempDir
  Path home;

  @Test
  void newMemoryPersistsInTheHomeDirectoryAcrossProcesses() throws Exception {
    assertThat(run()).isEqualTo("found 0");
    assertThat(run()).isEqualTo("found 1");
    assertThat(run()).isEqualTo("found 2");
    try (var files = Files.list(home.resolve(".inmemory"))) {
      assertThat(files.map(file -> file.getFileName().toString()))
          .anyMatch(name -> name.endsWith(".log"));
    }
  }

  private String run() throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path stderr = Files.createTempFile(home, "child", ".err");
    ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-XX:TieredStopAtLevel=1",
        "-Duser.home=" + home, "-cp", System.getProperty("java.class.path"),
        DefaultLocationTest.class.getName())
        .redirectError(stderr.toFile());
    Map<String, String> environment = builder.environment();
    environment.keySet().removeIf(name -> name.startsWith("INMEM"));
    Process child = builder.start();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as("child stderr:\n%s", Files.readString(stderr)).isZero();
    return out;
  }

  /** The child: counts what earlier runs stored, then stores one more memory. */
  public static void main(String[] args) {
    try (Memory memory = new Memory()) {
      System.out.println("found " + memory.getAll("visitor", 10, 0).total());
      memory.add("The default store kept this from an earlier process", "visitor");
    }
  }
}
