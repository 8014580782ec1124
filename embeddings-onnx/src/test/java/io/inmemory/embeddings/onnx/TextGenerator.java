package io.inmemory.embeddings.onnx;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Deterministic generator of varied, awkward text for tokenizer tests. */
final class TextGenerator {
  private static final String[] WORDS = {
    "the", "memory", "Pizza", "BROCCOLI", "meeting", "tomorrow", "unbelievably", "tokenization",
    "Bob", "Carol", "Q4", "planning", "don't", "it's", "e-mail", "state-of-the-art", "hello",
    "world", "JSON", "HTTP/2", "iPhone", "McDonald's", "antidisestablishmentarianism", "GPT-4o",
    "naïve", "café", "Zürich", "São", "Paulo", "Ångström", "résumé", "façade", "Crème", "brûlée",
    "straße", "İstanbul", "ǅemal", "Ελληνικά", "ΣΟΦΙΑ", "Москва", "привет", "مرحبا", "שלום",
    "नमस्ते", "ภาษาไทย", "中文", "北京欢迎你", "日本語", "ひらがな", "カタカナ", "한국어", "ﬁnance",
    "Ａｂｃ", "𝐀𝐁𝐂", "x²", "½", "Ⅻ", "①", "e\u0301", "a\u0308\u0301", "n\u0303o",
  };
  private static final String[] PUNCTUATION = {
    ".", ",", "!", "?", "...", "…", ";", ":", "'", "\"", "(", ")", "[", "]", "{", "}", "<", ">",
    "-", "--", "—", "–", "_", "/", "\\", "|", "@", "#", "$", "%", "^", "&", "*", "+", "=", "~",
    "`", "«", "»", "“", "”", "‘", "’", "¿", "¡", "§", "¶", "·", "、", "。", "「", "」",
  };
  private static final String[] SYMBOLS = {
    "€", "£", "¥", "©", "®", "™", "°", "±", "×", "÷", "→", "∑", "∞", "√", "≠", "♥", "★", "✓",
  };
  private static final String[] EMOJI = {
    "😀", "👍", "👍🏽", "🍕", "🥦", "❤️", "🇫🇷", "👨‍👩‍👧", "🥲", "🫠", "🤖", "✨",
  };
  private static final String[] SPECIAL = {"[CLS]", "[SEP]", "[MASK]", "[UNK]", "[PAD]", "[cls]"};
  private static final String[] ODD = {
    "\u0000", "\u0007", "\u001F", "\u007F", "\u0085", "\u00AD", "\u200B", "\u200D", "\uFEFF",
    "\uFFFD", "\uE000", "\u0378", "\u2028", "\u000B", "\u000C",
  };
  private static final String[] SEPARATORS = {
    " ", " ", " ", "", "\n", "\t", "\r\n", "  ", "\u00A0", "\u3000", "\u2003", "\u202F",
  };

  private TextGenerator() {}

  static List<String> generate(Random random, int count) {
    List<String> texts = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      StringBuilder text = new StringBuilder();
      int fragments = random.nextInt(12) + 1;
      for (int f = 0; f < fragments; f++) {
        text.append(fragment(random)).append(pick(random, SEPARATORS));
      }
      texts.add(text.toString());
    }
    return texts;
  }

  private static String fragment(Random random) {
    int kind = random.nextInt(100);
    if (kind < 40) {
      String word = pick(random, WORDS);
      return random.nextInt(5) == 0 ? word.toUpperCase(java.util.Locale.ROOT) : word;
    }
    if (kind < 52) {
      return pick(random, PUNCTUATION);
    }
    if (kind < 60) {
      return number(random);
    }
    if (kind < 66) {
      return pick(random, SYMBOLS);
    }
    if (kind < 73) {
      return pick(random, EMOJI);
    }
    if (kind < 77) {
      return pick(random, SPECIAL);
    }
    if (kind < 83) {
      return pick(random, WORDS) + pick(random, ODD) + pick(random, WORDS);
    }
    if (kind < 89) {
      return longWord(random);
    }
    if (kind < 93) {
      return pick(random, WORDS) + pick(random, PUNCTUATION) + pick(random, WORDS);
    }
    if (kind < 96) {
      return glued(random);
    }
    return randomCodePoints(random);
  }

  private static String number(Random random) {
    return switch (random.nextInt(5)) {
      case 0 -> Integer.toString(random.nextInt(1_000_000));
      case 1 -> String.format(java.util.Locale.ROOT, "%.3f", random.nextDouble() * 1000);
      case 2 -> String.format(java.util.Locale.ROOT, "%,d", random.nextInt(100_000_000));
      case 3 -> "2024-0" + (random.nextInt(9) + 1) + "-1" + random.nextInt(10);
      default -> "+33 6 " + random.nextInt(100) + " " + random.nextInt(100);
    };
  }

  /** Hundreds of characters without whitespace: words, punctuation, CJK and marks glued. */
  private static String glued(Random random) {
    StringBuilder text = new StringBuilder();
    int length = 200 + random.nextInt(600);
    while (text.length() < length) {
      switch (random.nextInt(6)) {
        case 0 -> text.append(pick(random, PUNCTUATION));
        case 1 -> text.append("北京欢迎你".charAt(random.nextInt(5)));
        case 2 -> text.append('\u0301');
        case 3 -> text.append(pick(random, EMOJI));
        default -> text.append(pick(random, WORDS).replaceAll("\\s", ""));
      }
    }
    return text.toString();
  }

  /** Letters only, sometimes past WordPiece's 100-character word limit. */
  private static String longWord(Random random) {
    int length = 20 + random.nextInt(120);
    StringBuilder word = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      word.append((char) ('a' + random.nextInt(26)));
    }
    return word.toString();
  }

  /** Code points from across the planes (no lone surrogates: the reference takes UTF-8). */
  private static String randomCodePoints(Random random) {
    StringBuilder text = new StringBuilder();
    int length = 1 + random.nextInt(8);
    while (text.codePointCount(0, text.length()) < length) {
      int cp = switch (random.nextInt(4)) {
        case 0 -> 0x20 + random.nextInt(0x250);
        case 1 -> random.nextInt(0x3000);
        case 2 -> 0x3000 + random.nextInt(0xD000 - 0x3000);
        default -> 0x10000 + random.nextInt(0x20000);
      };
      if (!Character.isSurrogate((char) cp) || cp > 0xFFFF) {
        text.appendCodePoint(cp);
      }
    }
    return text.toString();
  }

  private static String pick(Random random, String[] values) {
    return values[random.nextInt(values.length)];
  }

  /** The text with non-printable-ASCII characters as Java escapes, for failure messages. */
  static String escape(String text) {
    StringBuilder out = new StringBuilder("\"");
    text.chars().forEach(c -> {
      if (c >= 0x20 && c < 0x7F) {
        out.append((char) c);
      } else {
        out.append(String.format("\\u%04X", c));
      }
    });
    return out.append('"').toString();
  }
}
