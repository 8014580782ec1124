/**
 * Time phrases such as "last friday evening" resolved to periods and recurring constraints.
 * Engine-internal, not API.
 */
@NullMarked
package io.inmemory.engine.temporal;

import org.jspecify.annotations.NullMarked;
