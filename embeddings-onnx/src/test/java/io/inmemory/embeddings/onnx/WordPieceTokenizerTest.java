package io.inmemory.embeddings.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The tokenizer against ids looked up by hand in the model's own vocabulary, independently of any
 * reference implementation.
 */
class WordPieceTokenizerTest {
  private static final String JSON = TestModels.resourceText("all-minilm-l6-v2-q-tokenizer.json");
  private static final WordPieceTokenizer TOKENIZER = WordPieceTokenizer.fromJson(JSON);
  private static final Map<String, Object> VOCAB = vocab();

  @Test
  void lowerCasesAndIsolatesPunctuation() {
    assertThat(encode("Hello, World!")).containsExactly(id("hello"), id(","), id("world"), id("!"));
  }

  @Test
  void asciiSymbolsAreSplitLikePunctuationButUnicodeSymbolsAreNot() {
    assertThat(encode("a+b$c")).containsExactly(id("a"), id("+"), id("b"), id("$"), id("c"));
    assertThat(encode("5€")).containsExactly(id("5"), id("##€"));
  }

  @Test
  void splitsUnknownWordsIntoContinuationPieces() {
    assertThat(VOCAB).doesNotContainKey("tokenization");
    assertThat(encode("tokenization")).containsExactly(id("token"), id("##ization"));
  }

  @Test
  void stripsAccentsAfterCanonicalDecomposition() {
    assertThat(encode("Café Zürich naïve")).isEqualTo(encode("cafe zurich naive"));
    assertThat(encode("e\u0301")).isEqualTo(encode("e"));
    assertThat(encode("İstanbul")).isEqualTo(encode("istanbul"));
  }

  @Test
  void spacesOutChineseIdeographsButNotKana() {
    assertThat(encode("北京")).containsExactly(id("北"), id("京"));
    assertThat(encode("中文abc")).containsExactly(id("中"), id("文"), id("abc"));
    // Kana stay one word (continuation pieces); the voiced mark of が is stripped like an accent.
    assertThat(encode("ひらがな")).containsExactly(id("ひ"), id("##ら"), id("##か"), id("##な"));
  }

  @Test
  void removesControlAndFormatCharactersAndJoinsAroundThem() {
    assertThat(encode("hel\u0000lo")).isEqualTo(encode("hello"));
    assertThat(encode("hel\u200Blo")).isEqualTo(encode("hello"));
    assertThat(encode("hel\u00ADlo")).isEqualTo(encode("hello"));
    assertThat(encode("hel\uD800lo")).as("lone surrogate").isEqualTo(encode("hello"));
  }

  @Test
  void everyUnicodeSpaceSeparatesWords() {
    for (String space : List.of("\t", "\n", "\r\n", "\u00A0", "\u2003", "\u202F", "\u3000")) {
      assertThat(encode("big" + space + "dog")).as(TextGenerator.escape(space))
          .containsExactly(id("big"), id("dog"));
    }
  }

  @Test
  void unknownCharactersAndOverlongWordsBecomeOneUnknownToken() {
    int unk = id("[UNK]");
    assertThat(encode("🫠")).containsExactly(unk);
    assertThat(encode("pizza🍕")).containsExactly(unk);
    assertThat(encode("a".repeat(101))).containsExactly(unk);
    assertThat(encode("a".repeat(100))).doesNotContain(unk).hasSizeGreaterThan(1);
  }

  @Test
  void specialTokensInTheRawTextAreKeptCaseSensitively() {
    assertThat(encode("a[SEP]b")).containsExactly(id("a"), TOKENIZER.sepId(), id("b"));
    assertThat(encode("a[sep]b")).containsExactly(id("a"), id("["), id("sep"), id("]"), id("b"));
    assertThat(TOKENIZER.clsId()).isEqualTo(id("[CLS]"));
  }

  @Test
  void theLimitKeepsTheFirstTokensOfTheFullEncoding() {
    for (String text : TextGenerator.generate(new Random(3), 200)) {
      int[] full = TOKENIZER.encode(text, Integer.MAX_VALUE);
      for (int limit : new int[] {1, 3, 17}) {
        assertThat(TOKENIZER.encode(text, limit))
            .as(TextGenerator.escape(text) + " limited to " + limit)
            .containsExactly(Arrays.copyOf(full, Math.min(limit, full.length)));
      }
    }
  }

  @Test
  void aHugeTextWithoutSpacesStopsAtTheLimit() {
    assertThat(TOKENIZER.encode("北京欢迎你".repeat(200_000), 2048)).hasSize(2048);
    assertThat(TOKENIZER.encode("x".repeat(1 << 20), 2048)).containsExactly(id("[UNK]"));
    assertThat(TOKENIZER.encode("", 10)).isEmpty();
  }

  @Test
  void rejectsTokenizersItDoesNotReproduce() {
    assertThatThrownBy(() -> WordPieceTokenizer.fromJson(
        JSON.replace("\"type\": \"WordPiece\"", "\"type\": \"BPE\"")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("model.type must be WordPiece");
    assertThatThrownBy(() -> WordPieceTokenizer.fromJson(
        JSON.replace("\"type\": \"BertPreTokenizer\"", "\"type\": \"Whitespace\"")))
        .hasMessageContaining("pre_tokenizer.type must be BertPreTokenizer");
    assertThatThrownBy(() -> WordPieceTokenizer.fromJson("{\"model\": [1, 2"))
        .hasMessageContaining("invalid JSON");
  }

  private static int[] encode(String text) {
    return TOKENIZER.encode(text, Integer.MAX_VALUE);
  }

  private static int id(String token) {
    Object id = VOCAB.get(token);
    assertThat(id).as("vocabulary entry " + token).isNotNull();
    return ((Number) id).intValue();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> vocab() {
    Map<String, Object> root;
    try {
      root = new ObjectMapper().readValue(JSON, Map.class);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return (Map<String, Object>) ((Map<String, Object>) root.get("model")).get("vocab");
  }
}
