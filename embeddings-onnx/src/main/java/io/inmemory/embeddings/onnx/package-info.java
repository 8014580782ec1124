/**
 * The local embedder {@link OnnxEmbedder}: sentence-embedding models run in process with ONNX
 * Runtime behind a WordPiece tokenizer, and its provider.
 */
@NullMarked
package io.inmemory.embeddings.onnx;

import org.jspecify.annotations.NullMarked;
