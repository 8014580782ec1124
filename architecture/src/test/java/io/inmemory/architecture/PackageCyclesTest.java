package io.inmemory.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.architecture.Jdeps.Edge;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** No circle among the io.inmemory packages of the published modules. */
class PackageCyclesTest {

  @Test
  void noPackageDependsOnItselfThroughOthers() {
    Set<Edge> edges = Jdeps.packages();
    List<Set<String>> circles = new Graph(edges).circles();
    System.out.println(edges.size() + " dependences between io.inmemory packages, circles: "
        + circles);

    assertThat(circles)
        .as("packages that depend on each other, directly or through others (each set is one circle)")
        .isEmpty();
  }

  @Test
  void aCircleThroughThreePackagesIsFound() {
    Graph graph = new Graph(List.of(new Edge("a", "b"), new Edge("b", "c"), new Edge("c", "a"),
        new Edge("c", "d"), new Edge("d", "e"), new Edge("e", "d")));

    assertThat(graph.circles()).containsExactly(Set.of("a", "b", "c"), Set.of("d", "e"));
  }
}
