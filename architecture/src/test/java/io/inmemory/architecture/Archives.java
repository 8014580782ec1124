package io.inmemory.architecture;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.FindException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The published InMemory modules as this test JVM sees them on its class path — their jars during
 * {@code verify} (this module is built last), their {@code target/classes} directories after a
 * plain {@code compile} — and the rest of the class path, split into the modules the InMemory
 * descriptors require and everything else. Computed once; immutable, thread-safe.
 */
final class Archives {
  /** {@code inmemory-store-h2-0.1.0-SNAPSHOT.jar}: artifact {@code inmemory-store-h2}. */
  private static final Pattern JAR = Pattern.compile("(inmemory-[a-z0-9-]+?)-\\d[^/]*\\.jar");

  /** One published module: its artifact id, archive and descriptor (empty: automatic module). */
  record Archive(String artifact, Path path, Optional<ModuleDescriptor> descriptor) {}

  private static final Archives CLASS_PATH = scan();

  private final List<Archive> published;
  private final List<Path> dependencies;
  private final List<Path> others;

  private Archives(List<Archive> published, List<Path> dependencies, List<Path> others) {
    this.published = List.copyOf(published);
    this.dependencies = List.copyOf(dependencies);
    this.others = List.copyOf(others);
  }

  static Archives onClassPath() {
    return CLASS_PATH;
  }

  /** The published InMemory modules, in class path order. */
  List<Archive> published() {
    return published;
  }

  /** The published modules that have a descriptor. */
  List<Archive> named() {
    return published.stream().filter(archive -> archive.descriptor().isPresent()).toList();
  }

  /**
   * The archives of every module the named InMemory modules require, directly or transitively
   * ({@code requires static} excluded, JDK modules excluded): their module path besides themselves.
   */
  List<Path> dependencies() {
    return dependencies;
  }

  /** The rest of the class path: neither a published module nor a dependency above, no tests. */
  List<Path> others() {
    return others;
  }

  static String join(List<Path> paths) {
    return String.join(File.pathSeparator, paths.stream().map(Path::toString).toList());
  }

  private static Archives scan() {
    List<Archive> published = new ArrayList<>();
    List<Path> rest = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Path.of(entry).toAbsolutePath().normalize();
      if (path.endsWith(Path.of("target", "test-classes")) || path.toString().endsWith("-tests.jar")) {
        continue;
      }
      Optional<String> artifact = artifact(path);
      if (artifact.isPresent()) {
        published.add(new Archive(artifact.get(), path, descriptor(path)));
      } else if (Files.exists(path)) {
        rest.add(path);
      }
    }
    Map<String, Path> modules = new LinkedHashMap<>();
    for (Path path : rest) {
      if (Files.isRegularFile(path)) {
        moduleName(path).ifPresent(name -> modules.putIfAbsent(name, path));
      }
    }
    Set<Path> dependencies = new LinkedHashSet<>();
    Deque<ModuleDescriptor> toVisit = new ArrayDeque<>();
    published.forEach(archive -> archive.descriptor().ifPresent(toVisit::add));
    Set<String> visited = new LinkedHashSet<>();
    published.forEach(archive -> archive.descriptor().ifPresent(d -> visited.add(d.name())));
    while (!toVisit.isEmpty()) {
      for (ModuleDescriptor.Requires requires : toVisit.pop().requires()) {
        String name = requires.name();
        if (requires.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC)
            || ModuleFinder.ofSystem().find(name).isPresent() || !visited.add(name)) {
          continue;
        }
        Path path = modules.get(name);
        if (path == null) {
          throw new IllegalStateException("module " + name + " is required but not on the class path");
        }
        dependencies.add(path);
        ModuleFinder.of(path).find(name).ifPresent(found -> toVisit.add(found.descriptor()));
      }
    }
    List<Path> others = rest.stream().filter(path -> !dependencies.contains(path)).toList();
    return new Archives(published, new ArrayList<>(dependencies), others);
  }

  /** The artifact id of a published module's jar or {@code target/classes}, if it is one. */
  private static Optional<String> artifact(Path path) {
    Matcher jar = JAR.matcher(path.getFileName().toString());
    if (jar.matches() && contains(path, "io/inmemory/")) {
      return Optional.of(jar.group(1));
    }
    if (path.endsWith(Path.of("target", "classes")) && Files.isDirectory(path.resolve("io/inmemory"))) {
      return Optional.of("inmemory-" + path.getParent().getParent().getFileName());
    }
    return Optional.empty();
  }

  private static Optional<ModuleDescriptor> descriptor(Path path) {
    if (!contains(path, "module-info.class")) {
      return Optional.empty();
    }
    return ModuleFinder.of(path).findAll().stream().findFirst().map(ModuleReference::descriptor);
  }

  /** The module name of a jar (its descriptor's or its automatic one), empty if it has none. */
  private static Optional<String> moduleName(Path jar) {
    try {
      return ModuleFinder.of(jar).findAll().stream().findFirst().map(ref -> ref.descriptor().name());
    } catch (FindException e) {
      return Optional.empty(); // no valid automatic name: cannot be on a module path anyway
    }
  }

  private static boolean contains(Path archive, String entry) {
    if (Files.isDirectory(archive)) {
      return Files.exists(archive.resolve(entry));
    }
    try (var zip = new java.util.zip.ZipFile(archive.toFile())) {
      return zip.stream().anyMatch(e -> e.getName().startsWith(entry));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Binary names of the classes in an archive (no module-info, no package-info). */
  static List<String> classes(Path archive) {
    try (Stream<String> names = entries(archive)) {
      return names.filter(name -> name.endsWith(".class"))
          .filter(name -> !name.endsWith("module-info.class") && !name.endsWith("package-info.class"))
          .filter(name -> !name.startsWith("META-INF/"))
          .map(name -> name.substring(0, name.length() - ".class".length()).replace('/', '.'))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Stream<String> entries(Path archive) throws IOException {
    if (Files.isDirectory(archive)) {
      List<String> names;
      try (Stream<Path> files = Files.walk(archive)) {
        names = files.filter(Files::isRegularFile)
            .map(file -> archive.relativize(file).toString().replace(File.separatorChar, '/'))
            .toList();
      }
      return names.stream();
    }
    try (var zip = new java.util.zip.ZipFile(archive.toFile())) {
      return zip.stream().map(java.util.zip.ZipEntry::getName).toList().stream();
    }
  }
}
