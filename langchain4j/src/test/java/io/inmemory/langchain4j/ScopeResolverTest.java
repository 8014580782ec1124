package io.inmemory.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.invocation.InvocationParameters;
import io.inmemory.InvalidRequestException;
import io.inmemory.Scope;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScopeResolverTest {

  private static InvocationContext context(Object chat, Map<String, Object> parameters) {
    return InvocationContext.builder().chatMemoryId(chat)
        .invocationParameters(InvocationParameters.from(parameters)).timestampNow().build();
  }

  private static Scope standard(Object chat, Map<String, Object> parameters) {
    return ScopeResolver.standard().resolve(context(chat, parameters));
  }

  @Test
  void theChatMemoryIdNamesUserAndConversation() {
    assertThat(standard("alice/c1", Map.of())).isEqualTo(new Scope("alice", null, "c1"));
    assertThat(standard("alice", Map.of())).isEqualTo(Scope.user("alice"));
    assertThat(standard("alice/a b", Map.of()))
        .isEqualTo(new Scope("alice", null, SessionKeys.of("a b")));
  }

  @Test
  void invocationParametersComeFirst() {
    assertThat(standard("alice/c1", Map.of(ScopeResolver.USER_ID, "bob")))
        .isEqualTo(new Scope("bob", null, "c1"));
    assertThat(standard("default", Map.of(ScopeResolver.USER_ID, "bob",
        ScopeResolver.AGENT_ID, "planner", ScopeResolver.SESSION_ID, "s9")))
        .isEqualTo(new Scope("bob", "planner", "s9"));
    assertThat(standard("default", Map.of(ScopeResolver.AGENT_ID, "planner")))
        .isEqualTo(Scope.agent("planner"));
  }

  @Test
  void noOneToResolveIsRefused() {
    for (InvocationContext context : new InvocationContext[] {null,
        context("default", Map.of())}) {
      assertThatThrownBy(() -> ScopeResolver.standard().resolve(context))
          .isInstanceOfSatisfying(InvalidRequestException.class,
              e -> assertThat(e.violations().get(0).field()).isEqualTo("scope"))
          .hasMessageContaining("@MemoryId \"user/conversation\"");
    }
  }

  @Test
  void anInvalidUserIsTheScopesOwnRefusal() {
    assertThatThrownBy(() -> standard("al ice/c1", Map.of()))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void fixedIsAlwaysTheSame() {
    Scope scope = new Scope("alice", "planner", null);
    assertThat(ScopeResolver.fixed(scope).resolve(null)).isEqualTo(scope);
  }
}
