package io.inmemory.architecture;

import io.inmemory.InMemoryConfig;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryClients;
import io.inmemory.SearchHit;
import io.inmemory.engine.Memory;
import io.inmemory.engine.spi.Extractor;
import io.inmemory.engine.spi.ExtractorProvider;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Method;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * The child of {@link ModulePathTest}: an application on the class path over the InMemory modules
 * on the module path. Prints one {@code key: value} line per finding; exits non-zero on an error.
 */
public final class ModulePathMain {
  private ModulePathMain() {}

  public static void main(String[] args) throws Exception {
    System.out.println("engine module: " + Memory.class.getModule());
    try (MemoryClient client = MemoryClients.create()) {
      System.out.println("client: " + client.getClass().getName() + " in " + client.getClass().getModule());
      client.add("Alice keeps bees on the roof of her house", "module-path-user");
      for (SearchHit hit : client.search("honey bees", "module-path-user").hits()) {
        System.out.println("found: " + hit.memory().content());
      }
    }

    // The extractor reads its prompts, resources of its named module, when it is created.
    for (ExtractorProvider provider : ServiceLoader.load(ExtractorProvider.class)) {
      try (Extractor extractor = provider.create(InMemoryConfig.builder().isolated()
          .set("inmemory.llm.base-url", "http://127.0.0.1:9/v1")
          .set("inmemory.llm.model", "module-path").build())) {
        System.out.println("extractor: " + extractor.id() + " in " + extractor.getClass().getModule());
      }
    }

    Class<?> internal = Class.forName("io.inmemory.engine.index.VectorIndex");
    Method method = internal.getMethod("dotProduct");
    try {
      System.out.println("internal call: allowed, " + method.invoke(null));
    } catch (IllegalAccessException e) {
      System.out.println("internal call: refused, " + e.getClass().getSimpleName());
    }
    try {
      method.setAccessible(true);
      System.out.println("internal setAccessible: allowed");
    } catch (InaccessibleObjectException e) {
      System.out.println("internal setAccessible: refused, " + e.getClass().getSimpleName());
    }

    System.out.println("engine exports: " + Memory.class.getModule().getDescriptor().exports().stream()
        .map(ModuleDescriptor.Exports::toString)
        .sorted()
        .collect(Collectors.joining(", ")));
  }
}
