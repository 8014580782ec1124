package io.inmemory.engine.lexical;

import java.text.BreakIterator;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import opennlp.tools.stemmer.snowball.SnowballStemmer;
import org.jspecify.annotations.Nullable;

/**
 * Turns text into the terms the lexical index matches on. Stateless and thread-safe.
 *
 * <p>Text is segmented by the JDK's Unicode word boundaries ({@link BreakIterator}), which also
 * split scripts written without spaces; a word is then a run of letters, digits and combining
 * marks, joined across an apostrophe between letters ("don't") and across a decimal point or
 * comma between digits ("3.5"), so "e-mail", "foo_bar" and "example.com" are two words each.
 * Each word is then
 * NFKC-normalized (full-width "１２" becomes "12", the ligature "ﬁ" becomes "fi") and
 * lower-cased locale-independently; a possessive "'s" is dropped ("Caroline's" matches
 * "Caroline"), as are digit-group commas ("1,000" matches "1000"). Numbers are kept as terms.
 * Finally single letters of alphabets and the words of {@link #STOP_WORDS} are removed and the
 * rest reduced to their stem by the Snowball English stemmer ("painting", "paints" and "painted"
 * all become "paint").
 *
 * <p>Both steps were measured on LoCoMo (lexical retrieval alone, BM25 k1 1.2 and b 0.75,
 * recall@5/@10 over all questions): neither 0.463/0.548; stop words alone 0.514/0.587; stop words
 * and plural folding 0.520/0.597; stop words and Snowball English 0.552/0.631 (Porter's original
 * stemmer: 0.552/0.630). Stemming is English-only; other languages still get segmentation,
 * normalization and case folding.
 */
final class Analyzer {

  /**
   * English function words: pronouns, auxiliaries, articles, prepositions, conjunctions and
   * question words. They carry little of what a memory is about yet occur in most memories and
   * in nearly every question.
   */
  static final Set<String> STOP_WORDS = Set.of(
      "a", "about", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at",
      "be", "because", "been", "before", "being", "both", "but", "by", "can", "could", "did",
      "do", "does", "doing", "don't", "for", "from", "had", "has", "have", "having", "he", "her",
      "here", "hers", "herself", "him", "himself", "his", "how", "i", "i'm", "i've", "i'll",
      "i'd", "if", "in", "into", "is", "it", "it's", "its", "itself", "just", "me", "my",
      "myself", "of", "on", "or", "our", "ours", "ourselves", "she", "should", "so", "some",
      "than", "that", "that's", "the", "their", "theirs", "them", "themselves", "then", "there",
      "these", "they", "this", "those", "through", "to", "too", "us", "very", "was", "we",
      "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with",
      "would", "you", "you're", "your", "yours", "yourself", "yourselves");

  private Analyzer() {}

  /** The terms of {@code text} in order, repeats included; empty for text without words. */
  static List<String> terms(String text) {
    // Snowball stemmers keep state between calls, so each analysis has its own.
    SnowballStemmer stemmer = new SnowballStemmer(SnowballStemmer.ALGORITHM.ENGLISH);
    List<String> terms = new ArrayList<>();
    BreakIterator segments = BreakIterator.getWordInstance(Locale.ROOT);
    segments.setText(text);
    int start = segments.first();
    for (int end = segments.next(); end != BreakIterator.DONE; start = end, end = segments.next()) {
      // The JDK keeps "e-mail", "foo_bar" and "example.com" whole; split them into their words.
      int from = start;
      while (from < end) {
        int to = from;
        while (to < end && (isWordChar(text.codePointAt(to)) || joins(text, to, from, end))) {
          to += Character.charCount(text.codePointAt(to));
        }
        if (to > from) {
          String term = term(text.substring(from, to), stemmer);
          if (term != null) {
            terms.add(term);
          }
          from = to;
        } else {
          from += Character.charCount(text.codePointAt(from));
        }
      }
    }
    return terms;
  }

  private static boolean isWordChar(int c) {
    int type = Character.getType(c);
    return Character.isLetterOrDigit(c) || type == Character.NON_SPACING_MARK
        || type == Character.COMBINING_SPACING_MARK || type == Character.ENCLOSING_MARK;
  }

  /**
   * Whether the character at {@code i}, inside a word that began at {@code from}, joins the word
   * to what follows: an apostrophe between letters ("don't") or a decimal point or digit-group
   * comma between digits ("3.5", "1,000").
   */
  private static boolean joins(String text, int i, int from, int end) {
    char c = text.charAt(i);
    if (i == from || i + 1 >= end) {
      return false;
    }
    int before = text.codePointBefore(i);
    int after = text.codePointAt(i + 1);
    if (c == '\'' || c == '\u2019') {
      return Character.isLetter(before) && Character.isLetter(after);
    }
    return (c == '.' || c == ',') && Character.isDigit(before) && Character.isDigit(after);
  }

  /** The term of one word, or null when the word is dropped. */
  private static @Nullable String term(String word, SnowballStemmer stemmer) {
    String term = normalize(word);
    if (isSingleLetter(term) || STOP_WORDS.contains(term)) {
      return null;
    }
    return stemmer.stem(term).toString();
  }

  /**
   * Whether the term is one letter of an alphabet ("a", "I", the "s" of "it's"), which says
   * little; a digit or a single character of a script written in syllables or ideographs (Han,
   * kana, Hangul) is a word and is kept.
   */
  private static boolean isSingleLetter(String term) {
    int c = term.codePointAt(0);
    if (Character.charCount(c) != term.length() || !Character.isLetter(c)) {
      return false;
    }
    Character.UnicodeScript script = Character.UnicodeScript.of(c);
    return script != Character.UnicodeScript.HAN && script != Character.UnicodeScript.HIRAGANA
        && script != Character.UnicodeScript.KATAKANA && script != Character.UnicodeScript.HANGUL;
  }

  private static String normalize(String word) {
    String term = isAscii(word) ? word : Normalizer.normalize(word, Normalizer.Form.NFKC);
    term = term.toLowerCase(Locale.ROOT).replace('\u2019', '\'');
    if (term.endsWith("'s")) {
      term = term.substring(0, term.length() - 2);
    }
    if (term.indexOf(',') >= 0) {
      term = term.replace(",", "");
    }
    return term;
  }

  private static boolean isAscii(String word) {
    for (int i = 0; i < word.length(); i++) {
      if (word.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }
}
