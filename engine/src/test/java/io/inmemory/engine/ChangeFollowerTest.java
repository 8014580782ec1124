package io.inmemory.engine;

import static io.inmemory.engine.tck.ChangeFollowingContract.await;
import static io.inmemory.engine.tck.ChangeFollowingContract.stderrOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.AddRequest;
import io.inmemory.ConfigurationException;
import io.inmemory.InMemoryConfig;
import io.inmemory.SearchRequest;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.tck.HashingEmbedder;
import io.inmemory.engine.tck.SharedFeedStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link ChangeFollower}'s settings, when it runs, and the changes it applies by reloading:
 * a change naming the whole partition, memories another embedder made. The scenarios of two
 * processes are {@link io.inmemory.engine.tck.ChangeFollowingContract}'s.
 */
class ChangeFollowerTest {
  private static final PartitionKey U1 = PartitionKey.user(PartitionKey.DEFAULT_NAMESPACE, "u1");

  private final SharedFeedStore shared = new SharedFeedStore();
  private final List<Memory> engines = new ArrayList<>();

  @AfterEach
  void close() {
    engines.forEach(Memory::close);
  }

  @Test
  void theStalenessBoundMustExceedThePollInterval() {
    assertThatThrownBy(() -> engine(shared.process("B"), config("200ms", "200ms")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("inmemory.cluster.max-staleness (INMEMORY_CLUSTER_MAX_STALENESS")
        .hasMessageContaining("must be more than inmemory.cluster.poll-interval");
    for (String poll : List.of("0ms", "2m", "soon")) {
      assertThatThrownBy(() -> engine(shared.process("B"), config(poll, "10m")))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("inmemory.cluster.poll-interval");
    }
    assertThatThrownBy(() -> engine(shared.process("B"), InMemoryConfig.builder().isolated()
        .set("inmemory.cluster.feed", "sometimes").build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("inmemory.cluster.feed");
  }

  @Test
  void nothingFollowsWithoutAFeedOrWhenTurnedOff() {
    int threads = followers();
    Memory alone = engine(new VolatileMemoryStore(), config("20ms", "1s"));
    Memory off = engine(shared.process("B"), InMemoryConfig.builder().isolated()
        .set("inmemory.cluster.feed", "off").build());

    for (Memory engine : List.of(alone, off)) {
      assertThat(engine.feedStats()).isEmpty();
      assertThat(engine.healthCheck().components()).doesNotContainKey("feed");
    }
    assertThat(followers()).isEqualTo(threads);
  }

  @Test
  void theFollowerTrimsTheFeedAndStopsWithItsEngine() {
    int threads = followers();
    SharedFeedStore.Process store = shared.process("B");
    Memory engine = engine(store, config("20ms", "1s"));
    assertThat(followers()).isEqualTo(threads + 1);
    await("the first trim", () -> store.trims() == 1);

    engine.close();

    assertThat(followers()).isEqualTo(threads);
  }

  @Test
  void aChangeNamingTheWholePartitionReloadsIt() {
    Memory a = engine(shared.process("A"), config("20ms", "10s"));
    Memory b = engine(shared.process("B"), config("20ms", "10s"));
    String id = a.add(AddRequest.of("A note", "u1")).memory().id();
    await("B finds A's add", () -> hits(b, "note") == 1);

    // more ids than a change names: the writer records the whole partition
    List<String> ids = new ArrayList<>(List.of(id));
    IntStream.range(0, 1000).forEach(i -> ids.add("absent-" + i));
    MemoryStore writer = shared.process("C");
    writer.delete(U1, ids, List.of());

    await("B reloads", () -> hits(b, "note") == 0);
    assertThat(b.feedStats().orElseThrow().reloads()).isEqualTo(1);
  }

  @Test
  void memoriesOfAnotherEmbedderAreLoadedAgainAndReembeddedNotIndexedAsTheyAre() {
    Memory a = engine(shared.process("A"), config("20ms", "10s"),
        new HashingEmbedder("hashing:other", 32));
    Memory b = engine(shared.process("B"), config("20ms", "10s"));
    assertThat(hits(b, "anything")).isZero();

    String logs = stderrOf(() -> {
      a.add(AddRequest.of("A note embedded elsewhere", "u1"));
      a.add(AddRequest.of("Another note embedded elsewhere", "u1"));
      await("B re-embeds A's adds", () -> hits(b, "embedded elsewhere") == 2);
    });

    // B says so once, whatever A (which reloads what B re-embedded) says in its turn
    assertThat(logs.lines().filter(line -> line.contains("different embedders: hashing:1 here")))
        .singleElement().satisfies(line -> assertThat(line).contains("hashing:other in a change"));
    assertThat(b.feedStats().orElseThrow().reloads()).isPositive();
  }

  @Test
  void stalenessIsReportedOverTheLastMinute() {
    ChangeFollower.StalenessWindow window = new ChangeFollower.StalenessWindow();
    assertThat(window.snapshot(0)).containsExactly(0, 0, 0);
    IntStream.rangeClosed(1, 100).forEach(millis -> window.add(0, millis));
    assertThat(window.snapshot(0)).containsExactly(50, 99, 100);
    long minute = Duration.ofMinutes(1).toNanos();
    window.add(minute, 700);
    assertThat(window.snapshot(minute)).containsExactly(51, 100, 700);
    assertThat(window.snapshot(minute + 1)).as("older than a minute").containsExactly(700, 700,
        700);

    ChangeFeedStats stats = new ChangeFeedStats("polling inmemory_changes", false,
        Duration.ofMillis(150), 1234, 2, Duration.ofMillis(180), Duration.ofMillis(420),
        Duration.ofMillis(610));
    assertThat(stats.describe()).isEqualTo("polling inmemory_changes; 1,234 changes applied,"
        + " 2 reloads; staleness p50 180 ms p99 420 ms max 610 ms");
    assertThat(new ChangeFeedStats("polling inmemory_changes", true, Duration.ofMillis(12_300),
        1234, 2, Duration.ZERO, Duration.ZERO, Duration.ZERO).describe())
        .startsWith("DEGRADED: change feed behind by 12.3 s; polling inmemory_changes;");
    assertThatThrownBy(() -> new ChangeFeedStats("f", false, Duration.ZERO, 0, 0,
        Duration.ofMillis(2), Duration.ofMillis(1), Duration.ofMillis(3)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of order");
  }

  private Memory engine(MemoryStore store, InMemoryConfig config) {
    return engine(store, config, new HashingEmbedder());
  }

  private Memory engine(MemoryStore store, InMemoryConfig config, HashingEmbedder embedder) {
    Memory engine = Memory.builder().config(config).store(store).embedder(embedder).build();
    engines.add(engine);
    return engine;
  }

  private static InMemoryConfig config(String pollInterval, String maxStaleness) {
    return InMemoryConfig.builder().isolated()
        .set(ChangeFollower.POLL_INTERVAL.name(), pollInterval)
        .set(ChangeFollower.MAX_STALENESS.name(), maxStaleness).build();
  }

  private static int hits(Memory engine, String query) {
    return engine.search(SearchRequest.builder("u1").query(query).build()).hits().size();
  }

  private static int followers() {
    return (int) Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().equals(ChangeFollower.THREAD) && thread.isAlive())
        .count();
  }
}
