package io.inmemory.engine.lexical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LexicalIndexTest {

  private static final Bm25 STANDARD = new Bm25(1.2, 0.75);

  private static LexicalIndex index(Bm25 bm25, Map<String, String> texts) {
    LexicalIndex index = new LexicalIndex(bm25);
    texts.forEach(index::put);
    return index;
  }

  private static Map<String, String> fruit() {
    Map<String, String> texts = new LinkedHashMap<>();
    texts.put("a", "apple banana");
    texts.put("b", "apple apple cherry");
    texts.put("c", "date");
    return texts;
  }

  @Test
  void scoresAreOkapiBm25() {
    LexicalIndex index = index(STANDARD, fruit());
    LexicalIndex.Query query = index.query("apples");

    // N = 3, average length 2; "appl" is in 2 documents.
    double idf = Math.log(1 + (3 - 2 + 0.5) / (2 + 0.5));
    double a = idf * 1 * 2.2 / (1 + 1.2 * (1 - 0.75 + 0.75 * 2 / 2.0));
    double b = idf * 2 * 2.2 / (2 + 1.2 * (1 - 0.75 + 0.75 * 3 / 2.0));
    List<Scored> hits = index.search(query, 10, null);

    assertThat(hits).extracting(Scored::id).containsExactly("b", "a");
    assertThat(hits.get(0).score()).isCloseTo(b, within(1e-12));
    assertThat(hits.get(1).score()).isCloseTo(a, within(1e-12));
    assertThat(index.score(query, "a")).isCloseTo(a, within(1e-12));
    assertThat(index.score(query, "c")).isZero();
    assertThat(index.score(query, "unknown")).isZero();
    assertThat(query.normalized(b)).isCloseTo(b / (idf * 2.2), within(1e-12));
  }

  @Test
  void rareTermsOutweighCommonOnesAndMatchingMoreTermsWins() {
    Map<String, String> texts = new LinkedHashMap<>();
    for (int i = 0; i < 20; i++) {
      texts.put("common" + i, "we talked about work today " + i);
    }
    texts.put("rare", "we talked about the volcano");
    texts.put("both", "work by the volcano");
    LexicalIndex index = index(STANDARD, texts);

    List<Scored> hits = index.search(index.query("volcano work"), 3, null);

    // "rare" and "both" have two terms each; the common ones have four.
    assertThat(hits).extracting(Scored::id).startsWith("both", "rare");
    assertThat(index.search(index.query("volcano"), 3, null)).extracting(Scored::id)
        .containsExactly("both", "rare");
  }

  @Test
  void lengthNormalizationFollowsB() {
    Map<String, String> texts = Map.of("short", "tennis", "long",
        "tennis tournament final match crowd evening stadium lights");
    LexicalIndex strict = index(new Bm25(1.2, 1), texts);
    assertThat(strict.search(strict.query("tennis"), 2, null)).extracting(Scored::id)
        .containsExactly("short", "long");
    LexicalIndex flat = index(new Bm25(1.2, 0), texts);
    List<Scored> hits = flat.search(flat.query("tennis"), 2, null);
    assertThat(hits.get(0).score()).isEqualTo(hits.get(1).score());
    assertThat(hits).extracting(Scored::id).containsExactly("long", "short");
  }

  @Test
  void searchReturnsTheTopKAmongThoseThatPassTheFilter() {
    Map<String, String> texts = new LinkedHashMap<>();
    for (int i = 0; i < 50; i++) {
      texts.put("m" + i, "garden " + "flowers ".repeat(1 + i % 5) + i);
    }
    LexicalIndex index = index(STANDARD, texts);
    LexicalIndex.Query query = index.query("flowers garden");
    List<Scored> all = index.search(query, 50, null);

    List<Scored> odd = index.search(query, 4, id -> Integer.parseInt(id.substring(1)) % 2 == 1);

    List<Scored> expected = all.stream()
        .filter(hit -> Integer.parseInt(hit.id().substring(1)) % 2 == 1).limit(4).toList();
    assertThat(odd).containsExactlyElementsOf(expected);
    assertThat(index.search(query, 3, null)).containsExactlyElementsOf(all.subList(0, 3));
    assertThat(index.search(query, 3, id -> false)).isEmpty();
    assertThat(all).isSortedAccordingTo(Scored.BEST_FIRST);
  }

  @Test
  void queriesWithoutKnownTermsMatchNothing() {
    LexicalIndex index = index(STANDARD, fruit());

    assertThat(index.query("kiwi").isEmpty()).isTrue();
    assertThat(index.search(index.query("the of"), 5, null)).isEmpty();
    assertThat(index.query("kiwi").normalized(3)).isZero();
    assertThat(index.search(index.query("x"), 5, null)).isEmpty();
    assertThatThrownBy(() -> index.search(index.query("apple"), 0, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void replacingAndRemovingChangeWhatMatches() {
    LexicalIndex index = index(STANDARD, fruit());

    index.put("c", "cherry pie");
    assertThat(index.size()).isEqualTo(3);
    assertThat(index.search(index.query("date"), 5, null)).isEmpty();
    assertThat(index.search(index.query("cherry"), 5, null)).extracting(Scored::id)
        .containsExactlyInAnyOrder("b", "c");

    assertThat(index.remove("b")).isTrue();
    assertThat(index.remove("b")).isFalse();
    assertThat(index.contains("b")).isFalse();
    assertThat(index.size()).isEqualTo(2);
    assertThat(index.search(index.query("cherry apple"), 5, null)).extracting(Scored::id)
        .containsExactly("a", "c");
  }

  @Test
  void normalizedScoresStayWithinZeroAndOne() {
    LexicalIndex index = index(STANDARD, Map.of("x", "sun sun sun sun sun sea sea sea sea",
        "y", "sun"));
    LexicalIndex.Query query = index.query("sun sea");

    for (Scored hit : index.search(query, 5, null)) {
      assertThat(query.normalized(hit.score())).isGreaterThan(0).isLessThan(1);
    }
    LexicalIndex presence = index(new Bm25(0, 0.75), Map.of("x", "sun sea", "y", "rain"));
    LexicalIndex.Query both = presence.query("sun sea");
    assertThat(both.normalized(presence.score(both, "x"))).isCloseTo(1, within(1e-12));
  }

  /**
   * After any sequence of puts, replacements and removals the index scores exactly like one built
   * from scratch from what is left: postings, document frequencies and lengths all follow.
   */
  @Test
  void randomEditsScoreLikeAFreshIndex() {
    Random random = new Random(42);
    List<String> words = List.of("river", "mountain", "coffee", "guitar", "paint", "school",
        "garden", "dog", "camp", "book", "music", "trip");
    LexicalIndex index = new LexicalIndex(STANDARD);
    Map<String, String> expected = new LinkedHashMap<>();
    for (int step = 0; step < 3_000; step++) {
      String id = "m" + random.nextInt(120);
      if (random.nextInt(4) == 0) {
        assertThat(index.remove(id)).isEqualTo(expected.remove(id) != null);
      } else {
        StringBuilder text = new StringBuilder();
        for (int w = random.nextInt(8); w >= 0; w--) {
          text.append(words.get(random.nextInt(words.size()))).append(' ');
        }
        index.put(id, text.toString());
        expected.put(id, text.toString());
      }
    }
    LexicalIndex fresh = index(STANDARD, expected);

    assertThat(index.size()).isEqualTo(expected.size());
    for (int q = 0; q < 30; q++) {
      String text = words.get(random.nextInt(words.size())) + " "
          + words.get(random.nextInt(words.size()));
      List<Scored> got = index.search(index.query(text), 200, null);
      List<Scored> want = fresh.search(fresh.query(text), 200, null);
      assertThat(ids(got)).isEqualTo(ids(want));
      for (int i = 0; i < got.size(); i++) {
        assertThat(got.get(i).score()).isCloseTo(want.get(i).score(), within(1e-9));
      }
    }
  }

  @Test
  void concurrentSearchesDoNotShareScratchState() throws Exception {
    Map<String, String> texts = new LinkedHashMap<>();
    List<String> words = List.of("river", "coffee", "guitar", "paint", "garden", "camp");
    for (int i = 0; i < 500; i++) {
      texts.put("m" + i, words.get(i % 6) + " " + words.get(i % 5) + " " + words.get(i % 4));
    }
    LexicalIndex index = index(STANDARD, texts);
    Map<String, List<Scored>> expected = new LinkedHashMap<>();
    for (String word : words) {
      expected.put(word, index.search(index.query(word + " camp"), 20, null));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int offset = t;
        results.add(pool.submit(() -> {
          for (int i = 0; i < 500; i++) {
            String word = words.get((i + offset) % words.size());
            if (!index.search(index.query(word + " camp"), 20, null).equals(expected.get(word))) {
              return false;
            }
          }
          return true;
        }));
      }
      for (Future<Boolean> result : results) {
        assertThat(result.get(30, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static List<String> ids(List<Scored> hits) {
    List<String> ids = new ArrayList<>();
    hits.forEach(hit -> ids.add(hit.id()));
    return ids;
  }
}
