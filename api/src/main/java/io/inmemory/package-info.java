/**
 * The InMemory API that applications call and every runtime implements: {@link MemoryClient} and
 * its asynchronous twin, the request and result records, the configuration and the exceptions.
 */
@NullMarked
package io.inmemory;

import org.jspecify.annotations.NullMarked;
