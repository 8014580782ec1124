/**
 * The REST API's JSON vocabulary, once: the snake_case members and their schemas, and the codecs
 * with which the server reads requests and writes answers and problems, and the managed client
 * writes requests and reads answers and problems.
 */
@NullMarked
package io.inmemory.wire;

import org.jspecify.annotations.NullMarked;
