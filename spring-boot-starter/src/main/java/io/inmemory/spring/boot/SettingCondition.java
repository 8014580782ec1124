package io.inmemory.spring.boot;

import io.inmemory.ConfigKey;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when a boolean InMemory key is true, read as the {@code MemoryClient} bean's
 * configuration is (so {@code yes}/{@code no}, environment variables and InMemory's own sources
 * count, and an invalid value fails startup naming the key rather than counting as true, as
 * {@code @ConditionalOnProperty} would).
 */
abstract class SettingCondition extends SpringBootCondition {
  private final ConfigKey<Boolean> key;

  SettingCondition(ConfigKey<Boolean> key) {
    this.key = key;
  }

  @Override
  public ConditionOutcome getMatchOutcome(ConditionContext context,
      AnnotatedTypeMetadata metadata) {
    boolean enabled = EnvironmentConfig.from(context.getEnvironment()).get(key);
    return enabled ? ConditionOutcome.match(key.name() + " is true")
        : ConditionOutcome.noMatch(key.name() + " is false");
  }

  /** {@link SpringAiSettings#CHAT_MEMORY_ENABLED}. */
  static final class ChatMemoryEnabled extends SettingCondition {
    ChatMemoryEnabled() {
      super(SpringAiSettings.CHAT_MEMORY_ENABLED);
    }
  }

  /** {@link SpringAiSettings#ADVISOR_ENABLED}. */
  static final class AdvisorEnabled extends SettingCondition {
    AdvisorEnabled() {
      super(SpringAiSettings.ADVISOR_ENABLED);
    }
  }
}
