package io.inmemory.transport.http;

/** JSON bodies shaped like the server's answers (see server/README.md). */
final class Answers {
  private Answers() {}

  static String memory(String id, String userId, String content) {
    return "{\"id\":\"" + id + "\",\"user_id\":\"" + userId + "\",\"memory_content\":\"" + content
        + "\",\"tags\":[\"food\"],\"people_mentioned\":[\"Bob\"],\"topic_category\":\"prefs\","
        + "\"metadata\":{\"n\":1,\"nested\":{\"ok\":true}},"
        + "\"created_at\":\"2026-01-02T03:04:05Z\",\"updated_at\":\"2026-01-02T03:04:06Z\"}";
  }

  static String added(String id) {
    return "{\"memory\":" + memory(id, "alice", "I love pizza") + "}";
  }

  static String emptyPage() {
    return "{\"items\":[],\"offset\":0,\"limit\":10,\"total\":0,\"has_more\":false}";
  }
}
