package io.inmemory.server;

import io.inmemory.NotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Files served from the classpath under one root: a fixed whitelist of names, each with its media
 * type, read once and kept (they never change in a running jar). A name not on the list is a 404;
 * a listed file missing from the jar is a packaging mistake and fails its first request.
 * Thread-safe.
 */
final class StaticAssets {
  private final String what;
  private final String root;
  private final Map<String, String> types;
  private final Map<String, String> headers;
  private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

  /**
   * @param what what the files are, for the 404's message ("documentation")
   * @param root the classpath folder holding them, ending in {@code /}
   * @param types the media type of each file served, by name
   * @param headers the headers sent with every file
   */
  StaticAssets(String what, String root, Map<String, String> types,
      Map<String, String> headers) {
    this.what = what;
    this.root = root;
    this.types = Map.copyOf(types);
    this.headers = Map.copyOf(headers);
  }

  /** The names served. */
  Set<String> names() {
    return types.keySet();
  }

  /**
   * The file {@code name} with its type and the headers.
   *
   * @throws NotFoundException when {@code name} is not one of {@link #names()}
   * @throws IllegalStateException when a listed file is missing from the classpath
   */
  Reply asset(String name) {
    String type = types.get(name);
    if (type == null) {
      throw new NotFoundException("No " + what + " asset " + name);
    }
    return new Reply(200, type, cache.computeIfAbsent(name, this::read), headers);
  }

  private byte[] read(String name) {
    try (InputStream in = resource(root + name)) {
      if (in == null) {
        throw new IllegalStateException("The " + what + " asset " + root + name
            + " is missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A classpath resource, or {@code null} when there is none. */
  static InputStream resource(String name) {
    return StaticAssets.class.getClassLoader().getResourceAsStream(name);
  }
}
