/**
 * The client contract suite (TCK): the behaviour every {@link io.inmemory.MemoryClient} and
 * {@link io.inmemory.AsyncMemoryClient} must show, local engine and managed client alike.
 *
 * <p>It ships in {@code inmemory-api}'s test-jar. An implementation module depends on that jar
 * (type {@code test-jar}, scope {@code test}) plus JUnit 5 and AssertJ, and subclasses each
 * abstract contract with its factory:
 *
 * <pre>{@code
 * class LocalMemoryClientTest extends MemoryClientContract {
 *   @Override protected MemoryClient createClient() { return Memory.builder()...build(); }
 * }
 * }</pre>
 *
 * <p>{@link io.inmemory.tck.MemoryClientContract} (core operations and validation),
 * {@link io.inmemory.tck.SearchContract} (meaning, filters, recency, time phrases),
 * {@link io.inmemory.tck.ConcurrencyContract} (threads),
 * {@link io.inmemory.tck.AsyncMemoryClientContract} (futures),
 * {@link io.inmemory.tck.ScopeContract} (users, agents and sessions),
 * {@link io.inmemory.tck.ConversationContract} (conversations without a model) and
 * {@link io.inmemory.tck.DeduplicationContract} (normalized-text de-duplication of plain adds).
 * Each creates one client per class and works on fresh random user ids, so a durable store may
 * be shared between runs. Semantic checks need a real sentence-embedding model; they hold for
 * all-MiniLM-L6-v2, bge-small-en-v1.5 and e5-small-v2.
 */
package io.inmemory.tck;
