package io.inmemory.cli.imports;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inmemory.ConversationRequest;
import io.inmemory.Message;
import io.inmemory.Role;
import io.inmemory.Scope;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A conversational-memory dataset in the LoCoMo JSON format: a list of samples, each a
 * conversation in numbered sessions ({@code session_N} turn lists with {@code session_N_date_time})
 * and questions whose evidence names the turns ({@code dia_id}) that answer them. Fields the
 * format has beyond these are ignored. Immutable and thread-safe.
 *
 * <p><b>Dates.</b> Session times such as "1:56 pm on 8 May, 2023" carry no zone; they are read as
 * UTC. A session with turns but no parsable time is an error.
 *
 * <p><b>Evidence.</b> Each evidence string may hold several ids separated by {@code ;}, {@code ,}
 * or white space. Two unambiguous typos are normalized: leading zeros in a number
 * ({@code D30:05} → {@code D30:5}) and a colon between {@code D} and the session
 * ({@code D:11:26} → {@code D11:26}). An id that still does not name a turn of its sample (a bare
 * {@code D}, or a turn past the end of its session) is skipped; a question left with no valid
 * evidence is kept but {@linkplain Question#evidence() has none} and is not scored. Every
 * normalization and skip is counted in {@link EvidenceStats}.
 *
 * <p><b>Observations.</b> A sample's {@code observation} member, when present, holds per session
 * ({@code session_N_observation}) the facts the dataset's authors drew from it: a map of speaker
 * to a list of {@code [text, evidence]}, the evidence a turn id, several in one string
 * ({@code "D8:6, D8:8"}) or a list of them. Ids are split and normalized as question evidence is;
 * an id that names no turn of its own session, or observations of a session that has no turns,
 * are an error (a fact would otherwise lose its origin unseen).
 *
 * @param samples the samples, in file order
 * @param evidence what happened to the evidence ids while reading
 */
public record LocomoConversations(List<Sample> samples, EvidenceStats evidence) {

  private static final DateTimeFormatter SESSION_TIME = new DateTimeFormatterBuilder()
      .parseCaseInsensitive()
      .appendPattern("h:mm a 'on' d MMMM, uuuu")
      .toFormatter(Locale.ENGLISH)
      .withResolverStyle(ResolverStyle.STRICT);
  private static final Pattern SESSION_KEY = Pattern.compile("session_(\\d+)");
  private static final Pattern OBSERVATION_KEY = Pattern.compile("session_(\\d+)_observation");
  private static final Pattern EVIDENCE_SEPARATORS = Pattern.compile("[;,\\s]+");
  private static final Pattern USER_ID_INVALID = Pattern.compile("[^A-Za-z0-9._@:+-]");
  private static final Pattern EVIDENCE_ID = Pattern.compile("D:?0*(\\d+):0*(\\d+)");

  /** Copies the samples. */
  public LocomoConversations {
    samples = List.copyOf(samples);
    Objects.requireNonNull(evidence, "evidence");
  }

  /** Reads a dataset file; see the class comment for how quirks are handled. */
  public static LocomoConversations read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return parse(in);
    }
  }

  /**
   * Parses a dataset.
   *
   * @throws IllegalArgumentException when the JSON does not have the LoCoMo shape
   */
  public static LocomoConversations parse(InputStream in) throws IOException {
    JsonNode root = new ObjectMapper().readTree(in);
    if (root == null || !root.isArray()) {
      throw new IllegalArgumentException("a LoCoMo file is a JSON list of samples");
    }
    List<Sample> samples = new ArrayList<>();
    for (JsonNode sample : root) {
      samples.add(sample(sample));
    }
    return new LocomoConversations(samples, totalEvidence(samples));
  }

  /** The first {@code count} samples, with evidence statistics recounted for them. */
  public LocomoConversations firstSamples(int count) {
    return count >= samples.size() ? this : samples(0, count);
  }

  /**
   * The samples from index {@code from} (inclusive) to {@code to} (exclusive), with evidence
   * statistics recounted for them.
   *
   * @throws IndexOutOfBoundsException when the range is not within the samples
   */
  public LocomoConversations samples(int from, int to) {
    List<Sample> kept = samples.subList(from, to);
    return new LocomoConversations(kept, totalEvidence(kept));
  }

  private static EvidenceStats totalEvidence(List<Sample> samples) {
    return samples.stream().map(Sample::evidenceStats)
        .reduce(EvidenceStats.NONE, EvidenceStats::plus);
  }

  /** The turns of every sample. */
  public int turnCount() {
    return samples.stream().mapToInt(Sample::turnCount).sum();
  }

  /** The questions of every sample. */
  public int questionCount() {
    return samples.stream().mapToInt(sample -> sample.questions().size()).sum();
  }

  /** Each session of a sample with a turn to say as one {@link #conversation}. */
  public static List<ConversationRequest> conversations(Sample sample, String user,
      TurnContent content) {
    return sample.sessions().stream()
        .flatMap(session -> conversation(sample, session, user, content).stream()).toList();
  }

  /**
   * A session as one conversation of the sample's user and the session: each turn with content
   * (as {@code content} forms it) a message of the sample's first speaker (the user) or second
   * (the assistant), named by its speaker, at the session's time, with its turn id as its id and
   * metadata {@code dia_id} and {@code session}; empty when no turn has content.
   */
  public static Optional<ConversationRequest> conversation(Sample sample, Session session, String user,
      TurnContent content) {
    List<Message> messages = new ArrayList<>();
    for (Turn turn : session.turns()) {
      String text = content.form(turn);
      if (text.isBlank()) {
        continue;
      }
      Role role = turn.speaker().equals(sample.speakerA()) ? Role.USER : Role.ASSISTANT;
      messages.add(Message.of(role, text).withName(turn.speaker()).withTimestamp(session.time())
          .withId(turn.diaId())
          .withMetadata(Map.of("dia_id", turn.diaId(), "session", session.number())));
    }
    return messages.isEmpty() ? Optional.empty() : Optional.of(ConversationRequest.builder(
        Scope.user(user).withSession("session_" + session.number())).messages(messages).build());
  }

  /**
   * Each sample's user id: its sample id with characters a user id cannot hold replaced by
   * {@code -}, cut to 128 characters.
   *
   * @throws IllegalArgumentException when two samples would share a user
   */
  public static Map<String, String> users(LocomoConversations dataset) {
    Map<String, String> users = new LinkedHashMap<>();
    Map<String, String> owners = new HashMap<>();
    for (Sample sample : dataset.samples()) {
      String user = userId(sample.sampleId());
      String previous = owners.putIfAbsent(user, sample.sampleId());
      if (previous != null) {
        throw new IllegalArgumentException("samples " + previous + " and " + sample.sampleId()
            + " both map to user " + user);
      }
      users.put(sample.sampleId(), user);
    }
    return users;
  }

  /** A sample's user id; see {@link #users}. */
  public static String userId(String sampleId) {
    String user = USER_ID_INVALID.matcher(sampleId).replaceAll("-");
    if (!Character.isLetterOrDigit(user.charAt(0))) {
      user = "s" + user;
    }
    return user.length() > 128 ? user.substring(0, 128) : user;
  }

  private static Sample sample(JsonNode node) {
    String sampleId = text(node, "sample_id", "a sample");
    JsonNode conversation = required(node, "conversation", sampleId);
    List<Session> sessions = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = conversation.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      Matcher matcher = SESSION_KEY.matcher(field.getKey());
      if (matcher.matches()) {
        int number = Integer.parseInt(matcher.group(1));
        String timeKey = field.getKey() + "_date_time";
        sessions.add(new Session(number,
            sessionTime(conversation.path(timeKey).asText(""), sampleId, timeKey),
            turns(field.getValue(), sampleId, field.getKey())));
      }
    }
    sessions.sort(Comparator.comparingInt(Session::number));
    Set<String> turnIds = new HashSet<>();
    for (Session session : sessions) {
      for (Turn turn : session.turns()) {
        if (!turnIds.add(turn.diaId())) {
          throw new IllegalArgumentException(sampleId + ": turn id " + turn.diaId() + " repeats");
        }
      }
    }
    sessions = observed(sessions, node.path("observation"), sampleId);
    EvidenceCounter counter = new EvidenceCounter();
    List<Question> questions = new ArrayList<>();
    for (JsonNode qa : node.path("qa")) {
      questions.add(new Question(text(qa, "question", sampleId + " qa"),
          qa.path("category").asInt(0), evidence(qa.path("evidence"), turnIds, counter)));
    }
    return new Sample(sampleId, text(conversation, "speaker_a", sampleId),
        text(conversation, "speaker_b", sampleId), sessions, questions, counter.stats());
  }

  private static List<Turn> turns(JsonNode list, String sampleId, String key) {
    if (!list.isArray()) {
      throw new IllegalArgumentException(sampleId + ": " + key + " is not a list of turns");
    }
    List<Turn> turns = new ArrayList<>();
    for (JsonNode turn : list) {
      String caption = turn.path("blip_caption").asText("").strip();
      String where = sampleId + " " + key;
      turns.add(new Turn(text(turn, "speaker", where), text(turn, "dia_id", where),
          turn.path("text").asText(""), caption.isEmpty() ? null : caption));
    }
    return turns;
  }

  /** The sessions with the observations {@code observation} holds for them. */
  private static List<Session> observed(List<Session> sessions, JsonNode observation,
      String sampleId) {
    Map<Integer, JsonNode> bySession = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = observation.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      Matcher matcher = OBSERVATION_KEY.matcher(field.getKey());
      if (matcher.matches()) {
        bySession.put(Integer.parseInt(matcher.group(1)), field.getValue());
      }
    }
    List<Session> observed = new ArrayList<>(sessions.size());
    for (Session session : sessions) {
      JsonNode speakers = bySession.remove(session.number());
      observed.add(speakers == null ? session : new Session(session.number(), session.time(),
          session.turns(), observations(speakers, session, sampleId)));
    }
    if (!bySession.isEmpty()) {
      throw new IllegalArgumentException(sampleId + ": observations of sessions "
          + new TreeSet<>(bySession.keySet()) + ", which have no turns");
    }
    return observed;
  }

  private static List<Observation> observations(JsonNode speakers, Session session,
      String sampleId) {
    String where = sampleId + " session_" + session.number() + "_observation";
    if (!speakers.isObject()) {
      throw new IllegalArgumentException(where + " is not a map of speaker to facts");
    }
    Set<String> turnIds = new HashSet<>();
    session.turns().forEach(turn -> turnIds.add(turn.diaId()));
    List<Observation> observations = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = speakers.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> speaker = it.next();
      for (JsonNode fact : speaker.getValue()) {
        if (!fact.isArray() || fact.size() != 2 || fact.get(0).asText("").isBlank()) {
          throw new IllegalArgumentException(where + ": " + speaker.getKey() + "'s fact " + fact
              + " is not [text, evidence]");
        }
        List<String> evidence = new ArrayList<>();
        JsonNode ids = fact.get(1);
        Iterable<JsonNode> entries = ids.isArray() ? ids : List.of(ids);
        for (JsonNode entry : entries) {
          for (String raw : EVIDENCE_SEPARATORS.split(entry.asText("").strip())) {
            String id = normalized(raw);
            if (!turnIds.contains(id)) {
              throw new IllegalArgumentException(where + ": evidence '" + raw + "' of "
                  + speaker.getKey() + "'s fact names no turn of the session");
            }
            if (!evidence.contains(id)) {
              evidence.add(id);
            }
          }
        }
        observations.add(new Observation(speaker.getKey(), fact.get(0).asText().strip(),
            evidence));
      }
    }
    return observations;
  }

  /** An evidence id with the typos of the class comment corrected; others as they are. */
  private static String normalized(String raw) {
    Matcher matcher = EVIDENCE_ID.matcher(raw);
    return matcher.matches() ? "D" + matcher.group(1) + ":" + matcher.group(2) : raw;
  }

  /** Parses "1:56 pm on 8 May, 2023" as UTC. */
  private static Instant sessionTime(String text, String sampleId, String key) {
    try {
      return LocalDateTime.parse(text.strip(), SESSION_TIME).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(sampleId + ": " + key + " '" + text
          + "' is not a time like '1:56 pm on 8 May, 2023'", e);
    }
  }

  private static List<String> evidence(JsonNode list, Set<String> turnIds,
      EvidenceCounter counter) {
    List<String> valid = new ArrayList<>();
    for (JsonNode entry : list) {
      for (String raw : EVIDENCE_SEPARATORS.split(entry.asText("").strip())) {
        if (raw.isEmpty()) {
          continue;
        }
        String id = normalized(raw);
        if (!turnIds.contains(id)) {
          counter.skipped(raw);
        } else {
          counter.valid(!id.equals(raw));
          if (!valid.contains(id)) {
            valid.add(id);
          }
        }
      }
    }
    counter.question(valid.isEmpty());
    return valid;
  }

  private static JsonNode required(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException(where + ": missing '" + field + "'");
    }
    return value;
  }

  private static String text(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || !value.isValueNode() || value.asText().isBlank()) {
      throw new IllegalArgumentException(where + ": missing or blank '" + field + "'");
    }
    return value.asText();
  }

  /**
   * One conversation and its questions.
   *
   * @param sampleId the dataset's id of the sample
   * @param speakerA the first speaker's name
   * @param speakerB the second speaker's name
   * @param sessions the sessions, by number
   * @param questions the questions, in file order (including those without valid evidence)
   * @param evidenceStats what happened to this sample's evidence ids
   */
  public record Sample(String sampleId, String speakerA, String speakerB, List<Session> sessions,
      List<Question> questions, EvidenceStats evidenceStats) {
    /** Checks and copies the components. */
    public Sample {
      Objects.requireNonNull(sampleId, "sampleId");
      sessions = List.copyOf(sessions);
      questions = List.copyOf(questions);
      Objects.requireNonNull(evidenceStats, "evidenceStats");
    }

    /** Its turns, in every session. */
    public int turnCount() {
      return sessions.stream().mapToInt(session -> session.turns().size()).sum();
    }
  }

  /**
   * A session of a conversation.
   *
   * @param number the N of {@code session_N}
   * @param time when it happened (read as UTC)
   * @param turns its turns, in order
   * @param observations the dataset's facts of the session, speaker by speaker; empty when it
   *     has none
   */
  public record Session(int number, Instant time, List<Turn> turns, List<Observation> observations) {
    /** Checks and copies the components. */
    public Session {
      Objects.requireNonNull(time, "time");
      turns = List.copyOf(turns);
      observations = List.copyOf(observations);
    }

    /** A session without observations. */
    public Session(int number, Instant time, List<Turn> turns) {
      this(number, time, turns, List.of());
    }
  }

  /**
   * A fact the dataset draws from a session.
   *
   * @param speaker whom it is about (the speaker it is listed under)
   * @param text the fact
   * @param evidence the ids of the session's turns it comes from, normalized, without repeats;
   *     never empty
   */
  public record Observation(String speaker, String text, List<String> evidence) {
    /** Checks and copies the components. */
    public Observation {
      Objects.requireNonNull(speaker, "speaker");
      Objects.requireNonNull(text, "text");
      evidence = List.copyOf(evidence);
      if (evidence.isEmpty()) {
        throw new IllegalArgumentException("the fact '" + text + "' names no turn");
      }
    }
  }

  /**
   * One utterance.
   *
   * @param speaker who said it
   * @param diaId its id, such as {@code D3:14} (session 3, turn 14)
   * @param text what was said; may be empty when only an image was shared
   * @param caption a caption of the image shared with it, or {@code null}
   */
  public record Turn(String speaker, String diaId, String text, String caption) {
    /** Checks and copies the components. */
    public Turn {
      Objects.requireNonNull(speaker, "speaker");
      Objects.requireNonNull(diaId, "diaId");
      Objects.requireNonNull(text, "text");
    }
  }

  /**
   * A question about a conversation.
   *
   * @param question the question
   * @param category 1 multi-hop, 2 temporal, 3 open-domain, 4 single-hop, 5 adversarial
   * @param evidence the valid, normalized, de-duplicated ids of the turns that answer it; empty
   *     when it has none
   */
  public record Question(String question, int category, List<String> evidence) {
    /** Checks and copies the components. */
    public Question {
      Objects.requireNonNull(question, "question");
      evidence = List.copyOf(evidence);
    }
  }

  /**
   * Counts of evidence handling.
   *
   * @param ids evidence ids read (after splitting lists)
   * @param normalized ids accepted after normalization
   * @param skippedIds the ids that name no turn and were dropped, as written
   * @param questionsWithoutEvidence questions left with no valid evidence (not scored)
   */
  public record EvidenceStats(int ids, int normalized, List<String> skippedIds,
      int questionsWithoutEvidence) {
    /** Nothing read. */
    public static final EvidenceStats NONE = new EvidenceStats(0, 0, List.of(), 0);

    /** Checks and copies the components. */
    public EvidenceStats {
      skippedIds = List.copyOf(skippedIds);
    }

    /** How many ids were dropped. */
    @JsonProperty
    public int skipped() {
      return skippedIds.size();
    }

    /** These counts and {@code other}'s together. */
    public EvidenceStats plus(EvidenceStats other) {
      List<String> allSkipped = new ArrayList<>(skippedIds);
      allSkipped.addAll(other.skippedIds);
      return new EvidenceStats(ids + other.ids, normalized + other.normalized, allSkipped,
          questionsWithoutEvidence + other.questionsWithoutEvidence);
    }
  }

  /** Accumulates {@link EvidenceStats} while parsing one sample; not thread-safe. */
  private static final class EvidenceCounter {
    private int ids;
    private int normalized;
    private final List<String> skippedIds = new ArrayList<>();
    private int questionsWithoutEvidence;

    void valid(boolean wasNormalized) {
      ids++;
      normalized += wasNormalized ? 1 : 0;
    }

    void skipped(String raw) {
      ids++;
      skippedIds.add(raw);
    }

    void question(boolean withoutEvidence) {
      questionsWithoutEvidence += withoutEvidence ? 1 : 0;
    }

    EvidenceStats stats() {
      return new EvidenceStats(ids, normalized, skippedIds, questionsWithoutEvidence);
    }
  }

  /**
   * How a conversation turn becomes the content of one memory. Each mode is what a generic chat
   * importer could do with any conversation; none relies on knowing the questions. Immutable.
   */
  public enum TurnContent {
    /** The words said, nothing else. */
    TEXT,
    /** The words said, then {@code " [image: caption]"} when an image was shared. */
    CAPTION,
    /** {@code "Speaker: "}, the words said and the image caption as in {@link #CAPTION}. */
    SPEAKER;

    /**
     * The memory content of a turn: blank exactly when the mode keeps nothing of it, so that every
     * mode skips the same empty turns.
     */
    public String form(Turn turn) {
      String said = turn.text().strip();
      if (this != TEXT && turn.caption() != null) {
        said = (said + " [image: " + turn.caption() + "]").strip();
      }
      return this == SPEAKER && !said.isEmpty() ? turn.speaker() + ": " + said : said;
    }

    /** The mode's option value, such as {@code caption}. */
    public String optionName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The mode named by an option value.
     *
     * @throws IllegalArgumentException naming the valid values when there is no such mode
     */
    public static TurnContent fromOption(String value) {
      return Arrays.stream(values()).filter(mode -> mode.optionName().equals(value)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("--content must be one of "
              + Arrays.stream(values()).map(TurnContent::optionName).toList() + ", was " + value));
    }
  }
}
