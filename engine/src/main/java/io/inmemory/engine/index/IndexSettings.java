package io.inmemory.engine.index;
// TEMPORARY STUB
public record IndexSettings(int exactThreshold) { public static IndexSettings defaults() { return new IndexSettings(5000); } }
