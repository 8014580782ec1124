package io.inmemory.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command as a newcomer runs it: the quick start's {@code main} in a JVM of
 * its own with the JDK's defaults (no {@code --add-modules}, no {@code INMEMORY_*} environment)
 * and a home directory of its own, as the account would give it.
 */
class FirstRunTest {
  @TempDir
  Path home;

  @Test
  void theFirstRunReadsCleanAndSaysWhereTheMemoriesLive() throws Exception {
    Path output = home.resolve("output.txt");
    ProcessBuilder builder = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // the data lives under user.home, which Java takes from the account, not from $HOME
        "-Duser.home=" + home, "-cp", System.getProperty("java.class.path"),
        QuickStart.class.getName()))
        .redirectErrorStream(true).redirectOutput(output.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("INMEM"));
    Process process = builder.start();
    boolean exited = process.waitFor(120, TimeUnit.SECONDS);
    if (!exited) {
      process.destroyForcibly().waitFor();
    }
    String printed = Files.readString(output, StandardCharsets.UTF_8);

    assertThat(exited).as(printed).isTrue();
    assertThat(process.exitValue()).as(printed).isZero();
    // nothing reads like a complaint: no advice on JVM flags, no warning, no error
    assertThat(printed).doesNotContain("add-modules", "WARN", "ERROR", "Exception");
    assertThat(printed).contains("== Storage", "file store at " + home.resolve(".inmemory"));
    assertThat(printed).contains("The score is relevance");
  }
}
