/**
 * The MCP server: InMemory's memory as Model Context Protocol tools, their arguments read and
 * their answers written in the REST API's JSON vocabulary, over stdio or streamable HTTP, on the
 * local engine or an InMemory server. Nothing is {@code null} unless marked {@code @Nullable}.
 */
@NullMarked
package io.inmemory.mcp;

import org.jspecify.annotations.NullMarked;
