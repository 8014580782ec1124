package io.inmemory.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.architecture.Archives.Archive;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The public surface of each published module — the public top-level and member types of the
 * packages it exports (every package of an automatic module) — equals the reviewed list in
 * {@code src/test/resources/public-api.txt}: changing the API means changing that file.
 */
class PublicSurfaceTest {
  private static final String REVIEWED = "public-api.txt";
  private static final Path ACTUAL = Path.of("target", REVIEWED);

  @Test
  void publicSurfaceIsTheReviewedOne() throws IOException {
    List<String> surface = new ArrayList<>();
    for (Archive archive : Archives.onClassPath().published()) {
      Set<String> exported = archive.descriptor()
          .map(descriptor -> descriptor.exports().stream()
              .filter(export -> !export.isQualified())
              .map(ModuleDescriptor.Exports::source)
              .collect(Collectors.toSet()))
          .orElse(null);
      Map<String, int[]> counts = new TreeMap<>();
      for (String name : Archives.classes(archive.path())) {
        Class<?> type = load(name);
        if (!isPublicType(type)) {
          continue;
        }
        String pkg = type.getPackageName();
        counts.computeIfAbsent(pkg, p -> new int[2])[type.isMemberClass() ? 1 : 0]++;
        if (exported == null || exported.contains(pkg)) {
          surface.add(archive.artifact() + " " + type.getCanonicalName());
        }
      }
      System.out.println(archive.artifact() + (exported == null ? " (automatic module)" : ""));
      counts.forEach((pkg, count) -> System.out.printf("  %-32s %-9s %3d public top-level, %d public nested%n",
          pkg, exported == null || exported.contains(pkg) ? "exported" : "internal", count[0], count[1]));
    }
    surface.sort(null);
    Files.write(ACTUAL, surface);

    assertThat(surface)
        .as("public types of the published modules' exported packages (all in " + ACTUAL.toAbsolutePath()
            + "); after a reviewed API change, copy them into src/test/resources/" + REVIEWED)
        .containsExactlyElementsOf(reviewed());
  }

  /** Public and, for a member type, declared in public types only: reachable by name. */
  private static boolean isPublicType(Class<?> type) {
    if (type.isAnonymousClass() || type.isLocalClass() || type.isSynthetic()) {
      return false;
    }
    for (Class<?> t = type; t != null; t = t.getDeclaringClass()) {
      if (!Modifier.isPublic(t.getModifiers())) {
        return false;
      }
    }
    return true;
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name, false, PublicSurfaceTest.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(name + " is in its archive but cannot be loaded", e);
    }
  }

  private static List<String> reviewed() throws IOException {
    try (InputStream in = PublicSurfaceTest.class.getResourceAsStream("/" + REVIEWED)) {
      assertThat(in).as(REVIEWED).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
          .map(String::strip)
          .filter(line -> !line.isEmpty() && !line.startsWith("#"))
          .toList();
    }
  }
}
