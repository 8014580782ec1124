package io.inmemory.embeddings.onnx;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/** The test classpath as file paths, for child JVMs and isolated class loaders. */
final class TestClasspath {
  private TestClasspath() {}

  /**
   * Every classpath entry. Surefire may start tests from a single manifest-only jar whose
   * Class-Path attribute lists the real entries; those are then returned instead.
   */
  static List<Path> entries() {
    List<Path> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      entries.add(Path.of(entry));
    }
    if (entries.size() == 1) {
      List<Path> listed = manifestClassPath(entries.get(0));
      if (!listed.isEmpty()) {
        return listed;
      }
    }
    return entries;
  }

  static String asString(List<Path> entries) {
    return String.join(File.pathSeparator, entries.stream().map(Path::toString).toList());
  }

  private static List<Path> manifestClassPath(Path path) {
    if (!path.toString().endsWith(".jar") || !Files.isRegularFile(path)) {
      return List.of();
    }
    try (JarFile jar = new JarFile(path.toFile())) {
      Manifest manifest = jar.getManifest();
      String classPath = manifest == null ? null
          : manifest.getMainAttributes().getValue("Class-Path");
      if (classPath == null || classPath.isBlank()) {
        return List.of();
      }
      return Arrays.stream(classPath.trim().split("\\s+"))
          .map(url -> Path.of(path.getParent().toUri().resolve(URI.create(url))))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
