package io.inmemory;

/**
 * Who said a message of a conversation; recorded on the memories made from it. On the wire the
 * lower-case name ({@code "user"}, {@code "assistant"}, {@code "system"}, {@code "tool"}).
 */
public enum Role {
  USER,
  ASSISTANT,
  SYSTEM,
  TOOL
}
