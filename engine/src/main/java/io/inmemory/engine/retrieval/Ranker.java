package io.inmemory.engine.retrieval;

import io.inmemory.engine.index.Neighbor;
import io.inmemory.engine.index.VectorIndex;
import io.inmemory.engine.lexical.LexicalIndex;
import io.inmemory.engine.lexical.Scored;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Ranks a partition's memories for a query as its {@link RetrievalSettings} say: dense (cosine
 * similarity in the vector index), lexical (BM25, normalized) or hybrid (both sides' candidates
 * fused by the {@link Fusion}). It reads only the indexes and the ids it is handed, so the
 * caller's lock covers it. Immutable and thread-safe; ranking is as thread-safe as the indexes'
 * searches.
 */
public final class Ranker {
  private final RetrievalSettings settings;

  public Ranker(RetrievalSettings settings) {
    this.settings = settings;
  }

  /** A lexical index for the memories to be ranked, or null when ranking is dense only. */
  public @Nullable LexicalIndex newLexicalIndex() {
    return settings.lexical() ? new LexicalIndex(settings.bm25()) : null;
  }

  /**
   * The ids that best match the query, best first, at most {@code limit}, stopping before the
   * first one scoring below {@code threshold} when given.
   *
   * @param vectors the memories' vectors
   * @param words the memories' words, from {@link #newLexicalIndex()}; null when dense only
   * @param vector the query's embedding; null when lexical only
   * @param text the query's text
   * @param matching the ids that may be ranked, or null for all
   * @param threads the conversations among the memories, read as {@link #gathered} says
   */
  public List<Scored> rank(VectorIndex vectors, @Nullable LexicalIndex words,
      float @Nullable [] vector, String text, int limit, @Nullable Set<String> matching,
      @Nullable Double threshold, Threads threads) {
    return rank(vectors, words, vector, text, limit, matching == null ? Allowed.ALL
        : new Allowed(matching, matching::contains, matching.size()), threshold, threads);
  }

  /**
   * As {@link #rank(VectorIndex, LexicalIndex, float[], String, int, Set, Double)} among the ids
   * that pass a test instead of a set of ids: for a caller that excludes few memories and knows
   * how many pass, but not which without testing them all (a partition hiding its superseded
   * memories). The dense side walks its graph with the test (see
   * {@link VectorIndex#search(float[], int, Predicate, int)}), so the cost stays that of an
   * unfiltered search when most ids pass.
   *
   * @param passing the test an id must pass to be ranked; fast, side-effect free
   * @param count how many ids pass, which steers the dense search's strategy
   */
  public List<Scored> rank(VectorIndex vectors, @Nullable LexicalIndex words,
      float @Nullable [] vector, String text, int limit, Predicate<String> passing, int count,
      @Nullable Double threshold, Threads threads) {
    return rank(vectors, words, vector, text, limit, new Allowed(null, passing, count), threshold,
        threads);
  }

  private List<Scored> rank(VectorIndex vectors, @Nullable LexicalIndex words,
      float @Nullable [] vector, String text, int limit, Allowed allowed,
      @Nullable Double threshold, Threads threads) {
    Threads read = settings.readsThreads() ? threads : Threads.NONE;
    List<Scored> ranked = settings.mode() == RetrievalMode.HYBRID || read != Threads.NONE
        ? gathered(vectors, words, vector, text, limit, allowed, read)
        : switch (settings.mode()) {
          case DENSE -> dense(vectors, vector, limit, allowed);
          case LEXICAL -> lexical(words, words.query(text), limit, allowed.passing());
          case HYBRID -> throw new AssertionError("hybrid ranking is gathered");
        };
    List<Scored> best = new ArrayList<>(Math.min(limit, ranked.size()));
    for (Scored scored : ranked) {
      if (best.size() == limit || (threshold != null && scored.score() < threshold)) {
        break;
      }
      best.add(scored);
    }
    return best;
  }

  /**
   * The ids a ranking may return: a known set (searched among directly), or a test with the
   * number of ids passing it, or all ({@link #ALL}, both null).
   */
  private record Allowed(@Nullable Set<String> ids, @Nullable Predicate<String> passing,
      int count) {
    static final Allowed ALL = new Allowed(null, null, -1);

    boolean allows(String id) {
      return passing == null || passing.test(id);
    }
  }

  /** The top {@code k} by cosine similarity among the allowed memories. */
  private static List<Scored> dense(VectorIndex index, float[] vector, int k, Allowed allowed) {
    List<Neighbor> neighbors = allowed.ids() != null ? index.searchAmong(vector, k, allowed.ids())
        : allowed.passing() != null ? index.search(vector, k, allowed.passing(), allowed.count())
        : index.search(vector, k);
    List<Scored> scored = new ArrayList<>(neighbors.size());
    for (Neighbor neighbor : neighbors) {
      scored.add(new Scored(neighbor.id(), neighbor.score()));
    }
    return scored;
  }

