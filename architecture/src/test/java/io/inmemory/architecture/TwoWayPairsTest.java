package io.inmemory.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.architecture.Jdeps.Edge;
import java.util.LinkedHashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * No two top-level classes of the published modules use each other, except the three pairs inside
 * {@code io.inmemory.engine.index} that the format and the language require (nested classes count
 * as their top-level class).
 */
class TwoWayPairsTest {
  /**
   * {@code Store} is {@code sealed ... permits FlatStore, GraphStore}; the snapshot format names
   * {@code GraphSnapshot}'s serializers, which {@code GraphStore} installs, so no index class may
   * move or be renamed (user snapshots would stop restoring).
   */
  private static final Set<String> ACCEPTED = Set.of(
      "io.inmemory.engine.index.FlatStore <-> io.inmemory.engine.index.Store",
      "io.inmemory.engine.index.GraphStore <-> io.inmemory.engine.index.Store",
      "io.inmemory.engine.index.GraphSnapshot <-> io.inmemory.engine.index.GraphStore");

  @Test
  void onlyTheAcceptedPairsUseEachOther() {
    Set<Edge> topLevel = new LinkedHashSet<>();
    for (Edge edge : Jdeps.classes()) {
      String from = topLevel(edge.from());
      String to = topLevel(edge.to());
      if (!from.equals(to)) {
        topLevel.add(new Edge(from, to));
      }
    }
    Set<String> pairs = new Graph(topLevel).twoWayPairs();
    System.out.println("two-way class pairs: " + pairs.size());
    pairs.forEach(pair -> System.out.println("  " + pair));

    assertThat(pairs).as("classes that use each other").containsExactlyInAnyOrderElementsOf(ACCEPTED);
  }

  private static String topLevel(String className) {
    int nested = className.indexOf('$');
    return nested < 0 ? className : className.substring(0, nested);
  }
}
