package io.inmemory.langchain4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How to turn a stored chat window into the next one with few writes: which stored messages to
 * delete, which new ones to add and at what sequence numbers. Pure and stateless.
 *
 * <p>Each next message is matched, in order, with the first equal stored message after the last
 * match; stored messages left unmatched are deleted, next ones left unmatched are inserted between
 * their kept neighbours: after the last kept at {@link #STEP} intervals, before the first kept at
 * {@code STEP} intervals, between two kept ones evenly in the gap. When a gap has no room left (some
 * twenty insertions at one place) or a sequence would overflow, the whole window is stored again
 * after the highest stored sequence and every stored message deleted. Reading the stored messages
 * that remain plus the inserts in sequence order always gives the next window.
 */
final class WindowDiff {

  /** The distance between consecutive sequences when there is room. */
  static final long STEP = 1L << 20;

  private WindowDiff() {
  }

  /** A stored window message. */
  record Entry(String memoryId, long seq, String json) {
    Entry {
      Objects.requireNonNull(memoryId, "memoryId");
      Objects.requireNonNull(json, "json");
    }
  }

  /** A message to store at a sequence. */
  record Insert(long seq, String json) {
    Insert {
      Objects.requireNonNull(json, "json");
    }
  }

  /** The inserts, in sequence order, and the memory ids to delete. */
  record Plan(List<Insert> inserts, List<String> deletes) {
    Plan {
      inserts = List.copyOf(inserts);
      deletes = List.copyOf(deletes);
    }
  }

  /**
   * The plan from {@code stored} (in sequence order) to the window {@code next} (JSON of each
   * message, in window order).
   */
  static Plan plan(List<Entry> stored, List<String> next) {
    int[] match = new int[next.size()];
    boolean[] kept = new boolean[stored.size()];
    int from = 0;
    for (int j = 0; j < next.size(); j++) {
      match[j] = -1;
      for (int k = from; k < stored.size(); k++) {
        if (stored.get(k).json().equals(next.get(j))) {
          match[j] = k;
          kept[k] = true;
          from = k + 1;
          break;
        }
      }
    }
    try {
      return new Plan(inserts(stored, next, match), deletes(stored, kept));
    } catch (ArithmeticException noRoom) {
      return restore(stored, next);
    }
  }

  private static List<Insert> inserts(List<Entry> stored, List<String> next, int[] match) {
    List<Insert> inserts = new ArrayList<>();
    int j = 0;
    while (j < next.size()) {
      if (match[j] >= 0) {
        j++;
        continue;
      }
      int end = j;
      while (end < next.size() && match[end] < 0) {
        end++;
      }
      Long before = j == 0 ? null : stored.get(match[j - 1]).seq();
      Long after = end == next.size() ? null : stored.get(match[end]).seq();
      long[] seqs = between(before, after, end - j);
      for (int i = 0; i < seqs.length; i++) {
        inserts.add(new Insert(seqs[i], next.get(j + i)));
      }
      j = end;
    }
    return inserts;
  }

  /**
   * {@code count} increasing sequences strictly between {@code before} and {@code after} (either
   * open when null); throws {@link ArithmeticException} when they do not fit.
   */
  private static long[] between(Long before, Long after, int count) {
    long[] seqs = new long[count];
    if (before == null && after == null) {
      for (int i = 0; i < count; i++) {
        seqs[i] = Math.multiplyExact(STEP, i + 1L);
      }
    } else if (after == null) {
      for (int i = 0; i < count; i++) {
        seqs[i] = Math.addExact(before, Math.multiplyExact(STEP, i + 1L));
      }
    } else if (before == null) {
      for (int i = 0; i < count; i++) {
        seqs[i] = Math.subtractExact(after, Math.multiplyExact(STEP, (long) count - i));
      }
    } else {
      long step = Math.subtractExact(after, before) / (count + 1L);
      if (step < 1) {
        throw new ArithmeticException("no room for " + count + " between " + before + " and "
            + after);
      }
      for (int i = 0; i < count; i++) {
        seqs[i] = before + step * (i + 1L);
      }
    }
    return seqs;
  }

  private static List<String> deletes(List<Entry> stored, boolean[] kept) {
    List<String> deletes = new ArrayList<>();
    for (int k = 0; k < stored.size(); k++) {
      if (!kept[k]) {
        deletes.add(stored.get(k).memoryId());
      }
    }
    return deletes;
  }

  /** Every message of {@code next} after the highest stored sequence, every stored one deleted. */
  private static Plan restore(List<Entry> stored, List<String> next) {
    long base = stored.stream().mapToLong(Entry::seq).max().orElse(0);
    if (base > Long.MAX_VALUE / 2) {
      // seqs are only relative: start again low when the top is near the end of the range
      base = Long.MIN_VALUE / 2;
    }
    List<Insert> inserts = new ArrayList<>();
    for (int j = 0; j < next.size(); j++) {
      inserts.add(new Insert(base + STEP * (j + 1L), next.get(j)));
    }
    return new Plan(inserts, deletes(stored, new boolean[stored.size()]));
  }
}
