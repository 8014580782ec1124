package io.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class AddRequestTest {

  private static List<String> fields(InvalidRequestException e) {
    return e.violations().stream().map(InvalidRequestException.Violation::field).toList();
  }

  @Test
  void ofMakesAPlainRequest() {
    AddRequest request = AddRequest.of("I love pizza", "alice");

    assertThat(request.content()).isEqualTo("I love pizza");
    assertThat(request.userId()).isEqualTo("alice");
    assertThat(request.tags()).isEmpty();
    assertThat(request.people()).isEmpty();
    assertThat(request.topic()).isNull();
    assertThat(request.metadata()).isEmpty();
    assertThat(request.createdAt()).isNull();
  }

  @Test
  void contentIsKeptVerbatim() {
    assertThat(AddRequest.of("  padded\n", "u").content()).isEqualTo("  padded\n");
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {" ", "\t\n"})
  void blankContentIsRejected(String content) {
    InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class,
        () -> AddRequest.of(content, "alice"));

    assertThat(fields(e)).containsExactly("content");
    assertThat(e.getMessage()).contains("content: must not be blank");
  }

  @Test
  void tagsAreTrimmedLowerCasedAndDeduplicatedInFirstSeenOrder() {
    AddRequest request = AddRequest.builder("x", "u").tags(" Work", "food ", "WORK", "Food", "a b")
        .build();

    assertThat(request.tags()).containsExactly("work", "food", "a b");
  }

  @Test
  void tagsUseRootLocaleLowerCasing() {
    assertThat(AddRequest.builder("x", "u").tags("TITLE").build().tags())
        .containsExactly("title");
  }

  @Test
  void blankOrOverlongTagsAreRejected() {
    assertThat(fields(catchThrowableOfType(InvalidRequestException.class,
        () -> AddRequest.builder("x", "u").tags(Arrays.asList("ok", null)).build())))
        .containsExactly("tags");
    assertThat(fields(catchThrowableOfType(InvalidRequestException.class,
        () -> AddRequest.builder("x", "u").tags("ok", "  ").build()))).containsExactly("tags");
    assertThat(AddRequest.builder("x", "u").tags("t".repeat(100)).build().tags()).hasSize(1);
    assertThat(catchThrowableOfType(InvalidRequestException.class,
        () -> AddRequest.builder("x", "u").tags("t".repeat(101)).build()).getMessage())
        .contains("over 100 characters");
  }

  @Test
  void atMostOneHundredDistinctTags() {
    List<String> hundred = IntStream.range(0, 100).mapToObj(i -> "t" + i).toList();
    List<String> hundredAndOne = new ArrayList<>(hundred);
    hundredAndOne.add("extra");
    List<String> duplicated = new ArrayList<>(hundred);
    duplicated.add("T0");

    assertThat(AddRequest.builder("x", "u").tags(hundred).build().tags()).hasSize(100);
    assertThat(AddRequest.builder("x", "u").tags(duplicated).build().tags()).hasSize(100);
    assertThat(catchThrowableOfType(InvalidRequestException.class,
        () -> AddRequest.builder("x", "u").tags(hundredAndOne).build()).getMessage())
        .contains("101 tags");
  }

  @Test
  void peopleKeepTheFirstSpellingAndAreDeduplicatedIgnoringCase() {
    AddRequest request = AddRequest.builder("x", "u")
        .people("Bob", " carol ", "BOB", "Carol", "bob").build();

    assertThat(request.people()).containsExactly("Bob", "carol");
  }

  @Test
  void blankOrOverlongPeopleAreRejected() {
    assertThat(fields(catchThrowableOfType(InvalidRequestException.class,
        () -> AddRequest.builder("x", "u").people("Bob", " ").build()))).containsExactly("people");
    assertThat(AddRequest.builder("x", "u").people("p".repeat(200)).build().people()).hasSize(1);
    assertThat(fields(catchThrowableOfType(InvalidRequestException.class,
        () -> AddRequest.builder("x", "u").people("p".repeat(201)).build())))
        .containsExactly("people");
    List<String> many = IntStream.range(0, 101).mapToObj(i -> "P" + i).toList();
    assertThat(catchThrowableOfType(InvalidRequestException.class,
        () -> AddRequest.builder("x", "u").people(many).build()).getMessage())
        .contains("101 people");
  }

  @Test
  void topicIsTrimmedAndLowerCasedAndBlankMeansNone() {
    assertThat(AddRequest.builder("x", "u").topic("  Q4 Planning ").build().topic())
        .isEqualTo("q4 planning");
    assertThat(AddRequest.builder("x", "u").topic("   ").build().topic()).isNull();
    assertThat(fields(catchThrowableOfType(InvalidRequestException.class,
        () -> AddRequest.builder("x", "u").topic("t".repeat(101)).build())))
        .containsExactly("topic");
  }

  @Test
  void nullListsMeanNone() {
    AddRequest request = new AddRequest("x", "u", null, null, null, null, null);

    assertThat(request.tags()).isEmpty();
    assertThat(request.people()).isEmpty();
    assertThat(request.metadata()).isEmpty();
  }

  @Test
  void listsAreUnmodifiableCopies() {
    List<String> tags = new ArrayList<>(List.of("a"));
    AddRequest request = AddRequest.builder("x", "u").tags(tags).build();
    tags.add("b");

    assertThat(request.tags()).containsExactly("a");
    assertThatThrownBy(() -> request.tags().add("c"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> request.people().add("c"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void createdAtIsTruncatedToMilliseconds() {
    AddRequest request = AddRequest.builder("x", "u")
        .createdAt(Instant.parse("2024-01-02T03:04:05.678912345Z")).build();

    assertThat(request.createdAt()).isEqualTo(Instant.parse("2024-01-02T03:04:05.678Z"));
  }

  @Test
  void everyProblemIsListedAtOnce() {
    InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class,
        () -> AddRequest.builder("", "bad id").tags("", "t".repeat(101)).people(" ")
            .topic("t".repeat(101)).metadata(Map.of("k", new Object())).build());

    assertThat(fields(e)).containsExactly(
        "content", "userId", "tags", "tags", "people", "topic", "metadata.k");
  }
}
