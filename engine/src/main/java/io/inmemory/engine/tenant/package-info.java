/**
 * The server's tenant model that stores keep: projects, API keys with their scopes and usage,
 * and the access store and table that hold them.
 */
@NullMarked
package io.inmemory.engine.tenant;

import org.jspecify.annotations.NullMarked;
