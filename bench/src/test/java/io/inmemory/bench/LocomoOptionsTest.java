package io.inmemory.bench;

import io.inmemory.ConfigKey;
import io.inmemory.InMemoryConfig;
import io.inmemory.cli.imports.LocomoConversations.TurnContent;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocomoOptionsTest {

  @Test
  void defaultsSetTheStoreAndModelButNotTheRetrievalMode() {
    LocomoOptions options = LocomoOptions.parse(new String[] {"data.json"});
    assertThat(options.dataset()).isEqualTo(Path.of("data.json"));
    assertThat(options.samples()).isEqualTo(Integer.MAX_VALUE);
    assertThat(options.content()).isEqualTo(LocomoOptions.DEFAULT_CONTENT);
    assertThat(options.json()).isNull();
    InMemoryConfig config = options.config();
    assertThat(config.find(InMemoryConfig.STORE)).contains("memory");
    assertThat(config.sourceOf(InMemoryConfig.STORE)).isEqualTo("the builder");
    assertThat(stringKey(config, LocomoOptions.MODEL_KEY)).isEqualTo(LocomoOptions.DEFAULT_MODEL);
    assertThat(stringKey(config, LocomoOptions.RETRIEVAL_KEY)).isNull();
  }

  @Test
  void passesEveryOptionThrough() {
    LocomoOptions options = LocomoOptions.parse(new String[] {"--model", "e5-small-v2-q", "d.json",
        "--retrieval", "hybrid", "--samples", "2", "--content", "text", "--batch", "7",
        "--ingest", "messages",
        "--set", "inmemory.embedder.max-tokens=128", "--set", "a.b=x=y", "--json", "out.json"});
    assertThat(options).isEqualTo(new LocomoOptions(Path.of("d.json"), "e5-small-v2-q", "hybrid", 2,
        TurnContent.TEXT, 7, LocomoIngest.MESSAGES, Map.of("inmemory.embedder.max-tokens", "128", "a.b", "x=y"),
        Path.of("out.json")));
    InMemoryConfig config = options.config();
    assertThat(stringKey(config, LocomoOptions.MODEL_KEY)).isEqualTo("e5-small-v2-q");
    assertThat(stringKey(config, LocomoOptions.RETRIEVAL_KEY)).isEqualTo("hybrid");
    assertThat(stringKey(config, "inmemory.embedder.max-tokens")).isEqualTo("128");
  }

  @Test
  void rejectsMistakesWithTheProblem() {
    assertThatThrownBy(() -> LocomoOptions.parse(new String[] {})).hasMessageContaining("dataset");
    assertThatThrownBy(() -> LocomoOptions.parse(new String[] {"a.json", "b.json"}))
        .hasMessageContaining("one dataset");
    assertThatThrownBy(() -> LocomoOptions.parse(new String[] {"a.json", "--samples"}))
        .hasMessageContaining("needs a value");
    assertThatThrownBy(() -> LocomoOptions.parse(new String[] {"a.json", "--samples", "0"}))
        .hasMessageContaining("--samples");
    assertThatThrownBy(() -> LocomoOptions.parse(new String[] {"a.json", "--retrieval", "sparse"}))
        .hasMessageContaining("dense");
    assertThatThrownBy(() -> LocomoOptions.parse(new String[] {"a.json", "--content", "raw"}))
        .hasMessageContaining("[text, caption, speaker]");
    assertThatThrownBy(() -> LocomoOptions.parse(new String[] {"a.json", "--set", "novalue"}))
        .hasMessageContaining("key=value");
    assertThatThrownBy(() -> LocomoOptions.parse(
        new String[] {"a.json", "--set", LocomoOptions.MODEL_KEY + "=x"}))
        .hasMessageContaining("--model");
    assertThatThrownBy(() -> LocomoOptions.parse(new String[] {"a.json", "--k", "3"}))
        .hasMessageContaining("unknown option --k");
  }

  private static String stringKey(InMemoryConfig config, String name) {
    return config.find(ConfigKey.string(name, null, "test")).orElse(null);
  }
}
