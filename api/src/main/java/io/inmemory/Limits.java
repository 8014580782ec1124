package io.inmemory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The size limits of requests. Every input whose cost grows with its size has one — the memory
 * content, the search query, the temporal phrase, the tag and people lists and each of their
 * entries, the topic, the metadata (stored or used as a filter) and the number of memories in a
 * batch — so that no caller, a read-only key included, can make a call take unbounded memory or
 * time. Each limit is a configuration key: {@link InMemoryConfig#MAX_MEMORY_SIZE} and the
 * constants below.
 *
 * <p>The request records check only the form of their values (blank, malformed, unsupported);
 * sizes are checked here, by the client, which knows the configuration. The local engine checks
 * every request against the limits of its configuration before any work (embedding, parsing a
 * phrase, scanning memories); an InMemory server does the same with its own configuration and
 * answers 413 {@code content-too-large}, so a managed client throws the very exception the local
 * engine throws for the same request.
 *
 * <p>Why the defaults: a query of {@value #DEFAULT_MAX_QUERY_LENGTH} characters is about as much
 * English as the default embedder reads (its first 2,048 word pieces; the lexical side reads every
 * word), so a query within the limit is read whole, while a longer one is a document, not a
 * question. The grammar's longest phrases ("between march 3 2024 and april 10 2024 evenings") are
 * under 60 characters, so {@value #DEFAULT_MAX_TEMPORAL_LENGTH} leaves room for spacing and
 * fillers. A batch of {@value #DEFAULT_MAX_BATCH_SIZE} memories takes seconds to embed on two
 * cores: larger imports are split into several calls. The others keep the values they had before
 * they became configurable.
 *
 * <p>Immutable and thread-safe.
 *
 * @param maxMemorySize the largest content, in UTF-8 bytes
 * @param maxQueryLength the longest search query, in characters ({@link String#length()})
 * @param maxTemporalLength the longest temporal phrase, in characters
 * @param maxTags the most distinct tags of a memory or a tag filter
 * @param maxTagLength the longest tag, in characters after trimming
 * @param maxPeople the most distinct people of a memory or a people filter
 * @param maxPersonLength the longest person's name, in characters after trimming
 * @param maxTopicLength the longest topic, in characters after trimming
 * @param maxMetadataSize the largest metadata (stored or filter), in bytes of its JSON form
 * @param maxBatchSize the most memories in one {@link MemoryClient#addAll} call
 * @param maxMessages the most messages of one {@link ConversationRequest}
 * @param maxInstructionsLength the longest {@link ConversationRequest#instructions()}, in
 *     characters
 * @param maxFilterNodes the most nodes of a {@link MemoryFilter}: a combinator counts one, a
 *     comparison two (its field and its operator)
 * @param maxFilterDepth the deepest nesting of a {@link MemoryFilter}: the combinators (AND, OR,
 *     NOT) on its longest path, so a comparison inside that many combinators is within it
 * @param maxFilterValues the most values of one {@code in} or {@code nin} comparison
 */
public record Limits(
    long maxMemorySize,
    int maxQueryLength,
    int maxTemporalLength,
    int maxTags,
    int maxTagLength,
    int maxPeople,
    int maxPersonLength,
    int maxTopicLength,
    long maxMetadataSize,
    int maxBatchSize,
    int maxMessages,
    int maxInstructionsLength,
    int maxFilterNodes,
    int maxFilterDepth,
    int maxFilterValues) {

  /**
   * The deepest nesting of a memory's metadata, in levels of maps and lists (a fixed rule, not a
   * setting): deeper is refused as malformed metadata.
   */
  public static final int MAX_METADATA_DEPTH = Values.MAX_METADATA_DEPTH;

  /** The default of {@link #MAX_QUERY_LENGTH}. */
  public static final int DEFAULT_MAX_QUERY_LENGTH = 8192;
  /** The default of {@link #MAX_TEMPORAL_LENGTH}. */
  public static final int DEFAULT_MAX_TEMPORAL_LENGTH = 200;
  /** The default of {@link #MAX_BATCH_SIZE}. */
  public static final int DEFAULT_MAX_BATCH_SIZE = 1000;

  /** The longest search query, in characters. */
  public static final ConfigKey<Integer> MAX_QUERY_LENGTH = ConfigKey.integer(
      "inmemory.max-query-length", DEFAULT_MAX_QUERY_LENGTH, 1, 16 * 1024 * 1024,
      "The longest search query accepted, in characters (default " + DEFAULT_MAX_QUERY_LENGTH
          + ").");
  /** The longest temporal phrase, in characters. */
  public static final ConfigKey<Integer> MAX_TEMPORAL_LENGTH = ConfigKey.integer(
      "inmemory.max-temporal-length", DEFAULT_MAX_TEMPORAL_LENGTH, 1, 1_000_000,
      "The longest temporal phrase accepted, such as 'last week', in characters (default "
          + DEFAULT_MAX_TEMPORAL_LENGTH + ").");
  /** The most distinct tags of a memory or a tag filter. */
  public static final ConfigKey<Integer> MAX_TAGS = ConfigKey.integer("inmemory.max-tags", 100, 1,
      1_000_000, "The most distinct tags of a memory or of a tag filter (default 100).");
  /** The longest tag, in characters. */
  public static final ConfigKey<Integer> MAX_TAG_LENGTH = ConfigKey.integer(
      "inmemory.max-tag-length", 100, 1, 1_000_000,
      "The longest tag accepted, in characters (default 100).");
  /** The most distinct people of a memory or a people filter. */
  public static final ConfigKey<Integer> MAX_PEOPLE = ConfigKey.integer("inmemory.max-people",
      100, 1, 1_000_000, "The most distinct people of a memory or of a people filter (default"
          + " 100).");
  /** The longest person's name, in characters. */
  public static final ConfigKey<Integer> MAX_PERSON_LENGTH = ConfigKey.integer(
      "inmemory.max-person-length", 200, 1, 1_000_000,
      "The longest person's name accepted, in characters (default 200).");
  /** The longest topic, in characters. */
  public static final ConfigKey<Integer> MAX_TOPIC_LENGTH = ConfigKey.integer(
      "inmemory.max-topic-length", 100, 1, 1_000_000,
      "The longest topic accepted, in characters (default 100).");
  /** The largest metadata, stored or used as a filter, in bytes of JSON. */
  public static final ConfigKey<Long> MAX_METADATA_SIZE = ConfigKey.bytes(
      "inmemory.max-metadata-size", 64L * 1024, 2,
      "The largest metadata of a memory or of a metadata filter, in bytes of its JSON form"
          + " (suffixes KB, MB; default 64KB).");
  /** The most memories in one batch. */
  public static final ConfigKey<Integer> MAX_BATCH_SIZE = ConfigKey.integer(
      "inmemory.max-batch-size", DEFAULT_MAX_BATCH_SIZE, 1, 10_000_000,
      "The most memories one addAll call (POST /v1/memories/batch) may add (default "
          + DEFAULT_MAX_BATCH_SIZE + ").");

  /** The default of {@link #MAX_MESSAGES}: a conversation is checked like a batch. */
  public static final int DEFAULT_MAX_MESSAGES = DEFAULT_MAX_BATCH_SIZE;
  /** The default of {@link #MAX_INSTRUCTIONS_LENGTH}. */
  public static final int DEFAULT_MAX_INSTRUCTIONS_LENGTH = 4096;
  /** The default of {@link #MAX_FILTER_NODES}. */
  public static final int DEFAULT_MAX_FILTER_NODES = 64;
  /** The default of {@link #MAX_FILTER_DEPTH}. */
  public static final int DEFAULT_MAX_FILTER_DEPTH = 8;
  /** The default of {@link #MAX_FILTER_VALUES}. */
  public static final int DEFAULT_MAX_FILTER_VALUES = 100;

  /** The most messages of one conversation. */
  public static final ConfigKey<Integer> MAX_MESSAGES = ConfigKey.integer(
      "inmemory.max-messages", DEFAULT_MAX_MESSAGES, 1, 10_000_000,
      "The most messages one conversation add may hold (default " + DEFAULT_MAX_MESSAGES + ").");
  /** The longest instructions of a conversation add, in characters. */
  public static final ConfigKey<Integer> MAX_INSTRUCTIONS_LENGTH = ConfigKey.integer(
      "inmemory.max-instructions-length", DEFAULT_MAX_INSTRUCTIONS_LENGTH, 1, 1_000_000,
      "The longest extraction instructions of one conversation add, in characters (default "
          + DEFAULT_MAX_INSTRUCTIONS_LENGTH + ").");
  /** The most nodes of a filter. */
  public static final ConfigKey<Integer> MAX_FILTER_NODES = ConfigKey.integer(
      "inmemory.max-filter-nodes", DEFAULT_MAX_FILTER_NODES, 1, 1_000_000,
      "The most nodes of a filter, combinators, comparisons and operators counted (default "
          + DEFAULT_MAX_FILTER_NODES + ").");
  /** The deepest nesting of a filter. */
  public static final ConfigKey<Integer> MAX_FILTER_DEPTH = ConfigKey.integer(
      "inmemory.max-filter-depth", DEFAULT_MAX_FILTER_DEPTH, 1, 1000,
      "The deepest nesting of AND, OR and NOT in a filter (default " + DEFAULT_MAX_FILTER_DEPTH
          + ").");
  /** The most values of one in or nin comparison. */
  public static final ConfigKey<Integer> MAX_FILTER_VALUES = ConfigKey.integer(
      "inmemory.max-filter-values", DEFAULT_MAX_FILTER_VALUES, 1, 1_000_000,
      "The most values of one in or nin comparison of a filter; a filter holds at most ten times"
          + " as many in all (default " + DEFAULT_MAX_FILTER_VALUES + ").");

  public Limits {
    for (long limit : new long[] {maxMemorySize, maxQueryLength, maxTemporalLength, maxTags,
        maxTagLength, maxPeople, maxPersonLength, maxTopicLength, maxMetadataSize,
        maxBatchSize, maxMessages, maxInstructionsLength, maxFilterNodes, maxFilterDepth,
        maxFilterValues}) {
      if (limit < 1) {
        throw new IllegalArgumentException("every limit must be at least 1: " + limit);
      }
    }
  }

  /**
   * The limits of issue 12's keys, with the conversation and filter limits at their defaults.
   */
  public Limits(long maxMemorySize, int maxQueryLength, int maxTemporalLength, int maxTags,
      int maxTagLength, int maxPeople, int maxPersonLength, int maxTopicLength,
      long maxMetadataSize, int maxBatchSize) {
    this(maxMemorySize, maxQueryLength, maxTemporalLength, maxTags, maxTagLength, maxPeople,
        maxPersonLength, maxTopicLength, maxMetadataSize, maxBatchSize, DEFAULT_MAX_MESSAGES,
        DEFAULT_MAX_INSTRUCTIONS_LENGTH, DEFAULT_MAX_FILTER_NODES, DEFAULT_MAX_FILTER_DEPTH,
        DEFAULT_MAX_FILTER_VALUES);
  }

  /** The limits with every key at its default. */
  public static Limits defaults() {
    return from(InMemoryConfig.builder().isolated().build());
  }

  /**
   * The limits of a configuration.
   *
   * @throws ConfigurationException when a key's value does not parse
   */
  public static Limits from(InMemoryConfig config) {
    return new Limits(config.get(InMemoryConfig.MAX_MEMORY_SIZE), config.get(MAX_QUERY_LENGTH),
        config.get(MAX_TEMPORAL_LENGTH), config.get(MAX_TAGS), config.get(MAX_TAG_LENGTH),
        config.get(MAX_PEOPLE), config.get(MAX_PERSON_LENGTH), config.get(MAX_TOPIC_LENGTH),
        config.get(MAX_METADATA_SIZE), config.get(MAX_BATCH_SIZE), config.get(MAX_MESSAGES),
        config.get(MAX_INSTRUCTIONS_LENGTH), config.get(MAX_FILTER_NODES),
        config.get(MAX_FILTER_DEPTH), config.get(MAX_FILTER_VALUES));
  }

  /** These limits with another {@link #maxMemorySize()}. */
  public Limits withMaxMemorySize(long bytes) {
    return new Limits(bytes, maxQueryLength, maxTemporalLength, maxTags, maxTagLength, maxPeople,
        maxPersonLength, maxTopicLength, maxMetadataSize, maxBatchSize, maxMessages,
        maxInstructionsLength, maxFilterNodes, maxFilterDepth, maxFilterValues);
  }

  /** The keys these limits are read from, besides {@link InMemoryConfig#MAX_MEMORY_SIZE}. */
  public static List<ConfigKey<?>> keys() {
    return List.of(MAX_QUERY_LENGTH, MAX_TEMPORAL_LENGTH, MAX_TAGS, MAX_TAG_LENGTH, MAX_PEOPLE,
        MAX_PERSON_LENGTH, MAX_TOPIC_LENGTH, MAX_METADATA_SIZE, MAX_BATCH_SIZE, MAX_MESSAGES,
        MAX_INSTRUCTIONS_LENGTH, MAX_FILTER_NODES, MAX_FILTER_DEPTH, MAX_FILTER_VALUES);
  }

  /**
   * Checks a memory to add.
   *
   * @throws ContentTooLargeException listing every value over its limit
   */
  public void check(AddRequest request) {
    checkAll(List.of(request));
  }

  /**
   * Checks a batch: its size first (a batch over it is not looked into), then every request, whose
   * fields are named {@code requests[i].content} and so on (just {@code content} in a batch of
   * one).
   *
   * @throws ContentTooLargeException listing every value over its limit
   */
  public void checkAll(List<AddRequest> requests) {
    checkBatchSize(requests.size());
    Overruns overruns = new Overruns();
    for (int i = 0; i < requests.size(); i++) {
      AddRequest request = requests.get(i);
      String prefix = requests.size() == 1 ? "" : "requests[" + i + "].";
      overruns.content(prefix + "content", request.content(), maxMemorySize);
      checkLabels(overruns, prefix, request.tags(), request.people(), request.topic(),
          request.metadata());
    }
    overruns.throwIfAny();
  }

  /**
   * Checks the size of a batch before its requests are built, so that a server need not build
   * millions of them to reject the batch.
   *
   * @throws ContentTooLargeException when {@code count} is over {@link #maxBatchSize()}
   */
  public void checkBatchSize(int count) {
    Overruns overruns = new Overruns();
    overruns.over("requests", "has", count, maxBatchSize, "requests", MAX_BATCH_SIZE);
    overruns.throwIfAny();
  }

  /**
   * Checks a conversation: the number of messages first (a conversation over it is not looked
   * into), then each message's content ({@code messages[i].content}, as a memory's), speaker name
   * (as a person's) and metadata (as its memory keeps it: {@link
   * ConversationRequest#metadataOf(Message)}, the request's with the message's and its id), the
   * instructions, and the tags, topic and metadata given to every memory (an overrun of the
   * request's metadata is reported once, as {@code metadata}).
   *
   * @throws ContentTooLargeException listing every value over its limit
   */
  public void check(ConversationRequest request) {
    Overruns overruns = new Overruns();
    List<Message> messages = request.messages();
    overruns.over("messages", "has", messages.size(), maxMessages, "messages", MAX_MESSAGES);
    overruns.throwIfAny();
    // a memory keeps the request's metadata with its message's: measured as kept, once the
    // request's alone fits (over, it would be reported again for every message)
    boolean requestMetadataFits =
        Values.estimatedJsonSize(request.metadata()) <= maxMetadataSize;
    for (int i = 0; i < messages.size(); i++) {
      Message message = messages.get(i);
      String prefix = "messages[" + i + "].";
      overruns.content(prefix + "content", message.content(), maxMemorySize);
      if (message.name() != null) {
        overruns.over(prefix + "name", "is", message.name().length(), maxPersonLength,
            "characters", MAX_PERSON_LENGTH);
      }
      Map<String, Object> kept = request.metadataOf(message);
      if (requestMetadataFits && kept != request.metadata()) {
        checkLabels(overruns, prefix, null, null, null, kept);
      }
    }
    if (request.instructions() != null) {
      overruns.over("instructions", "is", request.instructions().length(), maxInstructionsLength,
          "characters", MAX_INSTRUCTIONS_LENGTH);
    }
    checkLabels(overruns, "", request.tags(), null, request.topic(), request.metadata());
    overruns.throwIfAny();
  }

  /**
   * Checks a search: query, temporal phrase and every filter.
   *
   * @throws ContentTooLargeException listing every value over its limit
   */
  public void check(SearchRequest request) {
    Overruns overruns = new Overruns();
    if (request.query() != null) {
      overruns.over("query", "is", request.query().length(), maxQueryLength, "characters",
          MAX_QUERY_LENGTH);
    }
    if (request.temporal() != null) {
      overruns.over("temporal", "is", request.temporal().length(), maxTemporalLength,
          "characters", MAX_TEMPORAL_LENGTH);
    }
    checkLabels(overruns, "", request.tags(), request.people(), request.topic(),
        request.metadata());
    checkFilter(overruns, request.filter());
    overruns.throwIfAny();
  }

  /**
   * How these limits word a value over one of them: what was measured ({@code "has 101 values"}),
   * the maximum and the key that sets it. A reader that checks a limit while it parses (the
   * server's) words it with this, so that it fails exactly as the engine's check would.
   */
  public static String overMaximum(String measured, long max, ConfigKey<?> key) {
    return measured + ", over the maximum of " + max + " (set " + key.name() + " to change it)";
  }

  /**
   * Checks a listing: its filter.
   *
   * @throws ContentTooLargeException listing every value over its limit
   */
  public void check(ListRequest request) {
    Overruns overruns = new Overruns();
    checkFilter(overruns, request.filter());
    overruns.throwIfAny();
  }

  /**
   * The sizes of a filter: its nodes (a combinator counts one, a comparison two: its field and
   * its operator), its depth (the combinators on its longest path), the values of each
   * {@code in}/{@code nin} and of all of them, and its values' JSON size, which counts toward
   * {@link #maxMetadataSize()} as a metadata filter does.
   */
  private void checkFilter(Overruns overruns, @Nullable MemoryFilter filter) {
    if (filter == null) {
      return;
    }
    FilterSize size = new FilterSize(maxFilterValues);
    size.add(filter, 0);
    overruns.over("filter", "has", size.nodes, maxFilterNodes, "nodes", MAX_FILTER_NODES);
    overruns.over("filter", "nests", size.depth, maxFilterDepth, "levels deep", MAX_FILTER_DEPTH);
    if (size.widest != null) {
      overruns.over("filter", size.widest.field().label() + " " + size.widest.op().label()
          + " has", ((List<?>) size.widest.value()).size(), maxFilterValues, "values",
          MAX_FILTER_VALUES);
    }
    overruns.over("filter", "has", size.values, 10L * maxFilterValues, "values in all",
        MAX_FILTER_VALUES);
    overruns.over("filter", "is about", size.bytes, maxMetadataSize, "bytes as JSON",
        MAX_METADATA_SIZE);
  }

  /** The sizes of a filter, summed over its tree. */
  private static final class FilterSize {
    private final int maxValues;
    long nodes;
    int depth;
    long values;
    long bytes;
    /** The first in/nin with more values than allowed, or null. */
    MemoryFilter.@Nullable Compare widest;

    FilterSize(int maxValues) {
      this.maxValues = maxValues;
    }

    void add(MemoryFilter filter, int level) {
      if (filter instanceof MemoryFilter.Compare compare) {
        nodes += 2;
        bytes += compare.field().label().length() + 3 + Values.estimatedJsonSize(compare.value());
        if (compare.value() instanceof List<?> list
            && (compare.op() == MemoryFilter.Op.IN || compare.op() == MemoryFilter.Op.NIN)) {
          values += list.size();
          if (widest == null && list.size() > maxValues) {
            widest = compare;
          }
        } else {
          values++;
        }
        return;
      }
      nodes++;
      List<MemoryFilter> children = filter instanceof MemoryFilter.All all ? all.filters()
          : filter instanceof MemoryFilter.Any any ? any.filters()
          : List.of(((MemoryFilter.Not) filter).filter());
      for (MemoryFilter child : children) {
        add(child, level + 1);
      }
      depth = Math.max(depth, level + 1);
    }
  }

  /**
   * Checks the new values of an update (the fields it leaves unchanged are not looked at).
   *
   * @throws ContentTooLargeException listing every value over its limit
   */
  public void check(UpdateRequest request) {
    Overruns overruns = new Overruns();
    if (request.content() != null) {
      overruns.content("content", request.content(), maxMemorySize);
    }
    checkLabels(overruns, "", request.tags(), request.people(), request.topic(),
        request.metadata());
    overruns.throwIfAny();
  }

  private void checkLabels(Overruns overruns, String prefix, @Nullable List<String> tags,
      @Nullable List<String> people, @Nullable String topic,
      @Nullable Map<String, Object> metadata) {
    if (tags != null) {
      overruns.list(prefix + "tags", tags, maxTags, "tags", MAX_TAGS, "tag", maxTagLength,
          MAX_TAG_LENGTH);
    }
    if (people != null) {
      overruns.list(prefix + "people", people, maxPeople, "people", MAX_PEOPLE, "name",
          maxPersonLength, MAX_PERSON_LENGTH);
    }
    if (topic != null) {
      overruns.over(prefix + "topic", "is", topic.length(), maxTopicLength, "characters",
          MAX_TOPIC_LENGTH);
    }
    if (metadata != null && !metadata.isEmpty()) {
      overruns.over(prefix + "metadata", "is about", Values.estimatedJsonSize(metadata),
          maxMetadataSize, "bytes as JSON", MAX_METADATA_SIZE);
    }
  }

  /** The values found over their limits, and the sizes of the first. */
  private static final class Overruns {
    private final List<InvalidRequestException.Violation> violations = new ArrayList<>();
    private long size;
    private long maxSize;

    void content(String field, String content, long max) {
      long bytes = Values.utf8Length(content);
      if (bytes > max) {
        record(field, ContentTooLargeException.contentProblem(bytes, max), bytes, max);
      }
    }

    /** The list's size, then its first entry over {@code maxLength}. */
    void list(String field, List<String> values, int max, String plural, ConfigKey<?> key,
        String singular, int maxLength, ConfigKey<?> lengthKey) {
      over(field, "has", values.size(), max, plural, key);
      for (String value : values) {
        if (value.length() > maxLength) {
          over(field, singular + " '" + Values.abbreviate(value) + "' is", value.length(),
              maxLength, "characters", lengthKey);
          return;
        }
      }
    }

    void over(String field, String verb, long actual, long max, String unit, ConfigKey<?> key) {
      if (actual > max) {
        record(field, overMaximum(verb + " " + actual + " " + unit, max, key), actual, max);
      }
    }

    private void record(String field, String problem, long actual, long max) {
      if (violations.isEmpty()) {
        size = actual;
        maxSize = max;
      }
      violations.add(new InvalidRequestException.Violation(field, problem));
    }

    void throwIfAny() {
      if (!violations.isEmpty()) {
        throw new ContentTooLargeException(violations, size, maxSize);
      }
    }
  }
}
