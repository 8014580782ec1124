package io.inmemory.engine.index;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The k best (score, id) pairs seen so far, kept in a bounded min-heap of primitive scores so an
 * exact scan allocates nothing per vector. Ties on score go to the smaller id, which makes results
 * deterministic. Not thread-safe.
 */
final class TopK {

  static final Comparator<Neighbor> BEST_FIRST =
      Comparator.comparingDouble((Neighbor n) -> -n.score()).thenComparing(Neighbor::id);

  private final float[] scores;
  private final String[] ids;
  private int size;

  TopK(int k) {
    scores = new float[k];
    ids = new String[k];
  }

  int size() {
    return size;
  }

  void offer(float score, String id) {
    if (size < scores.length) {
      scores[size] = score;
      ids[size] = id;
      siftUp(size++);
    } else if (worse(0, score, id)) {
      scores[0] = score;
      ids[0] = id;
      siftDown(0);
    }
  }

  /** The collected pairs, best first. */
  List<Neighbor> toList() {
    List<Neighbor> result = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      result.add(new Neighbor(ids[i], scores[i]));
    }
    result.sort(BEST_FIRST);
    return result;
  }

  /** Whether the pair at heap position {@code i} ranks below (score, id). */
  private boolean worse(int i, float score, String id) {
    return scores[i] < score || (scores[i] == score && ids[i].compareTo(id) > 0);
  }

  private void siftUp(int i) {
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!worse(i, scores[parent], ids[parent])) {
        return;
      }
      swap(i, parent);
      i = parent;
    }
  }

  private void siftDown(int i) {
    while (true) {
      int worst = i;
      for (int child = 2 * i + 1; child <= 2 * i + 2 && child < size; child++) {
        if (worse(child, scores[worst], ids[worst])) {
          worst = child;
        }
      }
      if (worst == i) {
        return;
      }
      swap(i, worst);
      i = worst;
    }
  }

  private void swap(int a, int b) {
    float score = scores[a];
    scores[a] = scores[b];
    scores[b] = score;
    String id = ids[a];
    ids[a] = ids[b];
    ids[b] = id;
  }
}
