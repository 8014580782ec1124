package io.inmemory.spring.boot;

import io.inmemory.ConfigurationException;
import io.inmemory.InMemoryConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * The {@link InMemoryConfig} of a Spring {@link Environment}: every {@code inmemory.*} name of
 * its enumerable property sources (application properties and YAML, profiles, command-line
 * arguments, system properties, test properties…) set on the builder with the value Spring
 * resolves for it, so Spring's precedence and placeholders apply, and an environment variable
 * outranks {@code application.properties} as it does for Spring's own keys. The builder is not
 * isolated: keys Spring does not list by name (set only as environment variables, their aliases
 * such as {@code INMEM_API_KEY}, or in {@code inmemory.properties}) are read by
 * {@code InMemoryConfig} itself, beneath Spring's values.
 *
 * <p>A name Spring would bind loosely but InMemory would not read ({@code inmemory.maxMemorySize},
 * {@code inmemory.max_memory_size}) is refused, with the name to write, rather than ignored.
 * Unknown {@code inmemory.*} names are not checked, as elsewhere in InMemory. Stateless.
 */
final class EnvironmentConfig {
  private static final String PREFIX = "inmemory.";

  private EnvironmentConfig() {}

  /**
   * The configuration of {@code environment}.
   *
   * @throws ConfigurationException listing every name InMemory would not read and every value
   *     whose placeholders do not resolve
   */
  static InMemoryConfig from(Environment environment) {
    InMemoryConfig.Builder builder = InMemoryConfig.builder();
    List<String> problems = new ArrayList<>();
    for (String name : names(environment)) {
      if (!ConfigurationPropertyName.isValid(name)) {
        problems.add(name + " is not read: InMemory keys are lower-case words joined by dots and"
            + " dashes; write " + canonical(name));
        continue;
      }
      try {
        String value = environment.getProperty(name);
        if (value != null) {
          builder.set(name, value);
        }
      } catch (IllegalArgumentException e) {
        problems.add(name + ": " + e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
    return builder.build();
  }

  private static Set<String> names(Environment environment) {
    Set<String> names = new TreeSet<>();
    if (environment instanceof ConfigurableEnvironment configurable) {
      for (PropertySource<?> source : configurable.getPropertySources()) {
        if (source instanceof EnumerablePropertySource<?> enumerable) {
          for (String name : enumerable.getPropertyNames()) {
            if (name.toLowerCase(Locale.ROOT).startsWith(PREFIX)) {
              names.add(name);
            }
          }
        }
      }
    }
    return names;
  }

  /**
   * {@code inmemory.maxMemorySize}, {@code inmemory.max_memory_size} → the dashed form; the
   * prefix, matched whatever its case, is written {@code inmemory.}.
   */
  private static String canonical(String name) {
    String rest = name.substring(PREFIX.length());
    StringBuilder dashed = new StringBuilder(PREFIX);
    for (int i = 0; i < rest.length(); i++) {
      char c = rest.charAt(i);
      if (Character.isUpperCase(c) && i > 0 && Character.isLetterOrDigit(rest.charAt(i - 1))
          && !Character.isUpperCase(rest.charAt(i - 1))) {
        dashed.append('-');
      }
      dashed.append(c == '_' ? '-' : Character.toLowerCase(c));
    }
    return dashed.toString();
  }
}
