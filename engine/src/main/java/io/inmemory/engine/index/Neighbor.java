package io.inmemory.engine.index;
// TEMPORARY STUB
public record Neighbor(String id, float score) {}
