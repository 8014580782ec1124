package io.inmemory.langchain4j;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.ContentMetadata;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import dev.langchain4j.rag.query.Query;
import dev.langchain4j.store.embedding.filter.Filter;
import io.inmemory.InvalidRequestException;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryFilter;
import io.inmemory.MemoryRecord;
import io.inmemory.Scope;
import io.inmemory.SearchHit;
import io.inmemory.SearchRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A LangChain4j {@link ContentRetriever} that recalls the user's memories relevant to a query, for
 * {@code AiServices.contentRetriever} or a {@code DefaultRetrievalAugmentor}. Stateless and
 * thread-safe.
 *
 * <p>The scope comes from the query's invocation through a {@link ScopeResolver} (default
 * {@link ScopeResolver#standard()}), widened to every session of the user unless
 * {@link Builder#sameSessionOnly} — recall spans all the user's conversations. Each hit is a
 * {@link Content} whose text is the memory's content, with metadata {@code memory_id},
 * {@code created_at} (ISO-8601), and when present {@code topic}, {@code tags} (comma-joined),
 * {@code role} and {@code session_id}, and the {@link ContentMetadata#SCORE score} and
 * {@link ContentMetadata#EMBEDDING_ID memory id}.
 *
 * <p>Errors: an unresolvable scope or an untranslatable filter → {@link InvalidRequestException}
 * (fields {@code scope}, {@code filter}); a static filter is translated when the retriever is
 * built, a dynamic one per query; the client's own errors pass through.
 */
public final class InMemoryContentRetriever implements ContentRetriever {

  private final MemoryClient client;
  private final ScopeResolver resolver;
  private final int maxResults;
  private final @Nullable Double minScore;
  private final @Nullable MemoryFilter fixedFilter;
  private final Function<Query, @Nullable Filter> dynamicFilter;
  private final boolean sameSessionOnly;

  private InMemoryContentRetriever(Builder builder) {
    this.client = builder.client;
    this.resolver = builder.resolver;
    this.maxResults = builder.maxResults;
    this.minScore = builder.minScore;
    this.dynamicFilter = builder.dynamicFilter;
    this.sameSessionOnly = builder.sameSessionOnly;
    // a minimum score the runtime refuses fails here, not each query
    SearchRequest.builder(Scope.user("options")).query("options").threshold(minScore).build();
    List<MemoryFilter> fixed = new ArrayList<>();
    if (builder.filter != null) {
      fixed.add(LangChain4jFilters.translate(builder.filter));
    }
    if (builder.memoryFilter != null) {
      fixed.add(builder.memoryFilter);
    }
    this.fixedFilter = both(fixed);
  }

  public static Builder builder(MemoryClient client) {
    return new Builder(client);
  }

  @Override
  public List<Content> retrieve(Query query) {
    Scope scope = resolver.resolve(query.metadata() == null ? null
        : query.metadata().invocationContext());
    List<MemoryFilter> filters = new ArrayList<>(2);
    if (fixedFilter != null) {
      filters.add(fixedFilter);
    }
    Filter perQuery = dynamicFilter.apply(query);
    if (perQuery != null) {
      filters.add(LangChain4jFilters.translate(perQuery));
    }
    List<SearchHit> hits = client.search(SearchRequest.builder(
            sameSessionOnly ? scope : scope.withSession(null))
        .query(query.text()).limit(maxResults).threshold(minScore).filter(both(filters))
        .build()).hits();
    List<Content> contents = new ArrayList<>(hits.size());
    for (SearchHit hit : hits) {
      MemoryRecord memory = hit.memory();
      contents.add(Content.from(TextSegment.from(memory.content(), metadata(memory)),
          Map.of(ContentMetadata.SCORE, hit.score(), ContentMetadata.EMBEDDING_ID, memory.id())));
    }
    return contents;
  }

  private static dev.langchain4j.data.document.Metadata metadata(MemoryRecord memory) {
    dev.langchain4j.data.document.Metadata metadata = new dev.langchain4j.data.document.Metadata()
        .put("memory_id", memory.id())
        .put("created_at", memory.createdAt().toString());
    if (memory.topic() != null) {
      metadata.put("topic", memory.topic());
    }
    if (!memory.tags().isEmpty()) {
      metadata.put("tags", String.join(",", memory.tags()));
    }
    if (memory.role() != null) {
      metadata.put("role", memory.role().name().toLowerCase(Locale.ROOT));
    }
    if (memory.sessionId() != null) {
      metadata.put("session_id", memory.sessionId());
    }
    return metadata;
  }

  /** {@code limit}, when a search may return that many; else refused, naming {@code field}. */
  static int searchLimit(String field, int limit) {
    if (limit < 1 || limit > SearchRequest.MAX_LIMIT) {
      throw new InvalidRequestException(field, "must be 1 to " + SearchRequest.MAX_LIMIT
          + ", was " + limit);
    }
    return limit;
  }

  private static @Nullable MemoryFilter both(List<MemoryFilter> filters) {
    return filters.isEmpty() ? null
        : filters.size() == 1 ? filters.get(0) : new MemoryFilter.All(filters);
  }

  /** Builds an {@link InMemoryContentRetriever}; not thread-safe. */
  public static final class Builder {
    private final MemoryClient client;
    private ScopeResolver resolver = ScopeResolver.standard();
    private int maxResults = 5;
    private @Nullable Double minScore;
    private @Nullable Filter filter;
    private @Nullable MemoryFilter memoryFilter;
    private Function<Query, @Nullable Filter> dynamicFilter = query -> null;
    private boolean sameSessionOnly;

    private Builder(MemoryClient client) {
      this.client = Objects.requireNonNull(client, "client");
    }

    /** Whose memories a query recalls; default {@link ScopeResolver#standard()}. */
    public Builder scopeResolver(ScopeResolver resolver) {
      this.resolver = Objects.requireNonNull(resolver, "resolver");
      return this;
    }

    /** How many memories at most, 1 to {@link SearchRequest#MAX_LIMIT}; default 5. */
    public Builder maxResults(int maxResults) {
      this.maxResults = searchLimit("limit", maxResults);
      return this;
    }

    /**
     * The lowest score a memory must reach, -1 to 1, or {@code null} (the default) for none;
     * checked by {@link #build()}.
     */
    public Builder minScore(@Nullable Double minScore) {
      this.minScore = minScore;
      return this;
    }

    /** A LangChain4j filter every query applies, translated by {@link #build()}. */
    public Builder filter(@Nullable Filter filter) {
      this.filter = filter;
      return this;
    }

    /** A LangChain4j filter per query ({@code null} for none), translated at each query. */
    public Builder dynamicFilter(Function<Query, @Nullable Filter> dynamicFilter) {
      this.dynamicFilter = Objects.requireNonNull(dynamicFilter, "dynamicFilter");
      return this;
    }

    /** An InMemory filter every query applies, with the others. */
    public Builder memoryFilter(@Nullable MemoryFilter memoryFilter) {
      this.memoryFilter = memoryFilter;
      return this;
    }

    /** Whether to recall only the resolved session's memories; default false: every session. */
    public Builder sameSessionOnly(boolean sameSessionOnly) {
      this.sameSessionOnly = sameSessionOnly;
      return this;
    }

    /**
     * The retriever.
     *
     * @throws InvalidRequestException when the filter cannot be translated (field {@code filter})
     *     or the minimum score is outside -1 to 1 (field {@code threshold})
     */
    public InMemoryContentRetriever build() {
      return new InMemoryContentRetriever(this);
    }
  }
}