  /** The top {@code k} by BM25, normalized to [0, 1), among the memories that pass. */
  private static List<Scored> lexical(LexicalIndex lexical, LexicalIndex.Query query, int k,
      @Nullable Predicate<String> passing) {
    List<Scored> found = lexical.search(query, k, passing);
    List<Scored> scored = new ArrayList<>(found.size());
    for (Scored hit : found) {
      scored.add(new Scored(hit.id(), query.normalized(hit.score())));
    }
    return scored;
  }

  /**
   * Ranks the top {@code max(limit, candidates)} hits of each side (every candidate scored on
   * both sides, so that no fusion has to guess a missing score), reading the memories'
   * conversations when {@code threads} has any: the hits are joined by the messages said just
   * before and after them, each message's cosine is that of its vector plus
   * {@link RetrievalSettings#contextWeight} times the vector of the message before it (the
   * direction of the two said together, so a reply such as "yes, twice!" carries what it
   * answers), and each score is then raised toward its best neighbour's by
   * {@link RetrievalSettings#neighborWeight} of the gap (evidence often spans two turns). Scores
   * stay on the mode's scale; memories outside any conversation score as without it.
   */
  private List<Scored> gathered(VectorIndex index, @Nullable LexicalIndex lexical,
      float @Nullable [] vector, String text, int limit, Allowed allowed, Threads threads) {
    int depth = Math.max(limit, settings.candidates());
    LexicalIndex.Query query = lexical == null ? null : lexical.query(text);
    boolean words = query != null && !query.isEmpty();
    // the dense side's cosines, reused rather than computed again for fusion and context
    Map<String, Double> cosines = new LinkedHashMap<>();
    if (vector != null) {
      dense(index, vector, depth, allowed).forEach(hit -> cosines.put(hit.id(), hit.score()));
    }
    Set<String> found = new LinkedHashSet<>(cosines.keySet());
    if (words) {
      lexical.search(query, depth, allowed.passing()).forEach(hit -> found.add(hit.id()));
    }
    for (String id : List.copyOf(found)) {
      neighbors(id, threads).stream().filter(n -> allowed.allows(n) && index.contains(n))
          .forEach(found::add);
    }
    List<Fusion.Candidate> candidates = new ArrayList<>(found.size());
    for (String id : found) {
      candidates.add(new Fusion.Candidate(id,
          vector == null ? 0 : contextualCosine(index, vector, id, threads, cosines),
          words ? lexical.score(query, id) : 0));
    }
    List<Scored> own = switch (settings.mode()) {
      case DENSE -> candidates.stream().map(c -> new Scored(c.id(), c.dense())).toList();
      case LEXICAL -> candidates.stream()
          .map(c -> new Scored(c.id(), query.normalized(c.lexical()))).toList();
      case HYBRID -> settings.fusion().fuse(candidates, settings.lexicalWeight(),
          settings.rankConstant());
    };
    return threads == Threads.NONE ? own : lifted(own, threads);
  }

  /** {@code own} with each score raised toward its best neighbour's among them; best first. */
  private List<Scored> lifted(List<Scored> own, Threads threads) {
    Map<String, Double> scores = new HashMap<>(own.size() * 4 / 3 + 1);
    own.forEach(scored -> scores.put(scored.id(), scored.score()));
    List<Scored> ranked = new ArrayList<>(own.size());
    for (Scored scored : own) {
      double score = scored.score();
      double best = neighbors(scored.id(), threads).stream().filter(scores::containsKey)
          .mapToDouble(scores::get).max().orElse(score);
      ranked.add(new Scored(scored.id(),
          score + settings.neighborWeight() * Math.max(0, best - score)));
    }
    ranked.sort(Scored.BEST_FIRST);
    return ranked;
  }

  private static List<String> neighbors(String id, Threads threads) {
    List<String> neighbors = new ArrayList<>(threads.next(id));
    String previous = threads.previous(id);
    if (previous != null) {
      neighbors.add(previous);
    }
    return neighbors;
  }

  /**
   * The cosine between {@code query} and memory {@code id}'s vector plus {@code w} times that of
   * the message before it: {@code (q·v + w q·p) / |v + w p|}, all vectors unit length; the plain
   * cosine when it has none. {@code cosines} holds those already known, and learns the others.
   */
  private double contextualCosine(VectorIndex index, float[] query, String id, Threads threads,
      Map<String, Double> cosines) {
    double own = cosine(index, query, id, cosines);
    double w = settings.contextWeight();
    String previous = threads.previous(id);
    if (w == 0 || previous == null || !index.contains(previous)) {
      return own;
    }
    OptionalDouble between = index.similarity(id, previous);
    double norm = Math.sqrt(1 + w * w + 2 * w * between.orElse(0));
    return between.isEmpty() || norm < 1e-6 ? own
        : (own + w * cosine(index, query, previous, cosines)) / norm;
  }

  private static double cosine(VectorIndex index, float[] query, String id,
      Map<String, Double> cosines) {
    return cosines.computeIfAbsent(id, key -> index.score(query, key).orElseThrow());
  }
}
