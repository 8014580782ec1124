package io.inmemory.engine.lexical;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A BM25 inverted index over the texts of one partition, keyed by id. Engine-internal, not API.
 *
 * <p>Each text is analyzed into terms ({@link Analyzer}); each term keeps a postings list of the
 * documents holding it with their term frequencies. A document knows its terms and its position
 * in each of their postings, so removing or replacing it costs time in its own number of terms,
 * not in the size of the index, and no tombstones are left behind.
 *
 * <p>Scores are Okapi BM25 with the non-negative idf {@code ln(1 + (N - df + 0.5) / (df + 0.5))},
 * each query term counted once. {@link Query#normalized(double)} maps a score to [0, 1] by
 * dividing by the query's ceiling (what a document with every query term, infinitely often, would
 * score), so normalized scores are comparable across queries and independent of the other hits.
 *
 * <p>Not thread-safe for writes: callers serialize writes against everything else (the
 * partition's write lock). Searches only share a thread-safe pool of scratch buffers, so any
 * number may run concurrently with each other (the partition's read lock).
 */
public final class LexicalIndex {

  private static final int INITIAL_CAPACITY = 4;

  private final Bm25 bm25;
  /**
   * Idle score accumulators: as many as searches have run at once, so a search allocates nothing
   * in the size of the index, and the memory they hold is bounded by this index's size times its
   * own peak concurrency (not by the number of threads in the application).
   */
  private final Deque<Accumulator> accumulators = new ConcurrentLinkedDeque<>();
  private final Map<String, Postings> postings = new HashMap<>();
  private final Map<String, Integer> slots = new HashMap<>();
  private Document[] documents = new Document[INITIAL_CAPACITY];
  private int size;
  private long totalLength;

  public LexicalIndex(Bm25 bm25) {
    this.bm25 = Objects.requireNonNull(bm25, "bm25");
  }

  /** The number of documents. */
  public int size() {
    return size;
  }

  /** Whether a document is stored under {@code id}. */
  public boolean contains(String id) {
    return slots.containsKey(id);
  }

  /** Adds or replaces the document of {@code id}. */
  public void put(String id, String text) {
    Objects.requireNonNull(id, "id");
    List<String> terms = Analyzer.terms(text);
    remove(id);
    Map<String, Integer> frequencies = new LinkedHashMap<>();
    for (String term : terms) {
      frequencies.merge(term, 1, Integer::sum);
    }
    if (size == documents.length) {
      documents = Arrays.copyOf(documents, documents.length + Math.max(4, documents.length / 2));
    }
    int slot = size++;
    Document document = new Document(id, terms.size(), frequencies.size());
    int j = 0;
    for (Map.Entry<String, Integer> entry : frequencies.entrySet()) {
      Postings list = postings.computeIfAbsent(entry.getKey(), Postings::new);
      document.terms[j] = list;
      document.frequencies[j] = entry.getValue();
      document.positions[j] = list.add(slot, entry.getValue());
      j++;
    }
    documents[slot] = document;
    slots.put(id, slot);
    totalLength += document.length;
  }

  /** Removes the document of {@code id}; returns whether there was one. */
  public boolean remove(String id) {
    Integer boxed = slots.remove(Objects.requireNonNull(id, "id"));
    if (boxed == null) {
      return false;
    }
    int slot = boxed;
    Document document = documents[slot];
    for (int j = 0; j < document.terms.length; j++) {
      Postings list = document.terms[j];
      int moved = list.removeAt(document.positions[j]);
      if (moved >= 0) {
        documents[moved].repoint(list, document.positions[j]);
      }
      if (list.size == 0) {
        postings.remove(list.term);
      }
    }
    totalLength -= document.length;
    int last = --size;
    if (slot != last) {
      Document lastDocument = documents[last];
      documents[slot] = lastDocument;
      for (int j = 0; j < lastDocument.terms.length; j++) {
        lastDocument.terms[j].slots[lastDocument.positions[j]] = slot;
      }
      slots.put(lastDocument.id, slot);
    }
    documents[last] = null;
    return true;
  }

  /** Prepares {@code text} as a query against the index's current contents. */
  public Query query(String text) {
    Set<String> terms = new LinkedHashSet<>(Analyzer.terms(text));
    Postings[] lists = new Postings[terms.size()];
    double[] idfs = new double[terms.size()];
    int distinct = 0;
    double ceiling = 0;
    for (String term : terms) {
      Postings list = postings.get(term);
      if (list == null) {
        continue;
      }
      lists[distinct] = list;
      idfs[distinct] = Math.log(1 + (size - list.size + 0.5) / (list.size + 0.5));
      ceiling += idfs[distinct] * (bm25.k1() + 1);
      distinct++;
    }
    return new Query(Arrays.copyOf(lists, distinct), Arrays.copyOf(idfs, distinct), ceiling);
  }

  /**
   * The {@code k} highest-scoring documents among those matching at least one query term and
   * passing {@code filter} (null for all), best first, ties by id; fewer only when fewer match.
   *
   * @throws IllegalArgumentException if {@code k < 1}
   */
  public List<Scored> search(Query query, int k, @Nullable Predicate<String> filter) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be positive, was " + k);
    }
    if (query.lists.length == 0) {
      return List.of();
    }
    Accumulator accumulator = accumulators.pollFirst();
    if (accumulator == null) {
      accumulator = new Accumulator();
    }
    try {
      accumulator.reset(size);
      accumulate(query, accumulator);
      return best(accumulator, k, filter);
    } finally {
      accumulators.offerFirst(accumulator);
    }
  }

  private void accumulate(Query query, Accumulator accumulator) {
    double averageLength = averageLength();
    for (int t = 0; t < query.lists.length; t++) {
      Postings list = query.lists[t];
      double idf = query.idfs[t];
      for (int p = 0; p < list.size; p++) {
        int slot = list.slots[p];
        accumulator.add(slot, idf * saturation(list.frequencies[p], documents[slot].length,
            averageLength));
      }
    }
  }

  /** The {@code k} best accumulated documents that pass {@code filter}, best first. */
  private List<Scored> best(Accumulator accumulator, int k, @Nullable Predicate<String> filter) {
    PriorityQueue<Scored> best = new PriorityQueue<>(Math.max(1, Math.min(k, accumulator.touched)),
        Scored.BEST_FIRST.reversed());
    for (int i = 0; i < accumulator.touched; i++) {
      int slot = accumulator.slots[i];
      double score = accumulator.scores[slot];
      String id = documents[slot].id;
      if (best.size() == k) {
        Scored worst = best.peek();
        if (score < worst.score() || (score == worst.score() && id.compareTo(worst.id()) > 0)) {
          continue;
        }
      }
      if (filter == null || filter.test(id)) {
        best.add(new Scored(id, score));
        if (best.size() > k) {
          best.poll();
        }
      }
    }
    List<Scored> result = new ArrayList<>(best);
    result.sort(Scored.BEST_FIRST);
    return result;
  }

  /** The BM25 score of the document of {@code id} for {@code query}; 0 when absent or unmatched. */
  public double score(Query query, String id) {
    Integer slot = slots.get(id);
    if (slot == null || query.lists.length == 0) {
      return 0;
    }
    Document document = documents[slot];
    double averageLength = averageLength();
    double score = 0;
    for (int t = 0; t < query.lists.length; t++) {
      for (int j = 0; j < document.terms.length; j++) {
        if (document.terms[j] == query.lists[t]) {
          score += query.idfs[t]
              * saturation(document.frequencies[j], document.length, averageLength);
          break;
        }
      }
    }
    return score;
  }

  private double averageLength() {
    return size == 0 ? 1 : Math.max(1, (double) totalLength / size);
  }

  /** BM25's term-frequency factor, from 0 towards {@code k1 + 1}. */
  private double saturation(int frequency, int length, double averageLength) {
    double k1 = bm25.k1();
    return frequency * (k1 + 1)
        / (frequency + k1 * (1 - bm25.b() + bm25.b() * length / averageLength));
  }

  /**
   * A query resolved against the index: its distinct known terms with their idf. Valid until the
   * index is next written; cheap to make, so make one per search.
   */
  public static final class Query {
    private final Postings[] lists;
    private final double[] idfs;
    private final double ceiling;

    private Query(Postings[] lists, double[] idfs, double ceiling) {
      this.lists = lists;
      this.idfs = idfs;
      this.ceiling = ceiling;
    }

    /** Whether no query term occurs in the index, so nothing can match. */
    public boolean isEmpty() {
      return lists.length == 0;
    }

    /**
     * {@code score} divided by the query's ceiling, in [0, 1] (below 1 unless k1 is 0); 0 for an
     * empty query.
     */
    public double normalized(double score) {
      return ceiling == 0 ? 0 : score / ceiling;
    }
  }

  /** The documents holding one term: parallel arrays of slots and term frequencies. */
  private static final class Postings {
    private final String term;
    private int[] slots = new int[2];
    private int[] frequencies = new int[2];
    private int size;

    Postings(String term) {
      this.term = term;
    }

    /** Appends a posting; returns its position. */
    int add(int slot, int frequency) {
      if (size == slots.length) {
        slots = Arrays.copyOf(slots, size * 2);
        frequencies = Arrays.copyOf(frequencies, size * 2);
      }
      slots[size] = slot;
      frequencies[size] = frequency;
      return size++;
    }

    /**
     * Removes the posting at {@code position} by moving the last one into it; returns the slot
     * of the moved posting's document, or -1 when none moved.
     */
    int removeAt(int position) {
      int last = --size;
      if (position == last) {
        return -1;
      }
      slots[position] = slots[last];
      frequencies[position] = frequencies[last];
      return slots[position];
    }
  }

  /** One indexed text: its id, length in terms and distinct terms. */
  private static final class Document {
    final String id;
    final int length;
    final Postings[] terms;
    final int[] frequencies;
    final int[] positions;

    Document(String id, int length, int distinct) {
      this.id = id;
      this.length = length;
      this.terms = new Postings[distinct];
      this.frequencies = new int[distinct];
      this.positions = new int[distinct];
    }

    /** Records that this document's posting in {@code list} moved to {@code position}. */
    void repoint(Postings list, int position) {
      for (int j = 0; j < terms.length; j++) {
        if (terms[j] == list) {
          positions[j] = position;
          return;
        }
      }
      throw new IllegalStateException("document " + id + " has no such postings list");
    }
  }

  /** Scores by slot with the list of slots touched, reset in time proportional to the touched. */
  private static final class Accumulator {
    double[] scores = new double[0];
    int[] slots = new int[0];
    int touched;

    void reset(int capacity) {
      for (int i = 0; i < touched; i++) {
        scores[slots[i]] = 0;
      }
      touched = 0;
      if (scores.length < capacity) {
        scores = new double[capacity];
        slots = new int[capacity];
      }
    }

    void add(int slot, double score) {
      if (scores[slot] == 0) {
        slots[touched++] = slot;
      }
      scores[slot] += score;
    }
  }
}
