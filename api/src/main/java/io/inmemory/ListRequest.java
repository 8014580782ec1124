package io.inmemory;

import org.jspecify.annotations.Nullable;

/**
 * A page of the memories of one scope, newest first (equal creation times by id, ascending), so
 * pages are stable while nothing changes. Built with {@link #builder(Scope)}. Immutable. The
 * constructor throws {@link InvalidRequestException} listing every problem: no scope, a limit
 * outside 1 to {@link SearchRequest#MAX_LIMIT}, a negative offset.
 *
 * @param scope whose memories, restricted to an agent or session when the scope names one
 * @param filter a condition the memories must meet, or {@code null} for none
 * @param includeSuperseded whether memories no longer current (superseded by a newer fact) are
 *     listed too
 * @param limit page size, 1 to {@link SearchRequest#MAX_LIMIT}
 * @param offset how many memories to skip, not negative
 */
public record ListRequest(
    Scope scope, @Nullable MemoryFilter filter, boolean includeSuperseded, int limit, int offset) {

  public ListRequest {
    Values values = Values.forRequest();
    if (scope == null) {
      values.add("scope", "give userId, agentId or both");
    }
    values.limit("limit", limit, SearchRequest.MAX_LIMIT);
    if (offset < 0) {
      values.add("offset", "must not be negative, was " + offset);
    }
    values.throwIfAny();
  }

  public static Builder builder(Scope scope) {
    return new Builder(scope);
  }

  /** Builds a {@link ListRequest}; not thread-safe. */
  public static final class Builder {
    private final Scope scope;
    private @Nullable MemoryFilter filter;
    private boolean includeSuperseded;
    private int limit = SearchRequest.DEFAULT_LIMIT;
    private int offset;

    private Builder(Scope scope) {
      this.scope = scope;
    }

    public Builder filter(@Nullable MemoryFilter filter) {
      this.filter = filter;
      return this;
    }

    public Builder includeSuperseded(boolean includeSuperseded) {
      this.includeSuperseded = includeSuperseded;
      return this;
    }

    public Builder limit(int limit) {
      this.limit = limit;
      return this;
    }

    public Builder offset(int offset) {
      this.offset = offset;
      return this;
    }

    public ListRequest build() {
      return new ListRequest(scope, filter, includeSuperseded, limit, offset);
    }
  }
}
