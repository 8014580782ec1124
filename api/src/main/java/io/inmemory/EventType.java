package io.inmemory;

/**
 * What an add did to the memories: {@link #ADD} a new memory, {@link #UPDATE} an existing one
 * changed in place, {@link #SUPERSEDE} a new memory replacing one that is kept as no longer
 * current, {@link #NONE} nothing new (the fact was already known).
 */
public enum EventType {
  ADD,
  UPDATE,
  SUPERSEDE,
  NONE
}
