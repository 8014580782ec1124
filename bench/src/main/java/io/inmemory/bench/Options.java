package io.inmemory.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A benchmark's command line: {@code --name value} pairs and bare positional arguments, with
 * typed lookups that fall back to the benchmark's defaults. Immutable.
 */
final class Options {
  private final Map<String, String> named;
  private final List<String> positional;

  private Options(Map<String, String> named, List<String> positional) {
    this.named = Map.copyOf(named);
    this.positional = List.copyOf(positional);
  }

  /**
   * Parses {@code args}.
   *
   * @throws IllegalArgumentException when an option has no value
   */
  static Options parse(String[] args) {
    Map<String, String> named = new HashMap<>();
    List<String> positional = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].startsWith("--")) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("option " + args[i] + " needs a value");
        }
        named.put(args[i].substring(2), args[++i]);
      } else {
        positional.add(args[i]);
      }
    }
    return new Options(named, positional);
  }

  /** The value of {@code --name}, or {@code null} when it was not given. */
  String get(String name) {
    return named.get(name);
  }

  /** The value of {@code --name}, or {@code defaultValue}. */
  String get(String name, String defaultValue) {
    return named.getOrDefault(name, defaultValue);
  }

  /** The whole number given as {@code --name}, or {@code defaultValue}. */
  int integer(String name, int defaultValue) {
    String value = named.get(name);
    return value == null ? defaultValue : Integer.parseInt(value);
  }

  /** The number given as {@code --name}, or {@code defaultValue}. */
  double decimal(String name, double defaultValue) {
    String value = named.get(name);
    return value == null ? defaultValue : Double.parseDouble(value);
  }

  /** The comma-separated whole numbers given as {@code --name}, or those of {@code defaults}. */
  int[] integers(String name, String defaults) {
    return Arrays.stream(get(name, defaults).split(",")).mapToInt(Integer::parseInt).toArray();
  }

  /** The arguments that are not options, in order. */
  List<String> positional() {
    return positional;
  }
}
