package io.inmemory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Strict selection among the providers of one kind found by {@link ServiceLoader}: the configured
 * name wins; with no name, the single provider on the classpath is used; none, several, or an
 * unknown name is a {@link ConfigurationException} that names every candidate, its class and the
 * key to set. Never picks the first of several. Stateless and thread-safe.
 *
 * <p>Extension API shared by the runtime and store modules (runtimes, stores and embedders are
 * all selected with it); applications do not need it.
 */
public final class ProviderSelection {
  private ProviderSelection() {}

  /**
   * Loads the providers of {@code type} with the thread's context class loader (falling back to
   * the type's own loader) and selects one.
   *
   * @param what a human name of the kind, for messages, such as "memory store"
   * @param nameOf the name each provider is selected by
   * @param key the configuration key holding the wanted name
   * @param whereToFind advice for when no provider is found, such as which artifact to add
   */
  public static <P> P select(
      Class<P> type, String what, Function<P, String> nameOf, InMemoryConfig config,
      ConfigKey<String> key, String whereToFind) {
    return select(load(type), what, nameOf, config, key, whereToFind);
  }

  /** Selects among the given candidates; see {@link #select(Class, String, Function, InMemoryConfig, ConfigKey, String)}. */
  public static <P> P select(
      List<P> candidates, String what, Function<P, String> nameOf, InMemoryConfig config,
      ConfigKey<String> key, String whereToFind) {
    Map<String, P> byName = new LinkedHashMap<>();
    for (P candidate : candidates) {
      P previous = byName.putIfAbsent(nameOf.apply(candidate), candidate);
      if (previous != null) {
        throw new ConfigurationException("Two " + what + " providers are both named '"
            + nameOf.apply(candidate) + "': " + previous.getClass().getName() + " and "
            + candidate.getClass().getName() + ". Remove one of the jars from the classpath.");
      }
    }
    Optional<String> configured = config.find(key).map(String::trim);
    if (configured.isPresent()) {
      P chosen = byName.get(configured.get());
      if (chosen == null) {
        throw new ConfigurationException("No " + what + " named '" + configured.get() + "' (from "
            + config.sourceOf(key) + "). " + (byName.isEmpty()
                ? "None is on the classpath: " + whereToFind + "."
                : "Available: " + describe(byName) + ". Set " + keyHint(key)
                    + " to one of them, or add the jar that provides '" + configured.get()
                    + "'."));
      }
      return chosen;
    }
    if (byName.size() == 1) {
      return byName.values().iterator().next();
    }
    if (byName.isEmpty()) {
      throw new ConfigurationException("No " + what + " on the classpath: " + whereToFind + ".");
    }
    throw new ConfigurationException("Several " + what + " providers on the classpath: "
        + describe(byName) + ". Set " + keyHint(key) + " to choose one.");
  }

  /** Every provider of {@code type} that {@link ServiceLoader} finds. */
  public static <P> List<P> load(Class<P> type) {
    // On the module path ServiceLoader requires the calling module (this one) to declare 'uses'
    // for the type; io.inmemory cannot name the engine's SPIs in its descriptor, so it declares
    // the use here. A no-op on the class path (the unnamed module may use any service).
    ProviderSelection.class.getModule().addUses(type);
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = type.getClassLoader();
    }
    List<P> found = new ArrayList<>();
    ServiceLoader.load(type, loader).forEach(found::add);
    return found;
  }

  private static String keyHint(ConfigKey<String> key) {
    return key.name() + " (system property, or environment variable " + key.envName() + ")";
  }

  private static <P> String describe(Map<String, P> byName) {
    return byName.entrySet().stream()
        .map(entry -> "'" + entry.getKey() + "' (" + entry.getValue().getClass().getName() + ")")
        .collect(Collectors.joining(", "));
  }
}
