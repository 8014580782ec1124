package io.inmemory.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Retrieval quality of ranked results against evidence sets, per question category, with the
 * units (turn ids, for LoCoMo) compared as strings. A retrieved item stands for one unit (a turn
 * stored as a memory) or several (a fact drawn from several turns). For each cut-off k: recall@k
 * (the fraction of a question's evidence among the units of the top k items), hit@k (any evidence
 * there) and all@k (every piece of evidence there), each averaged over questions; and the mean
 * reciprocal rank of the first item with evidence within the deepest cut-off (0 when none is
 * there). Not thread-safe.
 */
final class RetrievalMetrics {
  private final List<Integer> ks;
  private final int depth;
  private final List<Outcome> outcomes = new ArrayList<>();

  /**
   * @param ks the cut-offs, ascending and positive; the last one is the depth for the reciprocal
   *     rank
   */
  RetrievalMetrics(List<Integer> ks) {
    if (ks.isEmpty() || ks.get(0) < 1) {
      throw new IllegalArgumentException("cut-offs must be positive, were " + ks);
    }
    for (int i = 1; i < ks.size(); i++) {
      if (ks.get(i) <= ks.get(i - 1)) {
        throw new IllegalArgumentException("cut-offs must ascend, were " + ks);
      }
    }
    this.ks = List.copyOf(ks);
    this.depth = ks.get(ks.size() - 1);
  }

  /**
   * Records one question.
   *
   * @param evidence the units that answer it; not empty (questions without evidence cannot be
   *     scored)
   * @param ranked the retrieved units, best first; only the first {@code depth} count
   */
  void add(int category, Collection<String> evidence, List<String> ranked) {
    addItems(category, evidence, ranked.stream().map(Set::of).toList());
  }

  /**
   * Records one question whose retrieved items each stand for a set of units.
   *
   * @param evidence the units that answer it; not empty
   * @param ranked the units of each retrieved item, best first; only the first {@code depth}
   *     items count; an item may have no unit
   */
  void addItems(int category, Collection<String> evidence,
      List<? extends Collection<String>> ranked) {
    if (evidence.isEmpty()) {
      throw new IllegalArgumentException("a question without evidence cannot be scored");
    }
    List<Set<String>> top = ranked.subList(0, Math.min(depth, ranked.size())).stream()
        .map(Set::copyOf).toList();
    outcomes.add(new Outcome(category, Set.copyOf(evidence), top));
  }

  /** The categories recorded so far, ascending. */
  SortedSet<Integer> categories() {
    TreeSet<Integer> categories = new TreeSet<>();
    outcomes.forEach(outcome -> categories.add(outcome.category));
    return categories;
  }

  /** Averages over the questions of the given categories; all zero when there are none. */
  Summary summarize(Collection<Integer> categories) {
    Map<Integer, Double> recall = new LinkedHashMap<>();
    Map<Integer, Double> hit = new LinkedHashMap<>();
    Map<Integer, Double> all = new LinkedHashMap<>();
    ks.forEach(k -> {
      recall.put(k, 0.0);
      hit.put(k, 0.0);
      all.put(k, 0.0);
    });
    double reciprocalRanks = 0;
    int questions = 0;
    for (Outcome outcome : outcomes) {
      if (!categories.contains(outcome.category)) {
        continue;
      }
      questions++;
      for (int k : ks) {
        long found = outcome.foundWithin(k);
        recall.merge(k, (double) found / outcome.evidence.size(), Double::sum);
        hit.merge(k, found > 0 ? 1.0 : 0.0, Double::sum);
        all.merge(k, found == outcome.evidence.size() ? 1.0 : 0.0, Double::sum);
      }
      reciprocalRanks += outcome.reciprocalRank();
    }
    int n = Math.max(1, questions);
    ks.forEach(k -> {
      recall.put(k, recall.get(k) / n);
      hit.put(k, hit.get(k) / n);
      all.put(k, all.get(k) / n);
    });
    return new Summary(questions, recall, hit, all, reciprocalRanks / n);
  }

  /**
   * Averages over a set of questions.
   *
   * @param questions how many questions were averaged
   * @param recall recall@k by k
   * @param hit hit@k by k
   * @param all all@k by k
   * @param mrr mean reciprocal rank of the first evidence within the deepest cut-off
   */
  record Summary(int questions, Map<Integer, Double> recall, Map<Integer, Double> hit,
      Map<Integer, Double> all, double mrr) {
    Summary {
      recall = Map.copyOf(recall);
      hit = Map.copyOf(hit);
      all = Map.copyOf(all);
    }

    /**
     * The averages over this summary's questions and {@code other}'s together, as if recorded in
     * one {@link RetrievalMetrics} (each average weighted by its question count); both have the
     * same cut-offs.
     */
    Summary plus(Summary other) {
      if (!recall.keySet().equals(other.recall.keySet())) {
        throw new IllegalArgumentException("cut-offs differ: " + recall.keySet() + " and "
            + other.recall.keySet());
      }
      int total = questions + other.questions;
      return new Summary(total, weighted(recall, other.recall, other.questions, total),
          weighted(hit, other.hit, other.questions, total),
          weighted(all, other.all, other.questions, total),
          weighted(mrr, other.mrr, other.questions, total));
    }

    private Map<Integer, Double> weighted(Map<Integer, Double> mine, Map<Integer, Double> theirs,
        int theirQuestions, int total) {
      Map<Integer, Double> sum = new LinkedHashMap<>();
      mine.forEach((k, value) -> sum.put(k, weighted(value, theirs.get(k), theirQuestions, total)));
      return sum;
    }

    private double weighted(double mine, double theirs, int theirQuestions, int total) {
      return total == 0 ? 0 : (mine * questions + theirs * theirQuestions) / total;
    }
  }

  private record Outcome(int category, Set<String> evidence, List<Set<String>> top) {
    /** Distinct evidence units among the first k retrieved (a unit retrieved twice counts once). */
    long foundWithin(int k) {
      Set<String> seen = new LinkedHashSet<>();
      top.subList(0, Math.min(k, top.size())).forEach(seen::addAll);
      seen.retainAll(evidence);
      return seen.size();
    }

    double reciprocalRank() {
      for (int i = 0; i < top.size(); i++) {
        if (top.get(i).stream().anyMatch(evidence::contains)) {
          return 1.0 / (i + 1);
        }
      }
      return 0;
    }
  }
}
