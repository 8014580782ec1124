package io.inmemory.engine.temporal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The words of a time phrase as the grammar reads them, and as they were written (for messages).
 * Case is ignored; underscores, commas and whitespace separate words; quotes, brackets and
 * sentence punctuation around a word ("yesterday?", "(march)") and a possessive "'s" are dropped;
 * a hyphen between letters separates words ("twenty-one", "mid-march"), and between two weekday
 * or month names it is a range ("mon-fri"); a count and unit written together are two words
 * ("24h"); a fortnight is two weeks; filler words are dropped.
 *
 * @param words the normalized words
 * @param written each normalized word as it was written
 */
record Words(List<String> words, List<String> written) {
  /** Words that add nothing to a time phrase ("during the past week", "on monday"). */
  static final Set<String> FILLERS =
      Set.of("the", "during", "in", "on", "at", "of", "for", "over", "within");

  /** A count and a unit written as one word: "24h", "3d", "2wks", "30min", "6mo", "1yr". */
  private static final Pattern COMPACT =
      Pattern.compile("(\\d+)(m|mins?|h|hrs?|d|w|wks?|mo|y|yrs?)");
  /** Whitespace and commas between words; compiled once, not per phrase. */
  private static final Pattern SEPARATORS = Pattern.compile("[\\s,]+");
  /** A hyphen between letters, or the space a compact count and unit were split at. */
  private static final Pattern PARTS = Pattern.compile("(?<=\\p{L})-(?=\\p{L})| ");
  /** The article a fortnight drops: "a fortnight ago" is "2 weeks ago". */
  private static final Set<String> ARTICLES = Set.of("a", "an");
  private static final String LEADING = "\"'\u201c\u201d\u2018\u2019(";
  private static final String TRAILING = "\"'\u201c\u201d\u2018\u2019)?!.;:\u2026";

  Words {
    words = List.copyOf(words);
    written = List.copyOf(written);
  }

  static Words of(String phrase) {
    List<String> words = new ArrayList<>();
    List<String> written = new ArrayList<>();
    for (String token : SEPARATORS.split(spaced(phrase).trim())) {
      String word = strip(token);
      if (Vocabulary.isIsoShaped(word)) {
        words.add(isoCase(word));
        written.add(token);
        continue;
      }
      word = word.toLowerCase(Locale.ROOT).replace('\u2013', '-').replace('\u2014', '-');
      if (word.endsWith("'s") || word.endsWith("\u2019s")) {
        word = word.substring(0, word.length() - 2);
      }
      Matcher compact = COMPACT.matcher(word);
      if (compact.matches()) {
        word = compact.group(1) + " " + compact.group(2);
      } else if (word.equals("fortnight") || word.equals("fortnights")) {
        // two weeks: "past fortnight", "a fortnight ago"
        if (!words.isEmpty() && ARTICLES.contains(words.get(words.size() - 1))) {
          words.remove(words.size() - 1);
          written.remove(written.size() - 1);
        }
        word = "2 weeks";
      }
      String[] parts = PARTS.split(word);
      for (int i = 0; i < parts.length; i++) {
        if (i > 0 && names(parts[i - 1]) && names(parts[i])) {
          words.add("-"); // "mon-fri", "march-april": a range
          written.add(token);
        }
        if (!parts[i].isEmpty() && !FILLERS.contains(parts[i])) {
          words.add(parts[i]);
          written.add(token);
        }
      }
    }
    return new Words(words, written);
  }

  private static boolean names(String word) {
    return Vocabulary.DAYS.containsKey(word) || Vocabulary.MONTHS.containsKey(word);
  }

  private static String strip(String token) {
    int start = 0;
    int end = token.length();
    while (start < end && LEADING.indexOf(token.charAt(start)) >= 0) {
      start++;
    }
    while (end > start && TRAILING.indexOf(token.charAt(end - 1)) >= 0) {
      end--;
    }
    return token.substring(start, end);
  }

  /** Underscores separate words, except inside a bracketed zone id ("[America/New_York]"). */
  private static String spaced(String phrase) {
    StringBuilder spaced = new StringBuilder(phrase.length());
    boolean inZone = false;
    for (char c : phrase.toCharArray()) {
      inZone = c == '[' || (inZone && c != ']');
      spaced.append(c == '_' && !inZone ? ' ' : c);
    }
    return spaced.toString();
  }

  /** ISO date-times in upper case ("2024-03-05T10:00Z"), except a bracketed zone id. */
  private static String isoCase(String token) {
    int bracket = token.indexOf('[');
    return bracket < 0 ? token.toUpperCase(Locale.ROOT)
        : token.substring(0, bracket).toUpperCase(Locale.ROOT) + token.substring(bracket);
  }
}
