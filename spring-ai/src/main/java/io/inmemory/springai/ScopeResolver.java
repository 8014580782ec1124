package io.inmemory.springai;

import io.inmemory.InvalidRequestException;
import io.inmemory.Scope;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Whose memories a {@link LongTermMemoryAdvisor} call reads and writes: the {@link Scope} of a
 * call, from its advisor context (the {@code ChatClientRequest} context, which holds what the
 * caller set with {@code .advisors(a -> a.param(key, value))}). Replace the standard resolver to
 * take the user from elsewhere, for example Spring Security's authenticated principal.
 *
 * <p>The scope's user and agent are whose memories are recalled (every agent of the user unless
 * the advisor was built with {@code recallAcrossAgents(false)}); its session is where the exchange
 * is recorded. Implementations must be thread-safe; the advisor calls {@link #resolve} once per
 * call, before the model is called, so an exception thrown here fails the call without calling the
 * model.
 */
@FunctionalInterface
public interface ScopeResolver {

  /**
   * The scope of the call.
   *
   * @param context the advisor context (never null; values may be of any type)
   * @return a non-null scope
   * @throws IllegalArgumentException when the context does not say whose call this is, or holds a
   *     value of the wrong type
   * @throws InvalidRequestException when an id is not a valid InMemory id
   */
  Scope resolve(Map<String, @Nullable Object> context);
}
