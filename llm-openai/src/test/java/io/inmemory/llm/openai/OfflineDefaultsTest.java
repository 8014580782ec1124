package io.inmemory.llm.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.engine.tck.ChildJvm;
import io.inmemory.engine.tck.ChildJvm.Run;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Privacy: with this module on the class path beside the defaults (ONNX embeddings, file store),
 * and no {@code inmemory.*} key, nothing opens a network connection, and the engine says that an
 * extractor is available but unused. Runs {@link OfflineDefaultsMain} in a child JVM on the test
 * class path, started by {@link ChildJvm} as {@code OfflineEmbeddingTest} starts its own, whose
 * classic sockets and NIO channels are refused and reported; the control run shows that both
 * guards see an attempt. Needs no strace or network namespace, so it runs everywhere.
 */
class OfflineDefaultsTest {

  @Test
  void theDefaultsOpenNoConnectionWithThisJarOnTheClassPath(@TempDir Path home) throws Exception {
    Run child = run(home, List.of());

    assertThat(child.status()).as(child.output()).isZero();
    assertThat(child.output()).doesNotContain("network attempt")
        .contains("ok defaults: top hit 'I love pizza but hate broccoli', 2 listed, 2 counted,"
            + " 2 conversation events, 2 in the session")
        .contains("An extractor is on the classpath (openai: "
            + OpenAiExtractorProvider.class.getName() + "); set inmemory.extractor=openai");
    assertThat(home.resolve(".inmemory")).as("the default file store's directory").isDirectory();
  }

  @Test
  void theGuardsSeeSocketsAndChannels(@TempDir Path home) throws Exception {
    Run child = run(home, List.of("control"));

    assertThat(child.status()).as(child.output()).isZero();
    assertThat(child.output()).contains("network attempt: SocketChannel")
        .contains("network attempt: java.net.Socket connect /127.0.0.1:9");
  }

  private static Run run(Path home, List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(ChildJvm.java(), "-Xmx512m",
        "-XX:TieredStopAtLevel=1", "-Duser.home=" + home,
        "-Djava.nio.channels.spi.SelectorProvider=" + RefusingSelectorProvider.class.getName(),
        "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), OfflineDefaultsMain.class.getName()));
    command.addAll(args);
    // no inmemory.* key may reach the child: the defaults are under test
    return ChildJvm.run(command, home.resolve("child.log"), environment ->
        environment.keySet().removeIf(name -> name.startsWith("INMEMORY_")
            || name.startsWith("INMEM_") || name.equals("OPENAI_API_KEY")),
        Duration.ofSeconds(120));
  }
}
