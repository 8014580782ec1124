package io.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.inmemory.InvalidRequestException.Violation;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class LimitsTest {
  private static final Limits DEFAULTS = Limits.defaults();

  private static ContentTooLargeException tooLarge(ThrowingCallable call) {
    ContentTooLargeException e = catchThrowableOfType(ContentTooLargeException.class, call);
    assertThat(e).as("a ContentTooLargeException").isNotNull();
    return e;
  }

  private static List<String> strings(int count, int length) {
    return IntStream.range(0, count)
        .mapToObj(i -> (i + "x".repeat(length)).substring(0, length)).toList();
  }

  @Test
  void defaultsAreDocumented() {
    assertThat(DEFAULTS).isEqualTo(new Limits(1024 * 1024, 8192, 200, 100, 100, 100, 200, 100,
        64 * 1024, 1000));
    assertThat(Limits.keys()).extracting(ConfigKey::name).containsExactly(
        "inmemory.max-query-length", "inmemory.max-temporal-length", "inmemory.max-tags",
        "inmemory.max-tag-length", "inmemory.max-people", "inmemory.max-person-length",
        "inmemory.max-topic-length", "inmemory.max-metadata-size", "inmemory.max-batch-size",
        "inmemory.max-messages", "inmemory.max-instructions-length", "inmemory.max-filter-nodes",
        "inmemory.max-filter-depth", "inmemory.max-filter-values");
    assertThat(Limits.MAX_QUERY_LENGTH.envName()).isEqualTo("INMEMORY_MAX_QUERY_LENGTH");
  }

  @Test
  void everyLimitIsReadFromTheConfiguration() {
    InMemoryConfig config = InMemoryConfig.builder().isolated()
        .set("inmemory.max-memory-size", "2KB").set("inmemory.max-query-length", "3")
        .set("inmemory.max-temporal-length", "4").set("inmemory.max-tags", "5")
        .set("inmemory.max-tag-length", "6").set("inmemory.max-people", "7")
        .set("inmemory.max-person-length", "8").set("inmemory.max-topic-length", "9")
        .set("inmemory.max-metadata-size", "1KB").set("inmemory.max-batch-size", "11").build();

    assertThat(Limits.from(config)).isEqualTo(new Limits(2048, 3, 4, 5, 6, 7, 8, 9, 1024, 11));
    assertThatThrownBy(() -> new Limits(1, 1, 1, 1, 1, 1, 1, 1, 1, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Limits.from(InMemoryConfig.builder().isolated()
        .set("inmemory.max-query-length", "0").build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("inmemory.max-query-length");
  }

  @Test
  void aConversationIsCheckedLikeABatchOfMemories() {
    Limits limits = new Limits(10, 8192, 200, 100, 100, 100, 5, 100, 64 * 1024, 1000, 2, 8, 64, 8,
        100);
    Scope scope = Scope.user("u");
    ConversationRequest three = ConversationRequest.builder(scope)
        .messages(Message.user("a"), Message.user("b"), Message.user("c".repeat(99))).build();
    ConversationRequest wide = ConversationRequest.builder(scope)
        .messages(Message.user("ok"), Message.assistant("x".repeat(11)).withName("Robert"))
        .instructions("be brief!!").build();

    ContentTooLargeException many = tooLarge(() -> limits.check(three));
    assertThat(many.violations()).containsExactly(new Violation("messages", "has 3 messages,"
        + " over the maximum of 2 (set inmemory.max-messages to change it)"));
    ContentTooLargeException large = tooLarge(() -> limits.check(wide));
    assertThat(large.violations()).extracting(Violation::field).containsExactly(
        "messages[1].content", "messages[1].name", "instructions");
    assertThat(large.size()).isEqualTo(11);
    assertThatCode(() -> limits.check(ConversationRequest.builder(scope)
        .messages(Message.user("x".repeat(10)).withName("Bobby")).instructions("x".repeat(8))
        .build())).doesNotThrowAnyException();
  }

  @Test
  void aMessagesIdCountsTowardItsMetadataSize() {
    Limits limits = Limits.from(InMemoryConfig.builder().isolated()
        .set(Limits.MAX_METADATA_SIZE, 64L).build());
    Scope scope = Scope.user("u");
    // {"k":"<40 x>"} is about 49 bytes, within 64; with "message_id":"<12 chars>" about 77
    Map<String, Object> metadata = Map.of("k", "x".repeat(40));
    ConversationRequest plain = ConversationRequest.builder(scope)
        .messages(Message.user("a").withMetadata(metadata)).build();
    ConversationRequest withId = ConversationRequest.builder(scope)
        .messages(Message.user("a"), Message.user("b").withMetadata(metadata)
            .withId("id-123456789")).build();

    assertThatCode(() -> limits.check(plain)).doesNotThrowAnyException();
    assertThat(tooLarge(() -> limits.check(withId)).violations()).containsExactly(
        new Violation("messages[1].metadata", "is about 77 bytes as JSON, over the maximum of 64"
            + " (set inmemory.max-metadata-size to change it)"));
    // an id alone counts too
    assertThat(tooLarge(() -> limits.check(ConversationRequest.builder(scope)
        .messages(Message.user("c").withId("i".repeat(60))).build())).violations())
        .extracting(Violation::field).containsExactly("messages[0].metadata");
  }

  @Test
  void aMessagesMetadataIsMeasuredWithTheRequestsItIsKeptWith() {
    Limits limits = Limits.from(InMemoryConfig.builder().isolated()
        .set(Limits.MAX_METADATA_SIZE, 64L).build());
    Scope scope = Scope.user("u");
    // each about 41 bytes, within 64 alone; kept together in one memory about 81
    Map<String, Object> shared = Map.of("a", "x".repeat(32));
    Map<String, Object> own = Map.of("b", "y".repeat(32));
    ConversationRequest together = ConversationRequest.builder(scope).metadata(shared)
        .messages(Message.user("plain"), Message.user("own").withMetadata(own)).build();
    ConversationRequest requestOver = ConversationRequest.builder(scope)
        .metadata(Map.of("a", "x".repeat(80)))
        .messages(Message.user("one").withMetadata(own), Message.user("two").withId("m2"))
        .build();

    assertThat(together.metadataOf(together.messages().get(1)))
        .isEqualTo(Map.of("a", "x".repeat(32), "b", "y".repeat(32)));
    assertThat(tooLarge(() -> limits.check(together)).violations())
        .extracting(Violation::field).containsExactly("messages[1].metadata");
    // the request's own overrun is reported once, not again for every message
    assertThat(tooLarge(() -> limits.check(requestOver)).violations())
        .extracting(Violation::field).containsExactly("metadata");
  }

  @Test
  void aQueryMayBeAsLongAsTheLimitAndNotLonger() {
    SearchRequest atLimit = SearchRequest.builder("u").query("q".repeat(8192)).build();
    SearchRequest over = SearchRequest.builder("u").query("q".repeat(8193)).build();

    assertThatCode(() -> DEFAULTS.check(atLimit)).doesNotThrowAnyException();
    ContentTooLargeException e = tooLarge(() -> DEFAULTS.check(over));
    assertThat(e.size()).isEqualTo(8193);
    assertThat(e.maxSize()).isEqualTo(8192);
    assertThat(e.violations()).containsExactly(new Violation("query", "is 8193 characters, over"
        + " the maximum of 8192 (set inmemory.max-query-length to change it)"));
  }

  @Test
  void everySearchInputIsBounded() {
    SearchRequest request = SearchRequest.builder("u")
        .temporal("yesterday" + " ".repeat(200))
        .tags(strings(101, 3))
        .people(List.of("p".repeat(201)))
        .topic("t".repeat(101))
        .metadata(Map.of("k", "v".repeat(70_000)))
        .build();

    ContentTooLargeException e = tooLarge(() -> DEFAULTS.check(request));

    assertThat(e.violations()).extracting(Violation::field)
        .containsExactly("temporal", "tags", "people", "topic", "metadata");
    assertThat(e.size()).as("the first violation's").isEqualTo(209);
    assertThat(e.maxSize()).isEqualTo(200);
    assertThat(e.violations()).extracting(Violation::problem).satisfiesExactly(
        temporal -> assertThat(temporal).contains("209 characters", "inmemory.max-temporal-length"),
        tags -> assertThat(tags).contains("has 101 tags", "maximum of 100", "inmemory.max-tags"),
        people -> assertThat(people).contains("name 'pppppppppppppppppppp…' is 201 characters",
            "inmemory.max-person-length"),
        topic -> assertThat(topic).contains("101 characters", "inmemory.max-topic-length"),
        metadata -> assertThat(metadata).contains("about 70009 bytes as JSON", "maximum of 65536",
            "inmemory.max-metadata-size"));
  }

  @Test
  void tagsAreCountedAfterNormalization() {
    List<String> hundredTwice = new java.util.ArrayList<>(strings(100, 4));
    hundredTwice.addAll(hundredTwice.stream().map(String::toUpperCase).toList());

    assertThatCode(() -> DEFAULTS.check(AddRequest.builder("x", "u").tags(hundredTwice).build()))
        .doesNotThrowAnyException();
    assertThat(tooLarge(() -> DEFAULTS.check(AddRequest.builder("x", "u")
        .tags("t".repeat(101)).build())).violations())
        .containsExactly(new Violation("tags", "tag 'tttttttttttttttttttt…' is 101 characters,"
            + " over the maximum of 100 (set inmemory.max-tag-length to change it)"));
  }

  @Test
  void contentIsCountedInUtf8BytesWithTheFamiliarMessage() {
    Limits small = DEFAULTS.withMaxMemorySize(4);

    assertThatCode(() -> small.check(AddRequest.of("éé", "u"))).doesNotThrowAnyException();
    ContentTooLargeException e = tooLarge(() -> small.check(AddRequest.of("ééé", "u")));
    assertThat(e.violations()).containsExactly(
        new ContentTooLargeException("content", 6, 4).violations().get(0));
    assertThat(e.size()).isEqualTo(6);
  }

  @Test
  void aBatchIsBoundedAndItsRequestsAreNamedByIndex() {
    Limits small = new Limits(4, 1, 1, 1, 1, 1, 1, 1, 2, 3);
    List<AddRequest> batch = List.of(AddRequest.of("fine", "u"),
        AddRequest.builder("too long", "u").tags("a", "b").build());

    assertThat(tooLarge(() -> small.checkAll(batch)).violations()).extracting(Violation::field)
        .containsExactly("requests[1].content", "requests[1].tags");
    assertThat(tooLarge(() -> small.checkAll(List.of(AddRequest.of("too long", "u"))))
        .violations()).extracting(Violation::field).containsExactly("content");
    ContentTooLargeException count = tooLarge(() -> small.checkAll(
        Collections.nCopies(4, AddRequest.of("too long", "u"))));
    assertThat(count.violations()).containsExactly(new Violation("requests", "has 4 requests,"
        + " over the maximum of 3 (set inmemory.max-batch-size to change it)"));
    assertThat(tooLarge(() -> small.checkBatchSize(1_000_000)).size()).isEqualTo(1_000_000);
    assertThatCode(() -> small.checkBatchSize(3)).doesNotThrowAnyException();
  }

  @Test
  void anUpdateIsCheckedOnTheFieldsItChanges() {
    Limits small = new Limits(4, 1, 1, 1, 1, 1, 1, 1, 2, 3);

    assertThatCode(() -> small.check(UpdateRequest.builder().topic("").build()))
        .doesNotThrowAnyException();
    assertThat(tooLarge(() -> small.check(UpdateRequest.builder().content("12345")
        .metadata(Map.of("k", 1)).build())).violations()).extracting(Violation::field)
        .containsExactly("content", "metadata");
  }
}
