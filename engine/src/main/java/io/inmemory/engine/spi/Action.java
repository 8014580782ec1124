package io.inmemory.engine.spi;

/**
 * What a {@link Decision} does with a fact: {@link #ADD} it as a new memory; {@link #NONE}, it is
 * already known; {@link #UPDATE} a memory in place with richer content; {@link #SUPERSEDE} a
 * memory that no longer holds with a new one (the old one is kept, no longer current). A model
 * never deletes.
 */
public enum Action {
  ADD,
  NONE,
  UPDATE,
  SUPERSEDE
}
