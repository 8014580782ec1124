package io.inmemory.embeddings.onnx;

import io.inmemory.InMemoryConfig;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryClients;
import io.inmemory.engine.spi.Embedder;
import io.inmemory.engine.spi.EmbedderProvider;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Run by {@link OfflineEmbeddingTest} in a child JVM without a network: finds the {@code onnx}
 * provider through {@link ServiceLoader}, embeds a few texts with every model and prints one
 * {@code ok} line per model; then adds and searches memories through the local engine chosen by
 * {@link MemoryClients} and prints {@code ok memory} with the top hit. Exits with status 1 when
 * anything is wrong.
 */
public final class OfflineEmbeddingMain {
  private OfflineEmbeddingMain() {}

  public static void main(String[] args) {
    EmbedderProvider provider = ServiceLoader.load(EmbedderProvider.class).stream()
        .map(ServiceLoader.Provider::get)
        .filter(p -> p.name().equals("onnx"))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no onnx embedder provider"));
    for (String model : OnnxEmbedder.models()) {
      InMemoryConfig config = InMemoryConfig.builder().isolated()
          .set(OnnxEmbedderProvider.MODEL, model).build();
      try (Embedder embedder = provider.create(config)) {
        float[] query = embedder.embedQuery("What food does John like?");
        List<float[]> documents = embedder.embedDocuments(List.of(
            "I love pizza but hate broccoli", "Paris is the capital of France"));
        double related = dot(query, documents.get(0));
        double unrelated = dot(query, documents.get(1));
        if (!(related > unrelated) || Math.abs(dot(query, query) - 1) > 1e-4) {
          System.out.println("wrong vectors from " + embedder.id());
          System.exit(1);
        }
        System.out.printf("ok %s %d %.3f %.3f%n", embedder.id(), embedder.dimension(), related,
            unrelated);
      }
    }
    try (MemoryClient memory = MemoryClients.create(InMemoryConfig.builder().isolated().build())) {
      memory.add("I love pizza but hate broccoli", "john");
      memory.add("Paris is the capital of France", "john");
      String top = memory.search("What food does John like?", "john").memories().get(0).content();
      if (!top.equals("I love pizza but hate broccoli")) {
        System.out.println("wrong top hit from the engine: " + top);
        System.exit(1);
      }
      System.out.println("ok memory " + top);
    }
  }

  private static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (double) a[i] * b[i];
    }
    return sum;
  }
}
