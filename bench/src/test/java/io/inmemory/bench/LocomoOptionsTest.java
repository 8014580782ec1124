package io.inmemory.bench;

import io.inmemory.ConfigKey;
import io.inmemory.InMemoryConfig;
import io.inmemory.cli.imports.LocomoConversations.TurnContent;
import io.inmemory.bench.LocomoOptions.Variant;
import java.nio.file.Path;
import java.util.List;
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
    assertThat(options.chart()).isNull();
    assertThat(options.ingest()).isEqualTo(LocomoIngest.MESSAGES);
    assertThat(options.variants()).containsExactly(new Variant(LocomoOptions.DEFAULT_MODEL, null));
    assertThat(options.folds()).isEqualTo(1);
    assertThat(options.grid()).containsExactly(Map.of());
    InMemoryConfig config = options.config(options.variants().get(0), Map.of(), Map.of());
    assertThat(config.find(InMemoryConfig.STORE)).contains("memory");
    assertThat(config.sourceOf(InMemoryConfig.STORE)).isEqualTo("the builder");
    assertThat(stringKey(config, LocomoOptions.MODEL_KEY)).isEqualTo(LocomoOptions.DEFAULT_MODEL);
    assertThat(stringKey(config, LocomoOptions.RETRIEVAL_KEY)).isNull();
  }

  @Test
  void passesEveryOptionThrough() {
    LocomoOptions options = LocomoOptions.parse(new String[] {"--model", "e5-small-v2-q", "d.json",
        "--retrieval", "hybrid", "--samples", "2", "--content", "text", "--batch", "7",
        "--ingest", "add",
        "--set", "inmemory.embedder.max-tokens=128", "--set", "a.b=x=y", "--json", "out.json",
        "--chart", "c.png"});
    assertThat(options).isEqualTo(new LocomoOptions(Path.of("d.json"), List.of("e5-small-v2-q"),
        List.of("hybrid"), 2, TurnContent.TEXT, 7, LocomoIngest.ADD,
        Map.of("inmemory.embedder.max-tokens", "128", "a.b", "x=y"), Map.of(), 1,
        Path.of("out.json"), Path.of("c.png")));
    InMemoryConfig config = options.config(options.variants().get(0), Map.of(), Map.of());
    assertThat(stringKey(config, LocomoOptions.MODEL_KEY)).isEqualTo("e5-small-v2-q");
    assertThat(stringKey(config, LocomoOptions.RETRIEVAL_KEY)).isEqualTo("hybrid");
    assertThat(stringKey(config, "inmemory.embedder.max-tokens")).isEqualTo("128");
  }

  @Test
  void listsRunEveryModelWithEveryModeModelsSlowest() {
    LocomoOptions options = LocomoOptions.parse(new String[] {"d.json", "--model", "m1,m2",
        "--retrieval", "lexical,hybrid"});
    assertThat(options.variants()).containsExactly(new Variant("m1", "lexical"),
        new Variant("m1", "hybrid"), new Variant("m2", "lexical"), new Variant("m2", "hybrid"));
    assertThat(options.variants().get(1).label()).isEqualTo("m1/hybrid");
    assertThat(LocomoOptions.parse(new String[] {"d.json", "--model", "m1,m2"}).variants())
        .containsExactly(new Variant("m1", null), new Variant("m2", null));
    InMemoryConfig config = options.config(new Variant("m2", "lexical"), Map.of(), Map.of());
    assertThat(stringKey(config, LocomoOptions.MODEL_KEY)).isEqualTo("m2");
    assertThat(stringKey(config, LocomoOptions.RETRIEVAL_KEY)).isEqualTo("lexical");
  }

  @Test
  void theTuningGridIsTheProductOfTheListsFirstKeySlowest() {
    LocomoOptions options = LocomoOptions.parse(new String[] {"d.json", "--tune", "k.a=1,2",
        "--set", "k.c=9", "--tune", "k.b=x,y,z", "--folds", "2"});
    assertThat(options.folds()).isEqualTo(2);
    assertThat(options.tune()).containsExactly(Map.entry("k.a", List.of("1", "2")),
        Map.entry("k.b", List.of("x", "y", "z")));
    assertThat(options.grid()).containsExactly(Map.of("k.a", "1", "k.b", "x"),
        Map.of("k.a", "1", "k.b", "y"), Map.of("k.a", "1", "k.b", "z"),
        Map.of("k.a", "2", "k.b", "x"), Map.of("k.a", "2", "k.b", "y"),
        Map.of("k.a", "2", "k.b", "z"));
    InMemoryConfig config =
        options.config(options.variants().get(0), options.grid().get(4), Map.of());
    assertThat(stringKey(config, "k.a")).isEqualTo("2");
    assertThat(stringKey(config, "k.b")).isEqualTo("y");
    assertThat(stringKey(config, "k.c")).isEqualTo("9");
  }

  @Test
  void rejectsTuningMistakesWithTheProblem() {
    assertThatThrownBy(() -> LocomoOptions.parse(new String[] {"a.json", "--tune", "k=1,2"}))
        .hasMessageContaining("--tune and --folds 2 go together");
    assertThatThrownBy(() -> LocomoOptions.parse(new String[] {"a.json", "--folds", "2"}))
        .hasMessageContaining("--tune and --folds 2 go together");
    assertThatThrownBy(() -> LocomoOptions.parse(new String[] {"a.json", "--tune", "k=1",
        "--folds", "3"})).hasMessageContaining("--folds must be 2");
    assertThatThrownBy(() -> LocomoOptions.parse(new String[] {"a.json", "--tune", "k=1,",
        "--folds", "2"})).hasMessageContaining("without empty items");
    assertThatThrownBy(() -> LocomoOptions.parse(new String[] {"a.json", "--tune", "k=1,1",
        "--folds", "2"})).hasMessageContaining("lists a value twice");
    assertThatThrownBy(() -> LocomoOptions.parse(new String[] {"a.json", "--tune", "k=1",
        "--tune", "k=2", "--folds", "2"})).hasMessageContaining("given twice");
    assertThatThrownBy(() -> LocomoOptions.parse(new String[] {"a.json", "--tune", "k=1,2",
        "--set", "k=1", "--folds", "2"})).hasMessageContaining("both set and tuned");
    assertThatThrownBy(() -> LocomoOptions.parse(new String[] {"a.json", "--tune",
        LocomoOptions.RETRIEVAL_KEY + "=dense,lexical", "--folds", "2"}))
        .hasMessageContaining("--retrieval");
    assertThatThrownBy(() -> LocomoOptions.parse(new String[] {"a.json", "--tune", "k=1,2",
        "--folds", "2", "--retrieval", "dense,hybrid"})).hasMessageContaining("2 combinations");
    assertThatThrownBy(() -> LocomoOptions.parse(new String[] {"a.json", "--tune", "k=1,2",
        "--folds", "2", "--chart", "c.png"})).hasMessageContaining("--chart");
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
    assertThatThrownBy(() -> LocomoOptions.parse(
        new String[] {"a.json", "--retrieval", "dense,sparse"})).hasMessageContaining("sparse");
    assertThatThrownBy(() -> LocomoOptions.parse(new String[] {"a.json", "--model", "m,,n"}))
        .hasMessageContaining("without empty items");
    assertThatThrownBy(() -> LocomoOptions.parse(
        new String[] {"a.json", "--retrieval", "dense,dense"})).hasMessageContaining("twice");
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
