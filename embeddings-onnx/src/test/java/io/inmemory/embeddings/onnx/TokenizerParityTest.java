package io.inmemory.embeddings.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Compares {@link WordPieceTokenizer} with the Hugging Face tokenizers library (through DJL, test
 * scope only, fully offline: see the surefire configuration) on generated text, token id for
 * token id, for the tokenizer.json of every model jar on the test classpath.
 */
class TokenizerParityTest {
  private static final int SAMPLES = 2_000;

  @Test
  void miniLmTokenizerMatchesTheReferenceOnGeneratedText() throws IOException {
    assertParity("all-minilm-l6-v2-q-tokenizer.json");
  }

  @Test
  void bgeTokenizerMatchesTheReferenceOnGeneratedText() throws IOException {
    assertParity("bge-small-en-v1.5-q-tokenizer.json");
  }

  @Test
  void e5TokenizerMatchesTheReferenceOnGeneratedText() throws IOException {
    assertParity("e5-small-v2-q-tokenizer.json");
  }

  private static void assertParity(String resource) throws IOException {
    String json = TestModels.resourceText(resource);
    WordPieceTokenizer ours = WordPieceTokenizer.fromJson(json);
    List<String> texts = TextGenerator.generate(new Random(42), SAMPLES);
    List<String> mismatches = new ArrayList<>();
    try (InputStream in = new java.io.ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
        HuggingFaceTokenizer reference = HuggingFaceTokenizer.newInstance(in, Map.of(
            "addSpecialTokens", "true", "truncation", "false", "padding", "false"))) {
      for (String text : texts) {
        long[] expected = reference.encode(text).getIds();
        long[] actual = framed(ours, ours.encode(text, Integer.MAX_VALUE));
        if (!Arrays.equals(expected, actual)) {
          mismatches.add(TextGenerator.escape(text) + "\n    expected " + Arrays.toString(expected)
              + "\n    actual   " + Arrays.toString(actual));
        }
      }
      // Sanity: the generated texts exercise the interesting paths of the reference.
      long unknown = texts.stream().filter(t -> contains(reference.encode(t), 100)).count();
      assertThat(unknown).as("texts with [UNK]").isGreaterThan(50);
    }
    assertThat(mismatches).as("texts tokenized differently (of %d)", texts.size()).isEmpty();
  }

  private static boolean contains(Encoding encoding, long id) {
    return Arrays.stream(encoding.getIds()).anyMatch(x -> x == id);
  }

  private static long[] framed(WordPieceTokenizer tokenizer, int[] content) {
    long[] ids = new long[content.length + 2];
    ids[0] = tokenizer.clsId();
    for (int i = 0; i < content.length; i++) {
      ids[i + 1] = content[i];
    }
    ids[ids.length - 1] = tokenizer.sepId();
    return ids;
  }
}
