package io.inmemory.bench;

import java.util.HashMap;
import java.util.Map;

/** Parses {@code --name value} pairs and bare positional arguments ({@code _0}, {@code _1}, …). */
final class Options {
  private Options() {}

  static Map<String, String> parse(String[] args) {
    Map<String, String> options = new HashMap<>();
    int positional = 0;
    for (int i = 0; i < args.length; i++) {
      if (args[i].startsWith("--")) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("option " + args[i] + " needs a value");
        }
        options.put(args[i].substring(2), args[++i]);
      } else {
        options.put("_" + positional++, args[i]);
      }
    }
    return options;
  }
}
