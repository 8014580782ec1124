/**
 * The {@code inmemory} command: memories added, searched, listed, read and deleted from a shell or
 * a script, on the local engine (a store directory or URL) or an InMemory server, chosen by the
 * same configuration keys as every other runtime. {@link io.inmemory.cli.InMemoryCli} is the
 * entry point; the commands are package-private picocli classes.
 */
@NullMarked
package io.inmemory.cli;

import org.jspecify.annotations.NullMarked;
