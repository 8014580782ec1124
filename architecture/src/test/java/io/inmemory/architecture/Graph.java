package io.inmemory.architecture;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** A directed graph of names; not thread-safe. */
final class Graph {
  private final Map<String, Set<String>> successors = new TreeMap<>();

  Graph(Collection<Jdeps.Edge> edges) {
    for (Jdeps.Edge edge : edges) {
      successors.computeIfAbsent(edge.from(), name -> new TreeSet<>()).add(edge.to());
      successors.computeIfAbsent(edge.to(), name -> new TreeSet<>());
    }
  }

  /**
   * The strongly connected sets of more than one node (Tarjan's algorithm): each is a circle of
   * dependences. Sorted, so a failure reads the same on every run.
   */
  List<Set<String>> circles() {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> lowest = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new TreeSet<>();
    List<Set<String>> circles = new ArrayList<>();
    for (String node : successors.keySet()) {
      if (!index.containsKey(node)) {
        connect(node, index, lowest, stack, onStack, circles);
      }
    }
    circles.sort((a, b) -> a.iterator().next().compareTo(b.iterator().next()));
    return circles;
  }

  private void connect(String node, Map<String, Integer> index, Map<String, Integer> lowest,
      Deque<String> stack, Set<String> onStack, List<Set<String>> circles) {
    index.put(node, index.size());
    lowest.put(node, index.get(node));
    stack.push(node);
    onStack.add(node);
    for (String next : successors.get(node)) {
      if (!index.containsKey(next)) {
        connect(next, index, lowest, stack, onStack, circles);
        lowest.put(node, Math.min(lowest.get(node), lowest.get(next)));
      } else if (onStack.contains(next)) {
        lowest.put(node, Math.min(lowest.get(node), index.get(next)));
      }
    }
    if (lowest.get(node).equals(index.get(node))) {
      Set<String> component = new TreeSet<>();
      String member;
      do {
        member = stack.pop();
        onStack.remove(member);
        component.add(member);
      } while (!member.equals(node));
      if (component.size() > 1) {
        circles.add(component);
      }
    }
  }

  /** The pairs {@code a <-> b} (a before b) where each uses the other. */
  Set<String> twoWayPairs() {
    Set<String> pairs = new TreeSet<>();
    successors.forEach((from, targets) -> targets.forEach(to -> {
      if (from.compareTo(to) < 0 && successors.get(to).contains(from)) {
        pairs.add(from + " <-> " + to);
      }
    }));
    return pairs;
  }
}
