package io.inmemory.embeddings.onnx;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The BERT (uncased) WordPiece tokenizer described by a Hugging Face {@code tokenizer.json}:
 * added special tokens matched in the raw text, the BERT normalizer (clean control characters,
 * space out CJK ideographs, strip accents, lower-case), the BERT pre-tokenizer (split on
 * whitespace and isolate punctuation) and greedy longest-match-first WordPiece with {@code ##}
 * continuations. Immutable and thread-safe.
 *
 * <p>{@link #encode(String, int)} returns content token ids only; the caller frames them with
 * {@link #clsId()} and {@link #sepId()}. It stops as soon as the limit is reached, so the cost of
 * a long text is bounded by the limit rather than by the text.
 */
final class WordPieceTokenizer {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String CONTINUATION = "##";
  /** Characters normalized at a time in a run of text without whitespace. */
  private static final int SLICE = 256;

  private final Map<String, Integer> vocab;
  private final int unkId;
  private final int clsId;
  private final int sepId;
  private final int maxCharsPerWord;
  /** Longest vocabulary entry in code points (a continuation's length excludes the prefix). */
  private final int longestPiece;
  /** Special tokens matched in the raw text, longest first so the longest match wins. */
  private final List<Map.Entry<String, Integer>> specialTokens;
  private final boolean cleanText;
  private final boolean handleChineseChars;
  private final boolean stripAccents;
  private final boolean lowercase;

  private WordPieceTokenizer(
      Map<String, Integer> vocab, int unkId, int clsId, int sepId, int maxCharsPerWord,
      List<Map.Entry<String, Integer>> specialTokens, boolean cleanText,
      boolean handleChineseChars, boolean stripAccents, boolean lowercase) {
    this.vocab = vocab;
    this.unkId = unkId;
    this.clsId = clsId;
    this.sepId = sepId;
    this.maxCharsPerWord = maxCharsPerWord;
    this.specialTokens = specialTokens;
    this.cleanText = cleanText;
    this.handleChineseChars = handleChineseChars;
    this.stripAccents = stripAccents;
    this.lowercase = lowercase;
    int longest = 1;
    for (String piece : vocab.keySet()) {
      String bare = piece.startsWith(CONTINUATION) ? piece.substring(CONTINUATION.length()) : piece;
      longest = Math.max(longest, bare.codePointCount(0, bare.length()));
    }
    this.longestPiece = longest;
  }

  /**
   * Reads a {@code tokenizer.json}.
   *
   * @throws IllegalArgumentException when the file is not a BERT WordPiece tokenizer this class
   *     reproduces exactly (another model type, normalizer or pre-tokenizer, or added tokens with
   *     options it does not implement)
   */
  static WordPieceTokenizer fromJson(String tokenizerJson) {
    Map<String, Object> root = object(parse(tokenizerJson), "tokenizer.json");
    Map<String, Object> model = object(root.get("model"), "model");
    require("WordPiece".equals(model.get("type")), "model.type must be WordPiece, not "
        + model.get("type"));
    require(CONTINUATION.equals(model.getOrDefault("continuing_subword_prefix", CONTINUATION)),
        "model.continuing_subword_prefix must be ##");
    Map<String, Integer> vocab = new HashMap<>();
    object(model.get("vocab"), "model.vocab").forEach((token, id) -> vocab.put(token, intValue(id)));
    int unkId = idOf(vocab, (String) model.getOrDefault("unk_token", "[UNK]"));
    int maxChars = intValue(model.getOrDefault("max_input_chars_per_word", 100L));

    Map<String, Object> normalizer = object(root.get("normalizer"), "normalizer");
    require("BertNormalizer".equals(normalizer.get("type")), "normalizer.type must be"
        + " BertNormalizer, not " + normalizer.get("type"));
    boolean lowercase = flag(normalizer, "lowercase", true);
    Object strip = normalizer.get("strip_accents");
    boolean stripAccents = strip == null ? lowercase : (Boolean) strip;

    Map<String, Object> preTokenizer = object(root.get("pre_tokenizer"), "pre_tokenizer");
    require("BertPreTokenizer".equals(preTokenizer.get("type")), "pre_tokenizer.type must be"
        + " BertPreTokenizer, not " + preTokenizer.get("type"));

    List<?> template = list(object(root.get("post_processor"), "post_processor").get("single"),
        "post_processor.single");
    require(template.size() == 3, "post_processor.single must be [CLS] $A [SEP]");
    int clsId = idOf(vocab, specialTokenOf(template.get(0)));
    int sepId = idOf(vocab, specialTokenOf(template.get(2)));

    Map<String, Integer> specials = new HashMap<>();
    for (Object entry : list(root.getOrDefault("added_tokens", List.of()), "added_tokens")) {
      Map<String, Object> token = object(entry, "added token");
      String content = (String) token.get("content");
      require(!flag(token, "normalized", false) && !flag(token, "single_word", false)
              && !flag(token, "lstrip", false) && !flag(token, "rstrip", false),
          "added token " + content + " uses options this tokenizer does not implement");
      specials.put(content, intValue(token.get("id")));
    }
    List<Map.Entry<String, Integer>> byLength = specials.entrySet().stream()
        .sorted((a, b) -> b.getKey().length() - a.getKey().length())
        .map(e -> Map.entry(e.getKey(), e.getValue()))
        .toList();
    return new WordPieceTokenizer(Map.copyOf(vocab), unkId, clsId, sepId, maxChars, byLength,
        flag(normalizer, "clean_text", true), flag(normalizer, "handle_chinese_chars", true),
        stripAccents, lowercase);
  }

  int clsId() {
    return clsId;
  }

  int sepId() {
    return sepId;
  }

  /**
   * The content token ids of {@code text}, without {@code [CLS]}/{@code [SEP]}, at most
   * {@code maxTokens} of them (the first ones).
   */
  int[] encode(String text, int maxTokens) {
    IdList out = new IdList(Math.min(maxTokens, 64));
    int length = text.length();
    int i = 0;
    // Normalization is character-local and never joins across a raw separator, so the text can
    // be processed one separator-delimited chunk at a time and abandoned once the limit is hit.
    while (i < length && out.size < maxTokens) {
      int cp = text.codePointAt(i);
      if (isRawSeparator(cp)) {
        i += Character.charCount(cp);
        continue;
      }
      int start = i;
      while (i < length && !isRawSeparator(cp = text.codePointAt(i))) {
        i += Character.charCount(cp);
      }
      encodeChunk(text.substring(start, i), out, maxTokens);
    }
    return out.toArray(maxTokens);
  }

  private void encodeChunk(String chunk, IdList out, int maxTokens) {
    // Next occurrence of each special token at or after `from`, found once and reused, so a
    // chunk full of special tokens costs one scan per token kind rather than one per occurrence.
    int[] nextAt = new int[specialTokens.size()];
    Arrays.fill(nextAt, -2);
    int from = 0;
    while (from < chunk.length() && out.size < maxTokens) {
      int best = -1;
      for (int k = 0; k < nextAt.length; k++) {
        if (nextAt[k] == -2 || (nextAt[k] >= 0 && nextAt[k] < from)) {
          nextAt[k] = chunk.indexOf(specialTokens.get(k).getKey(), from);
        }
        if (nextAt[k] >= 0 && (best < 0 || nextAt[k] < nextAt[best])) {
          best = k;
        }
      }
      int end = best < 0 ? chunk.length() : nextAt[best];
      if (end > from) {
        encodeSegment(chunk, from, end, out, maxTokens);
      }
      if (best < 0) {
        return;
      }
      out.add(specialTokens.get(best).getValue(), maxTokens);
      from = end + specialTokens.get(best).getKey().length();
    }
  }

  /**
   * Encodes {@code chunk[from, end)}, which holds no special token, in slices of about
   * {@link #SLICE} characters, so that a long run of text without whitespace (CJK, punctuation)
   * is normalized only as far as the limit needs. A slice ends right after a character the
   * pre-tokenizer isolates anyway (punctuation or a CJK ideograph) that is not followed by a
   * combining mark, so slicing cannot change the result.
   */
  private void encodeSegment(String chunk, int from, int end, IdList out, int maxTokens) {
    int start = from;
    while (start < end && out.size < maxTokens) {
      int cut = end;
      int i = Math.min(end, start + SLICE);
      while (i < end) {
        int cp = chunk.codePointAt(i);
        int next = i + Character.charCount(cp);
        if (next < end && (isPunctuation(cp) || (handleChineseChars && isChinese(cp)))
            && !isMark(chunk.codePointAt(next))) {
          cut = next;
          break;
        }
        i = next;
      }
      encodeWords(normalize(chunk.substring(start, cut)), out, maxTokens);
      start = cut;
    }
  }

  private String normalize(String text) {
    if (isAscii(text)) {
      return normalizeAscii(text);
    }
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (cleanText) {
        if (cp == 0 || cp == 0xFFFD || isControl(cp)) {
          continue;
        }
        if (isWhitespace(cp)) {
          out.append(' ');
          continue;
        }
      }
      if (handleChineseChars && isChinese(cp)) {
        out.append(' ').appendCodePoint(cp).append(' ');
      } else {
        out.appendCodePoint(cp);
      }
    }
    String normalized = out.toString();
    if (stripAccents) {
      String decomposed = Normalizer.normalize(normalized, Normalizer.Form.NFD);
      StringBuilder stripped = new StringBuilder(decomposed.length());
      for (int i = 0; i < decomposed.length(); ) {
        int cp = decomposed.codePointAt(i);
        i += Character.charCount(cp);
        if (Character.getType(cp) != Character.NON_SPACING_MARK) {
          stripped.appendCodePoint(cp);
        }
      }
      normalized = stripped.toString();
    }
    if (lowercase) {
      StringBuilder lower = new StringBuilder(normalized.length());
      // Per code point, as the reference does: no context rules such as the final sigma.
      for (int i = 0; i < normalized.length(); ) {
        int cp = normalized.codePointAt(i);
        i += Character.charCount(cp);
        if (cp == 0x130) {
          lower.append("i\u0307");
        } else {
          lower.appendCodePoint(Character.toLowerCase(cp));
        }
      }
      normalized = lower.toString();
    }
    return normalized;
  }

  /** The common case: ASCII has no accents, no CJK and no case mapping beyond A-Z. */
  private String normalizeAscii(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (cleanText && (c < 0x20 || c == 0x7F)) {
        if (!isControl(c)) {
          out.append(' ');
        }
      } else {
        out.append(lowercase && c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
      }
    }
    return out.toString();
  }

  private static boolean isAscii(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  private static boolean isMark(int cp) {
    int type = Character.getType(cp);
    return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
        || type == Character.ENCLOSING_MARK;
  }

  /** Splits on whitespace, isolates punctuation and runs WordPiece on each word. */
  private void encodeWords(String text, IdList out, int maxTokens) {
    int i = 0;
    int wordStart = -1;
    while (i < text.length() && out.size < maxTokens) {
      int cp = text.codePointAt(i);
      int next = i + Character.charCount(cp);
      boolean whitespace = isWhitespace(cp);
      if (whitespace || isPunctuation(cp)) {
        if (wordStart >= 0) {
          wordPiece(text.substring(wordStart, i), out, maxTokens);
          wordStart = -1;
        }
        if (!whitespace) {
          wordPiece(text.substring(i, next), out, maxTokens);
        }
      } else if (wordStart < 0) {
        wordStart = i;
      }
      i = next;
    }
    if (wordStart >= 0) {
      wordPiece(text.substring(wordStart), out, maxTokens);
    }
  }

  private void wordPiece(String word, IdList out, int maxTokens) {
    int[] cps = word.codePoints().toArray();
    if (cps.length > maxCharsPerWord) {
      out.add(unkId, maxTokens);
      return;
    }
    int[] pieces = new int[cps.length];
    int count = 0;
    int start = 0;
    while (start < cps.length) {
      int end = Math.min(cps.length, start + longestPiece);
      Integer id = null;
      while (end > start) {
        String piece = new String(cps, start, end - start);
        id = vocab.get(start > 0 ? CONTINUATION + piece : piece);
        if (id != null) {
          break;
        }
        end--;
      }
      if (id == null) {
        out.add(unkId, maxTokens);
        return;
      }
      pieces[count++] = id;
      start = end;
    }
    for (int p = 0; p < count; p++) {
      out.add(pieces[p], maxTokens);
    }
  }

  /** Characters the normalizer turns into a space or removes, before anything else is applied. */
  private boolean isRawSeparator(int cp) {
    return isWhitespace(cp) && !(cleanText && isControl(cp));
  }

  /** Unicode White_Space, with tab, newline and carriage return. */
  static boolean isWhitespace(int cp) {
    return switch (cp) {
      case '\t', '\n', 0x0B, 0x0C, '\r', ' ', 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F,
          0x205F, 0x3000 -> true;
      default -> cp >= 0x2000 && cp <= 0x200A;
    };
  }

  /**
   * Control, format, private-use and surrogate characters (Cc, Cf, Co, Cs), except tab, newline
   * and carriage return. Unassigned code points (Cn) are kept, as the reference keeps them.
   */
  static boolean isControl(int cp) {
    if (cp == '\t' || cp == '\n' || cp == '\r') {
      return false;
    }
    return switch (Character.getType(cp)) {
      case Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE, Character.SURROGATE ->
          true;
      default -> false;
    };
  }

  /** ASCII punctuation and symbols, and Unicode punctuation (P*). */
  static boolean isPunctuation(int cp) {
    if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96)
        || (cp >= 123 && cp <= 126)) {
      return true;
    }
    return switch (Character.getType(cp)) {
      case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION,
          Character.START_PUNCTUATION, Character.END_PUNCTUATION,
          Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION -> true;
      default -> false;
    };
  }

  /** The CJK Unified Ideographs blocks BERT spaces out (not Japanese kana nor Hangul). */
  static boolean isChinese(int cp) {
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF)
        || (cp >= 0x20000 && cp <= 0x2A6DF) || (cp >= 0x2A700 && cp <= 0x2B73F)
        || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B920 && cp <= 0x2CEAF)
        || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
  }

  private static String specialTokenOf(Object templateItem) {
    Map<String, Object> special = object(object(templateItem, "template item").get("SpecialToken"),
        "post_processor.single SpecialToken");
    return (String) special.get("id");
  }

  private static int idOf(Map<String, Integer> vocab, String token) {
    Integer id = vocab.get(token);
    require(id != null, "token " + token + " is not in the vocabulary");
    return id;
  }

  private static boolean flag(Map<String, Object> map, String name, boolean defaultValue) {
    Object value = map.get(name);
    return value == null ? defaultValue : (Boolean) value;
  }

  private static int intValue(Object number) {
    require(number instanceof Integer || number instanceof Long, number + " must be an integer");
    return Math.toIntExact(((Number) number).longValue());
  }

  private static @Nullable Object parse(String json) {
    try {
      return JSON.readValue(json, Object.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("tokenizer.json is invalid JSON: "
          + e.getOriginalMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(@Nullable Object value, String what) {
    require(value instanceof Map, what + " must be a JSON object");
    return (Map<String, Object>) value;
  }

  private static List<?> list(@Nullable Object value, String what) {
    require(value instanceof List, what + " must be a JSON array");
    return (List<?>) value;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException("unsupported tokenizer.json: " + message);
    }
  }

  /** A growable int array that refuses ids past the limit. */
  private static final class IdList {
    private int[] ids;
    private int size;

    IdList(int capacity) {
      ids = new int[Math.max(capacity, 8)];
    }

    void add(int id, int limit) {
      if (size >= limit) {
        return;
      }
      if (size == ids.length) {
        ids = Arrays.copyOf(ids, size * 2);
      }
      ids[size++] = id;
    }

    int[] toArray(int limit) {
      return Arrays.copyOf(ids, Math.min(size, limit));
    }
  }
}
