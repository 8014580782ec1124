package io.inmemory.spring.boot;

import io.inmemory.ConfigurationException;
import io.inmemory.InMemoryConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.util.PlaceholderResolutionException;

/**
 * The {@link InMemoryConfig} of a Spring {@link Environment}: every {@code inmemory.*} name of
 * its enumerable property sources (application properties and YAML, profiles, command-line
 * arguments, system properties, test properties…) set on the builder with the value Spring
 * resolves for it, so Spring's precedence and placeholders apply, and an environment variable
 * outranks {@code application.properties} as it does for Spring's own keys. Every key the
 * starter's IDE metadata names is also asked of the {@code Environment} by name, so that Spring's
 * relaxed forms of environment variables ({@code INMEMORY_STORE_FILE_DIR},
 * {@code inmemory_store_file_dir}, {@code INMEMORY_SPRINGAI_ADVISOR_LIMIT}, an application's
 * environment prefix) count although no property source lists the key itself. The builder is not
 * isolated: what Spring does not resolve (the aliases such as {@code INMEM_API_KEY}, or
 * {@code inmemory.properties}) is read by {@code InMemoryConfig} itself, beneath Spring's values.
 *
 * <p>A name Spring would bind loosely but InMemory would not read ({@code inmemory.maxMemorySize},
 * {@code inmemory.max_memory_size}) is refused, with the name to write, rather than ignored.
 * Unknown {@code inmemory.*} names are not checked, as elsewhere in InMemory. Stateless.
 */
final class EnvironmentConfig {
  private static final String PREFIX = "inmemory.";
  private static final String METADATA = "META-INF/spring-configuration-metadata.json";
  /**
   * The names of every InMemory key, from the metadata the starter ships (derived from the code
   * and checked against it by its tests): Spring resolves a name only when asked for it.
   */
  private static final Set<String> KNOWN = knownNames();

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
    Set<String> listed = names(environment);
    for (String name : listed) {
      if (!ConfigurationPropertyName.isValid(name)) {
        problems.add(name + " is not read: InMemory keys are lower-case words joined by dots and"
            + " dashes; write " + canonical(name));
        continue;
      }
      set(builder, environment, name, problems, null);
    }
    for (String name : KNOWN) {
      // InMemoryConfig reads the variable of the key's own name itself, naming it in errors
      if (!listed.contains(name)) {
        String ownVariable = System.getenv(name.toUpperCase(Locale.ROOT).replace('.', '_')
            .replace('-', '_'));
        set(builder, environment, name, problems, ownVariable);
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
    return builder.build();
  }

  /** Sets {@code name} to the value Spring resolves for it, unless that is {@code unless}. */
  private static void set(InMemoryConfig.Builder builder, Environment environment, String name,
      List<String> problems, @Nullable String unless) {
    try {
      String value = environment.getProperty(name);
      if (value != null && !value.equals(unless)) {
        builder.set(name, value);
      }
    } catch (PlaceholderResolutionException e) {
      // not Spring's message: it quotes the raw value, which may hold a secret (an API key)
      problems.add(name + ": Could not resolve placeholder '" + e.getPlaceholder()
          + "'; define it, or give a default: ${" + e.getPlaceholder() + ":…}");
    } catch (IllegalArgumentException e) {
      problems.add(name + ": " + e.getMessage());
    }
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

  private static Set<String> knownNames() {
    Set<String> names = new TreeSet<>();
    try {
      Enumeration<URL> resources = EnvironmentConfig.class.getClassLoader().getResources(METADATA);
      for (URL resource : Collections.list(resources)) {
        try (InputStream in = resource.openStream()) {
          Object properties = JsonParserFactory.getJsonParser()
              .parseMap(new String(in.readAllBytes(), StandardCharsets.UTF_8)).get("properties");
          if (properties instanceof List<?> list) {
            for (Object property : list) {
              // other libraries' metadata share the resource name: only InMemory's keys count
              if (property instanceof Map<?, ?> map && map.get("name") instanceof String name
                  && name.startsWith(PREFIX)) {
                names.add(name);
              }
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + METADATA, e);
    }
    return Set.copyOf(names);
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
