package io.inmemory.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.architecture.Archives.Archive;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module descriptors at run time: a child JVM runs {@link ModulePathMain} on the class path
 * with every InMemory module that has a descriptor, and the modules they require, on the module
 * path. The ONNX embedder (an automatic module's provider, here on the class path with its model)
 * and the file store are found through {@link java.util.ServiceLoader} across modules; the
 * OpenAI extractor reads its prompts from its own module; the engine's internals refuse
 * reflection from outside; the engine exports exactly its API and SPIs.
 */
class ModulePathTest {

  @Test
  void theModulesWorkOnTheModulePath(@TempDir Path dir) throws IOException, InterruptedException {
    Archives archives = Archives.onClassPath();
    List<Path> modulePath = new ArrayList<>(archives.named().stream().map(Archive::path).toList());
    modulePath.addAll(archives.dependencies());
    List<Path> classPath = new ArrayList<>(archives.others());
    archives.published().stream().filter(archive -> archive.descriptor().isEmpty())
        .forEach(archive -> classPath.add(archive.path()));
    classPath.add(Path.of(ModulePathMain.class.getProtectionDomain().getCodeSource().getLocation().getPath()));

    List<String> command = List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--module-path", Archives.join(modulePath),
        "--add-modules", "ALL-MODULE-PATH,jdk.incubator.vector",
        "-cp", Archives.join(classPath),
        "-Duser.home=" + dir,
        "-Dinmemory.mode=local",
        "-Dinmemory.store=file",
        "-Dinmemory.store.file.dir=" + dir.resolve("store"),
        ModulePathMain.class.getName());
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child exited").isTrue();
    System.out.println("module path: " + modulePath.stream().map(Path::getFileName).toList());
    System.out.println(output);

    assertThat(child.exitValue()).as(output).isZero();
    assertThat(output.lines()).as(output)
        .contains("engine module: module io.inmemory.engine")
        .contains("client: io.inmemory.engine.Memory in module io.inmemory.engine")
        .contains("found: Alice keeps bees on the roof of her house")
        .contains("extractor: openai:module-path:prompts-v1 in module io.inmemory.llm.openai")
        .contains("internal call: refused, IllegalAccessException")
        .contains("internal setAccessible: refused, InaccessibleObjectException")
        .contains("engine exports: io.inmemory.engine, io.inmemory.engine.spi, io.inmemory.engine.tenant");
  }
}
