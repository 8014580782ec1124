package io.inmemory.bench;

import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.UserMessage;
import io.inmemory.ConversationRequest;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryRecord;
import io.inmemory.Scope;
import io.inmemory.bench.EngineBench.Engine;
import io.inmemory.cli.imports.LocomoConversations.Question;
import io.inmemory.cli.imports.LocomoConversations.Sample;
import io.inmemory.cli.imports.LocomoConversations.Session;
import io.inmemory.cli.imports.LocomoConversations.Turn;
import io.inmemory.cli.imports.LocomoConversations.TurnContent;
import io.inmemory.cli.imports.LocomoConversations;
import io.inmemory.embeddings.onnx.OnnxEmbedder;
import io.inmemory.langchain4j.InMemoryChatMemoryStore;
import io.inmemory.langchain4j.InMemoryContentRetriever;
import io.inmemory.langchain4j.InMemoryConversationRecorder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * What InMemory's LangChain4j integration ({@code inmemory-langchain4j}) costs an agent per turn,
 * and what it recalls, on the LoCoMo conversations. Every assistant is an {@code AiServices}
 * {@link Assistant} over {@link AgentModel}, a chat model that answers at once, so a turn's time
 * is LangChain4j's and InMemory's alone; InMemory is the local engine over the file store (default
 * settings: fsync on every write) in a temporary folder, with the default offline ONNX embedder.
 *
 * <p><b>Turn overhead.</b> The user turns of the conversations (speaker A is the user, who types
 * the words said; one chat memory id {@code <user>/session_<N>} per session, one user per
 * conversation) are replayed through four assistants, each with a fresh engine: (a) no InMemory,
 * LangChain4j's own in-memory chat memory; (b) {@link InMemoryChatMemoryStore} under the
 * {@code MessageWindowChatMemory} of {@value #WINDOW}; (c) plus {@link InMemoryContentRetriever}
 * (top {@value #TOP}); (d) plus {@link InMemoryConversationRecorder} recording each turn in the
 * call. Before the replay each replayed user's memory holds their whole conversation (each session
 * one conversation request, turns as {@code "Speaker: words"}), so the retriever searches a real
 * user's memory; the replayed words are not those texts, so the recorder's messages are never
 * de-duplicated against them. The warm-up turns come from the end of the dataset, the timed ones
 * from its start, so no timed text was embedded before. Each {@code assistant.chat} is timed; a
 * configuration's figures are the medians over the rounds of each round's percentiles.
 *
 * <p><b>Recall through the integration.</b> Every session of every conversation is replayed
 * through an assistant with the window store and the recorder: each call's user message is a turn
 * of speaker A and the model answers with the turn of speaker B that follows it, so the recorder
 * records both, one memory each (a session opened by speaker B — the assistant cannot speak first
 * — sends that opening turn as the user's message, with nothing answered; a last turn of A gets an
 * empty answer, which the recorder leaves out). Turns are
 * {@code "Speaker: words [image: caption]"} by default ({@code --content}), as the {@code locomo}
 * benchmark stores them. Then each question with evidence is asked through an assistant with the
 * window store and the retriever, in a new chat memory id {@code <user>/question-<n>} of the
 * conversation's user (its turns are not recorded, so no question recalls an earlier one), and an
 * evidence turn counts as recalled when its text is one of the contents LangChain4j's default
 * content injector put into the prompt the model received. The same questions are also asked of
 * the client directly ({@code search(question, user, 5)}) on the same store, to tell the
 * integration from the ranking.
 *
 * <p>Usage: see {@link #USAGE}. Writes {@code agent.md} and {@code agent.json} into {@code --out}
 * ({@value Report#DEFAULT_FOLDER}); with {@code --answers replies}, {@code agent-replies.md} and
 * {@code .json}. Not thread-safe; one run at a time.
 */
final class AgentBench {
  static final int WINDOW = 20;
  static final int TOP = 5;
  static final String USAGE = "usage: agent <locomo10.json> [--turns 300] [--warmup 50]"
      + " [--rounds 3] [--answers fixed|replies] [--samples N] [--content text|caption|speaker]"
      + " [--part both|overhead|recall] [--window-keeps-recalled true|false]"
      + " [--machine 'how busy the machine was'] [--out "
      + Report.DEFAULT_FOLDER + "]";

  /** The AI service of every configuration. */
  interface Assistant {
    String chat(@MemoryId String chat, @UserMessage String text);
  }

  /**
   * Which pieces of the integration an assistant has.
   *
   * @param label how the report names it
   * @param windows chat windows in {@link InMemoryChatMemoryStore}, else in LangChain4j's own
   *     in-memory store
   * @param retriever recall by {@link InMemoryContentRetriever}
   * @param recorder turns recorded by {@link InMemoryConversationRecorder}, in the call
   */
  record Wiring(String label, boolean windows, boolean retriever, boolean recorder) {
    Wiring {
      if (!windows && (retriever || recorder)) {
        throw new IllegalArgumentException("a configuration without InMemory windows has no"
            + " InMemory: " + label);
      }
    }
  }

  static final List<Wiring> CONFIGURATIONS = List.of(
      new Wiring("(a) no InMemory: LangChain4j's in-memory chat memory", false, false, false),
      new Wiring("(b) InMemory window store", true, false, false),
      new Wiring("(c) + retriever", true, true, false),
      new Wiring("(d) + recorder (sync)", true, true, true));
  private static final Wiring INGEST = new Wiring("ingest", true, false, true);
  private static final Wiring ASK = new Wiring("ask", true, true, false);

  /**
   * One configuration's timed turns in one round.
   *
   * @param nanos each call's time
   * @param embedded texts the embedding model ran on during the timed calls
   */
  record Replay(long[] nanos, long embedded) {}

  /**
   * A turn of the user to replay.
   *
   * @param sample its conversation
   * @param chatId the chat memory id of its session
   * @param text what the user says
   * @param reply what the other speaker said next, or {@code null}: nothing
   */
  record UserTurn(Sample sample, String chatId, String text, String reply) {
    UserTurn {
      Objects.requireNonNull(sample, "sample");
      Objects.requireNonNull(chatId, "chatId");
      Objects.requireNonNull(text, "text");
    }
  }

  /**
   * One call of a replayed session.
   *
   * @param said the turn the user's message says
   * @param reply the turn the model answers with, or {@code null}: nothing
   */
  record Exchange(Turn said, Turn reply) {
    Exchange {
      Objects.requireNonNull(said, "said");
    }
  }

  /**
   * Evidence recall through the prompt and through the client.
   *
   * @param prompt by what reached the model's prompt
   * @param direct by {@code search(question, user, 5)}
   */
  private record Recall(RetrievalMetrics prompt, RetrievalMetrics direct) {}

  private AgentBench() {}

  public static void main(String[] args) throws IOException {
    Options options = Options.parse(args);
    if (options.positional().size() != 1) {
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    String part = options.get("part", "both");
    if (!List.of("both", "overhead", "recall").contains(part)) {
      throw new IllegalArgumentException("--part is both, overhead or recall, was " + part);
    }
    LocomoConversations dataset = LocomoConversations.read(Path.of(options.positional().get(0)))
        .firstSamples(options.integer("samples", Integer.MAX_VALUE));
    Map<String, String> users = LocomoConversations.users(dataset);
    String answers = options.get("answers", "fixed");
    if (!List.of("fixed", "replies").contains(answers)) {
      throw new IllegalArgumentException("--answers is fixed or replies, was " + answers);
    }
    // LangChain4j's default (true) stores the recalled memories in the window with the user's
    // message; false is AiServices.storeRetrievedContentInChatMemory(false)
    boolean keepRecalled = Boolean.parseBoolean(options.get("window-keeps-recalled", "true"));
    // the variants sit beside the default report, as index --jvms does
    Report report = Report.of((answers.equals("fixed") ? "agent" : "agent-replies")
            + (keepRecalled ? "" : "-words-only"), "agent",
        "What the LangChain4j integration costs an agent per turn, and what it recalls", args);
    double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    try (OnnxEmbedder onnx = OnnxEmbedder.builder().build()) {
      report.note("LangChain4j 1.19.0 `AiServices` assistant over a scripted `ChatModel` that"
          + " answers at once (no model runs); InMemory's local engine on the file store (default"
          + " settings: fsync on every write) in a temporary folder, embedder `" + onnx.id()
          + "`; `MessageWindowChatMemory` of " + WINDOW + " messages, retriever top " + TOP
          + (keepRecalled ? ", the window keeps the recalled memories with the user's message"
              + " (LangChain4j's default)" : ", the window keeps the user's words only"
              + " (`storeRetrievedContentInChatMemory(false)`)") + ". Machine: "
          + options.get("machine", "not stated") + ".");
      if (!part.equals("recall")) {
        overhead(report, dataset, users, onnx, options, answers.equals("replies"), keepRecalled);
      }
      if (!part.equals("overhead")) {
        TurnContent content = TurnContent.fromOption(options.get("content",
            LocomoOptions.DEFAULT_CONTENT.optionName()));
        recall(report, dataset, users, content, onnx, keepRecalled);
      }
    }
    report.note(String.format(Locale.ROOT, "System load average (1 min) at the start %.2f, at the"
        + " end %.2f.", loadBefore,
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
    report.write(options);
  }

  // ---- turn overhead ----

  private static void overhead(Report report, LocomoConversations dataset, Map<String, String> users,
      OnnxEmbedder onnx, Options options, boolean replies, boolean keepRecalled) {
    int turns = options.integer("turns", 300);
    int warmup = options.integer("warmup", 50);
    int rounds = options.integer("rounds", 3);
    List<UserTurn> all = userTurns(dataset, users, TurnContent.TEXT);
    if (turns < 1 || warmup < 0 || rounds < 1 || turns + warmup > all.size()) {
      throw new IllegalArgumentException("--turns (" + turns + ") must be positive, --warmup ("
          + warmup + ") not negative, their sum at most the " + all.size() + " user turns, and"
          + " --rounds (" + rounds + ") positive");
    }
    List<UserTurn> timed = all.subList(0, turns);
    List<UserTurn> warm = all.subList(all.size() - warmup, all.size());
    Set<Sample> seeded = new LinkedHashSet<>();
    timed.forEach(turn -> seeded.add(turn.sample()));
    warm.forEach(turn -> seeded.add(turn.sample()));
    Map<Wiring, List<Replay>> byWiring = new LinkedHashMap<>();
    for (int round = 1; round <= rounds; round++) {
      for (Wiring wiring : CONFIGURATIONS) {
        Replay replay = replay(wiring, onnx, users, seeded, warm, timed, replies, keepRecalled);
        byWiring.computeIfAbsent(wiring, key -> new ArrayList<>()).add(replay);
        System.err.printf(Locale.ROOT, "round %d %s: p50 %.2f ms%n", round, wiring.label(),
            Stats.percentileMillis(replay.nanos(), 50));
      }
    }
    int seededTurns = seeded.stream().mapToInt(Sample::turnCount).sum();
    report.note("**Turn overhead.** The first " + turns + " user turns of LoCoMo (speaker A's"
        + " words, as typed; one chat memory id per session, one user per conversation) replayed"
        + " through each configuration, each with a fresh engine, " + rounds + " round(s); "
        + warmup + " warm-up turns from the end of the dataset first. The users' memories hold"
        + " their whole conversations before the replay (" + seeded.size() + " conversations, "
        + seededTurns + " turns as `Speaker: words`), so the retriever searches a real user's"
        + " memory. " + (replies ? "The model answers with speaker B's next words (`"
        + AgentModel.FIXED + "` when B said nothing next), so every answer is new text."
        : "The model always answers `" + AgentModel.FIXED + "`: the window store embeds it every"
        + " turn, but from a session's second turn on (d)'s recorder finds it already remembered"
        + " in the session and does not embed it, so a real answer costs (d) one more embedding"
        + " per turn (`--answers replies` answers with speaker B's words).")
        + " `embeddings/turn`: texts the embedding model ran on per timed turn. Figures: medians"
        + " over the rounds of each round's percentile; turns/s = turns / time in `chat`, on one"
        + " thread.");
    double baseline = 0;
    Report.Table table = report.table("Time per `assistant.chat` call, ms", "configuration",
        "turns", "p50", "p95", "p99", "mean", "turns/s", "p50 over (a)", "embeddings/turn");
    Report.Table each = report.table("Each round", "configuration", "round", "p50", "p95", "p99",
        "turns/s");
    for (Map.Entry<Wiring, List<Replay>> entry : byWiring.entrySet()) {
      List<long[]> runs = entry.getValue().stream().map(Replay::nanos).toList();
      double p50 = median(runs, nanos -> Stats.percentileMillis(nanos, 50));
      if (!entry.getKey().windows()) {
        baseline = p50;
      }
      table.row(entry.getKey().label(), turns, p50,
          median(runs, nanos -> Stats.percentileMillis(nanos, 95)),
          median(runs, nanos -> Stats.percentileMillis(nanos, 99)),
          median(runs, AgentBench::meanMillis), median(runs, AgentBench::perSecond),
          p50 - baseline, Stats.median(entry.getValue().stream()
              .mapToDouble(replay -> (double) replay.embedded() / turns).toArray()));
      for (int i = 0; i < runs.size(); i++) {
        long[] nanos = runs.get(i);
        each.row(entry.getKey().label(), i + 1, Stats.percentileMillis(nanos, 50),
            Stats.percentileMillis(nanos, 95), Stats.percentileMillis(nanos, 99),
            perSecond(nanos));
      }
    }
  }

  private static double median(List<long[]> runs, ToDoubleFunction<long[]> f) {
    return Stats.median(runs.stream().mapToDouble(f).toArray());
  }

  private static double meanMillis(long[] nanos) {
    return Arrays.stream(nanos).average().orElse(0) / 1e6;
  }

  private static double perSecond(long[] nanos) {
    return nanos.length / (Arrays.stream(nanos).sum() / 1e9);
  }

  /**
   * Replays {@code warm}, then times each call of {@code timed}, with a fresh engine (none for a
   * configuration without InMemory) whose users' memories hold the {@code seeded} conversations;
   * the model answers each turn with its reply when {@code replies}, else {@link AgentModel#FIXED}.
   */
  static Replay replay(Wiring wiring, OnnxEmbedder onnx, Map<String, String> users,
      Set<Sample> seeded, List<UserTurn> warm, List<UserTurn> timed, boolean replies,
      boolean keepRecalled) {
    KnownVectors embedder = new KnownVectors(onnx);
    try (Engine engine = wiring.windows() ? Engine.open("file", embedder) : null) {
      MemoryClient client = engine == null ? null : engine.memory();
      if (client != null) {
        for (Sample sample : seeded) {
          for (ConversationRequest request : LocomoConversations.conversations(sample,
              users.get(sample.sampleId()), TurnContent.SPEAKER)) {
            client.add(request);
          }
        }
      }
      List<RuntimeException> failures = Collections.synchronizedList(new ArrayList<>());
      AgentModel model = new AgentModel();
      Assistant assistant = assistant(wiring, model, client, failures, keepRecalled);
      for (UserTurn turn : warm) {
        if (replies && turn.reply() != null) {
          model.answerNext(turn.reply());
        }
        assistant.chat(turn.chatId(), turn.text());
      }
      long[] nanos = new long[timed.size()];
      long embedded = embedder.embedded();
      for (int i = 0; i < nanos.length; i++) {
        UserTurn turn = timed.get(i);
        if (replies && turn.reply() != null) {
          model.answerNext(turn.reply());
        }
        long t0 = System.nanoTime();
        assistant.chat(turn.chatId(), turn.text());
        nanos[i] = System.nanoTime() - t0;
      }
      embedded = embedder.embedded() - embedded;
      check(failures, wiring);
      return new Replay(nanos, embedded);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open an engine for " + wiring.label(), e);
    }
  }

  /**
   * Speaker A's turns with content, in conversation order, each in its session's chat memory and
   * with the reply of its {@link #exchanges exchange}.
   */
  static List<UserTurn> userTurns(LocomoConversations dataset, Map<String, String> users,
      TurnContent content) {
    List<UserTurn> turns = new ArrayList<>();
    for (Sample sample : dataset.samples()) {
      for (Session session : sample.sessions()) {
        for (Exchange exchange : exchanges(sample, session, content)) {
          if (exchange.said().speaker().equals(sample.speakerA())) {
            turns.add(new UserTurn(sample, chatId(users.get(sample.sampleId()), session),
                content.form(exchange.said()),
                exchange.reply() == null ? null : content.form(exchange.reply())));
          }
        }
      }
    }
    return turns;
  }

  static String chatId(String user, Session session) {
    return user + "/session_" + session.number();
  }

  /**
   * An assistant wired as {@code wiring} says over {@code model} and {@code client} (unused, and
   * may be {@code null}, without InMemory windows); turns the recorder could not record are added
   * to {@code failures}; the window keeps the recalled memories with the user's message when
   * {@code keepRecalled}, as LangChain4j does by default.
   */
  static Assistant assistant(Wiring wiring, ChatModel model, MemoryClient client,
      List<RuntimeException> failures, boolean keepRecalled) {
    AiServices<Assistant> builder = AiServices.builder(Assistant.class).chatModel(model)
        .storeRetrievedContentInChatMemory(keepRecalled);
    if (wiring.windows()) {
      InMemoryChatMemoryStore store = InMemoryChatMemoryStore.of(client);
      builder.chatMemoryProvider(id -> MessageWindowChatMemory.builder().id(id)
          .maxMessages(WINDOW).chatMemoryStore(store).build());
    } else {
      builder.chatMemoryProvider(id -> MessageWindowChatMemory.builder().id(id)
          .maxMessages(WINDOW).build());
    }
    if (wiring.retriever()) {
      builder.contentRetriever(InMemoryContentRetriever.builder(client).maxResults(TOP).build());
    }
    if (wiring.recorder()) {
      builder.registerListeners(InMemoryConversationRecorder.builder(client)
          .failureHandler((invocation, request, error) -> failures.add(error)).build()
          .listeners());
    }
    return builder.build();
  }

  /** A turn the recorder could not record fails the run: nothing is silently left out. */
  private static void check(List<RuntimeException> failures, Wiring wiring) {
    if (!failures.isEmpty()) {
      throw new IllegalStateException(failures.size() + " turn(s) of " + wiring.label()
          + " not recorded; the first: " + failures.get(0), failures.get(0));
    }
  }

  // ---- recall through the integration ----

  private static void recall(Report report, LocomoConversations dataset, Map<String, String> users,
      TurnContent content, OnnxEmbedder onnx, boolean keepRecalled) throws IOException {
    long ingestNanos = 0;
    int calls = 0;
    int sessions = 0;
    long memories = 0;
    List<Long> askNanos = new ArrayList<>();
    Recall recall = new Recall(new RetrievalMetrics(List.of(TOP)),
        new RetrievalMetrics(List.of(TOP)));
    try (Engine engine = Engine.open("file", new KnownVectors(onnx))) {
      MemoryClient client = engine.memory();
      AgentModel model = new AgentModel();
      List<RuntimeException> failures = Collections.synchronizedList(new ArrayList<>());
      Assistant ingest = assistant(INGEST, model, client, failures, keepRecalled);
      for (Sample sample : dataset.samples()) {
        String user = users.get(sample.sampleId());
        for (Session session : sample.sessions()) {
          List<Exchange> exchanges = exchanges(sample, session, content);
          sessions += exchanges.isEmpty() ? 0 : 1;
          for (Exchange exchange : exchanges) {
            model.answerNext(exchange.reply() == null ? "" : content.form(exchange.reply()));
            long t0 = System.nanoTime();
            ingest.chat(chatId(user, session), content.form(exchange.said()));
            ingestNanos += System.nanoTime() - t0;
            calls++;
          }
        }
        memories += client.stats(Scope.user(user)).memoryCount();
        System.err.printf(Locale.ROOT, "recorded %s: %d calls so far, %.0f s%n",
            sample.sampleId(), calls, ingestNanos / 1e9);
      }
      check(failures, INGEST);
      Assistant ask = assistant(ASK, model, client, failures, keepRecalled);
      int asked = 0;
      for (Sample sample : dataset.samples()) {
        String user = users.get(sample.sampleId());
        Map<String, String> texts = texts(sample, content);
        for (Question question : sample.questions()) {
          if (question.evidence().isEmpty()) {
            continue;
          }
          long t0 = System.nanoTime();
          ask.chat(user + "/question-" + (++asked), question.question());
          askNanos.add(System.nanoTime() - t0);
          recall.prompt().addItems(question.category(), question.evidence(),
              found(model.lastUserText(), question.evidence(), texts));
          String direct = client.search(question.question(), user, TOP).memories().stream()
              .map(MemoryRecord::content).collect(Collectors.joining("\n\n"));
          recall.direct().addItems(question.category(), question.evidence(),
              found(direct, question.evidence(), texts));
        }
      }
    }
    long[] asks = askNanos.stream().mapToLong(Long::longValue).toArray();
    int turns = dataset.turnCount();
    report.note(String.format(Locale.ROOT, "**Recall through the integration.** %d sessions of"
        + " %d conversations replayed through an assistant with the window store and the recorder"
        + " (sync): %d calls, each speaker A's turn as the user's message and speaker B's next"
        + " turn as the model's answer (a session opened by B sends that turn as the user's"
        + " message, answered with nothing); content `%s`. %d turns → %d memories of the users,"
        + " %.0f turns/s through `chat` (window store and recorder included; one thread). Then"
        + " %d questions with evidence, each in a new chat memory id of its conversation's user"
        + " (window store + retriever top %d; questions are not recorded): p50 %.2f ms, p99 %.2f"
        + " ms per `chat`. An evidence turn counts when its text is one of the contents in the"
        + " prompt the model received. `direct`: the same store searched by"
        + " `search(question, user, %d)`. Comparable with `locomo --ingest messages` (turn"
        + " recall@5 0.598, same content and embedder).", sessions, dataset.samples().size(),
        calls, content.optionName(), turns, memories, turns / (ingestNanos / 1e9),
        asks.length, TOP, Stats.percentileMillis(asks, 50), Stats.percentileMillis(asks, 99),
        TOP));
    Report.Table table = report.table("Evidence recall@" + TOP + " by what reached the prompt",
        "category", "questions", "recall@5", "hit@5", "all@5", "recall@5 direct");
    List<List<Integer>> groups = new ArrayList<>();
    recall.prompt().categories().forEach(category -> groups.add(List.of(category)));
    groups.add(LocomoBench.categories(1, 4));
    groups.add(LocomoBench.categories(1, 5));
    for (List<Integer> group : groups) {
      RetrievalMetrics.Summary prompt = recall.prompt().summarize(group);
      String label = group.size() == 1
          ? group.get(0) + " " + LocomoBench.CATEGORY_NAMES.getOrDefault(group.get(0), "other")
          : "overall " + group.get(0) + "-" + group.get(group.size() - 1);
      table.row(label, prompt.questions(), prompt.recall().get(TOP), prompt.hit().get(TOP),
          prompt.all().get(TOP), recall.direct().summarize(group).recall().get(TOP));
    }
  }

  /**
   * The calls that replay a session: each turn of speaker A with the turn of speaker B right
   * after it as the answer; a turn of B that follows no turn of A (the session's opening) is a
   * call of its own with nothing answered, as is a turn of A that nothing answers. Turns without
   * content are skipped.
   */
  static List<Exchange> exchanges(Sample sample, Session session, TurnContent content) {
    List<Turn> turns = session.turns().stream()
        .filter(turn -> !content.form(turn).isBlank()).toList();
    List<Exchange> exchanges = new ArrayList<>();
    for (int i = 0; i < turns.size(); i++) {
      Turn said = turns.get(i);
      Turn next = i + 1 < turns.size() ? turns.get(i + 1) : null;
      boolean answered = said.speaker().equals(sample.speakerA()) && next != null
          && !next.speaker().equals(sample.speakerA());
      exchanges.add(new Exchange(said, answered ? next : null));
      if (answered) {
        i++;
      }
    }
    return exchanges;
  }

  /** Each turn's content by turn id, for turns with content. */
  private static Map<String, String> texts(Sample sample, TurnContent content) {
    Map<String, String> texts = new LinkedHashMap<>();
    for (Session session : sample.sessions()) {
      for (Turn turn : session.turns()) {
        String text = content.form(turn);
        if (!text.isBlank()) {
          texts.put(turn.diaId(), text);
        }
      }
    }
    return texts;
  }

  /**
   * The evidence turns whose text is in {@code prompt}, in the order they appear there: a text
   * counts only as a whole content — after a line break (or at the start) and before a blank line
   * (or at the end) — as LangChain4j's default content injector puts each content after a line
   * break and joins them with blank lines; a line of a longer content is not one. Evidence turns
   * with the same text are found together.
   */
  static List<Set<String>> found(String prompt, List<String> evidence, Map<String, String> texts) {
    TreeMap<Integer, Set<String>> byPosition = new TreeMap<>();
    for (String id : evidence) {
      String text = texts.get(id);
      int at = text == null ? -1 : wholeLineIndex(prompt, text);
      if (at >= 0) {
        byPosition.computeIfAbsent(at, position -> new LinkedHashSet<>()).add(id);
      }
    }
    return List.copyOf(byPosition.values());
  }

  /** Where {@code text} stands in {@code prompt} as a whole content ({@link #found}), or -1. */
  static int wholeLineIndex(String prompt, String text) {
    for (int at = prompt.indexOf(text); at >= 0; at = prompt.indexOf(text, at + 1)) {
      int end = at + text.length();
      if ((at == 0 || prompt.charAt(at - 1) == '\n')
          && (end == prompt.length() || prompt.startsWith("\n\n", end))) {
        return at;
      }
    }
    return -1;
  }
}
