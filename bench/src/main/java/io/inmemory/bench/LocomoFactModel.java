package io.inmemory.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inmemory.ConversationRequest;
import io.inmemory.Message;
import io.inmemory.cli.imports.LocomoConversations.Observation;
import io.inmemory.cli.imports.LocomoConversations.Sample;
import io.inmemory.cli.imports.LocomoConversations.Session;
import io.inmemory.cli.imports.LocomoConversations.TurnContent;
import io.inmemory.cli.imports.LocomoConversations;
import io.inmemory.llm.openai.testing.ScriptedOpenAi.Answer;
import io.inmemory.llm.openai.testing.ScriptedOpenAi.Request;
import io.inmemory.llm.openai.testing.ScriptedOpenAi;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The model of {@code locomo --ingest facts}: a {@link ScriptedOpenAi} on a loopback port, in the
 * benchmark's JVM, whose chat answers are computed from each request. An extraction request (its
 * user JSON lists {@code messages}) is answered with the LoCoMo observations of the session whose
 * messages it holds: per observation a fact with the observation's text, its speaker as the
 * person, no topic, tags or time, and as sources the indexes of the messages whose id is in the
 * observation's evidence. A reconciliation request (its user JSON lists {@code memories}) is
 * answered {@code ADD} for every fact, so that the engine's own steps (known texts, candidate
 * search, one commit per conversation) still run. A request for a conversation the dataset does
 * not hold is answered 500, which the engine reports as a failed model call.
 *
 * <p>Thread-safe: the answers are fixed when the model starts; the counters are atomic.
 */
final class LocomoFactModel implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ScriptedOpenAi server;
  private final Map<String, String> answers;
  private final int facts;
  private final AtomicInteger extractions = new AtomicInteger();
  private final AtomicInteger reconciliations = new AtomicInteger();

  private LocomoFactModel(Map<String, String> answers, int facts) {
    this.answers = Map.copyOf(answers);
    this.facts = facts;
    this.server = ScriptedOpenAi.start();
    server.otherwiseChat(this::answer);
  }

  /**
   * Starts the model for the conversations {@link LocomoBench#conversation} makes of the
   * dataset's sessions.
   *
   * @throws IllegalArgumentException when two sessions hand the model the same messages (it could
   *     not tell which facts to answer), or an observation's evidence turn is not among its
   *     session's messages (a turn whose content is blank in the chosen form)
   */
  static LocomoFactModel start(LocomoConversations dataset, Map<String, String> users,
      TurnContent content) {
    Map<String, String> answers = new HashMap<>();
    int facts = 0;
    for (Sample sample : dataset.samples()) {
      for (Session session : sample.sessions()) {
        ConversationRequest request = LocomoConversations.conversation(sample, session,
            users.get(sample.sampleId()), content).orElse(null);
        if (request == null) {
          continue;
        }
        String key = key(request.messages().stream()
            .map(message -> new String[] {message.name(), message.content()}).toList());
        if (answers.put(key, extraction(sample, session, request.messages())) != null) {
          throw new IllegalArgumentException(sample.sampleId() + " session " + session.number()
              + " holds the same messages as another session");
        }
        facts += session.observations().size();
      }
    }
    return new LocomoFactModel(answers, facts);
  }

  /** The keys that point the engine at this model. */
  Map<String, String> settings() {
    return ScriptedModels.settings(server, "locomo-observations");
  }

  /** The observations across the dataset's sessions: the facts the model answers in all. */
  int facts() {
    return facts;
  }

  /** Chat requests answered so far: extractions plus reconciliations. */
  int calls() {
    return extractions.get() + reconciliations.get();
  }

  int extractions() {
    return extractions.get();
  }

  int reconciliations() {
    return reconciliations.get();
  }

  @Override
  public void close() {
    server.close();
  }

  private Answer answer(Request request) {
    JsonNode user = request.userJson();
    if (user.has("memories")) {
      reconciliations.incrementAndGet();
      ObjectNode answer = JSON.createObjectNode();
      ArrayNode decisions = answer.putArray("decisions");
      for (JsonNode fact : user.path("facts")) {
        decisions.addObject().put("fact", fact.path("fact").asInt()).put("action", "ADD")
            .putNull("ref").putNull("content");
      }
      return Answer.json(answer.toString());
    }
    List<String[]> messages = new ArrayList<>();
    user.path("messages").forEach(message -> messages.add(new String[] {
        message.hasNonNull("name") ? message.get("name").asText() : null,
        message.path("content").asText()}));
    String answer = answers.get(key(messages));
    if (answer == null) {
      return ScriptedModels.unscripted("no LoCoMo session has these " + messages.size()
          + " messages");
    }
    extractions.incrementAndGet();
    return Answer.json(answer);
  }

  /** A conversation's messages as one string: each speaker's name and content. */
  private static String key(List<String[]> messages) {
    StringBuilder key = new StringBuilder();
    for (String[] message : messages) {
      key.append(message[0]).append('\u0000').append(message[1]).append('\u0001');
    }
    return key.toString();
  }

  private static String extraction(Sample sample, Session session, List<Message> messages) {
    Map<String, Integer> indexes = new HashMap<>();
    for (int i = 0; i < messages.size(); i++) {
      indexes.put(messages.get(i).id(), i);
    }
    ObjectNode answer = JSON.createObjectNode();
    ArrayNode items = answer.putArray("facts");
    for (Observation observation : session.observations()) {
      ObjectNode fact = items.addObject().put("content", observation.text());
      fact.putArray("people").add(observation.speaker());
      fact.putNull("topic");
      fact.putArray("tags");
      fact.putNull("when");
      ArrayNode sources = fact.putArray("sources");
      for (String turn : observation.evidence()) {
        Integer index = indexes.get(turn);
        if (index == null) {
          throw new IllegalArgumentException(sample.sampleId() + " session " + session.number()
              + ": the fact '" + observation.text() + "' comes from turn " + turn
              + ", which is not among the messages (no content in this form)");
        }
        sources.add(index);
      }
    }
    return answer.toString();
  }
}
