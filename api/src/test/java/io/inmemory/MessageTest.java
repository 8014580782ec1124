package io.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageTest {

  private static List<String> fields(InvalidRequestException e) {
    return e.violations().stream().map(InvalidRequestException.Violation::field).toList();
  }

  @Test
  void factoriesSetTheRoleAndWithersTheRest() {
    Instant at = Instant.parse("2024-05-01T10:00:00.123456Z");
    Message message = Message.user("I moved to Berlin").withName("John").withTimestamp(at)
        .withId("turn-1").withMetadata(Map.of("n", 1));

    assertThat(message.role()).isEqualTo(Role.USER);
    assertThat(message.name()).isEqualTo("John");
    assertThat(message.timestamp()).isEqualTo(Instant.parse("2024-05-01T10:00:00.123Z"));
    assertThat(message.id()).isEqualTo("turn-1");
    assertThat(message.metadata()).isEqualTo(Map.of("n", 1L));
    assertThat(Message.assistant("a").role()).isEqualTo(Role.ASSISTANT);
    assertThat(Message.system("s").role()).isEqualTo(Role.SYSTEM);
    assertThat(Message.tool("t").role()).isEqualTo(Role.TOOL);
  }

  @Test
  void blankContentIsAcceptedNullIsNot() {
    assertThat(Message.user("  ").content()).isEqualTo("  ");

    InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class,
        () -> new Message(null, null, " ", null, "", Map.of("k", new Object())));
    assertThat(fields(e)).containsExactly("role", "content", "name", "id", "metadata.k");
  }

  @Test
  void anIdIsAtMost256Characters() {
    String longest = "m".repeat(Message.MAX_ID_LENGTH);
    assertThat(Message.user("hi").withId(longest).id()).isEqualTo(longest);

    InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class,
        () -> Message.user("hi").withId(longest + "m"));
    assertThat(e.violations()).containsExactly(new InvalidRequestException.Violation("id",
        "is 257 characters, over the maximum of 256"));
  }

  @Test
  void textMustBeWellFormed() {
    InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class,
        () -> Message.user("broken \ud800 text"));

    assertThat(fields(e)).containsExactly("content");
  }

  @Test
  void metadataIsACopy() {
    java.util.HashMap<String, Object> metadata = new java.util.HashMap<>(Map.of("a", "b"));
    Message message = Message.user("x").withMetadata(metadata);
    metadata.put("c", "d");

    assertThat(message.metadata()).containsOnlyKeys("a");
    assertThat(Message.user("x").withMetadata(null).metadata()).isEmpty();
  }
}
