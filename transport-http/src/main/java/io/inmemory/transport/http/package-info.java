/**
 * The managed runtime: {@link io.inmemory.transport.http.Inmry} and
 * {@link io.inmemory.transport.http.AsyncInmry}, clients of an InMemory server over
 * {@code java.net.http} with retries, timeouts and problems mapped to the API's exceptions.
 */
@NullMarked
package io.inmemory.transport.http;

import org.jspecify.annotations.NullMarked;
