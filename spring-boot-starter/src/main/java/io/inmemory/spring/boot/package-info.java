/**
 * Spring Boot auto-configuration of InMemory: the {@link io.inmemory.MemoryClient} bean from the
 * {@code inmemory.*} properties of the Spring environment, the Spring AI chat memory repository
 * and long-term memory advisor, and a health indicator. Nothing here is called by application
 * code; the beans are injected. Types are non-null unless marked otherwise.
 */
@NullMarked
package io.inmemory.spring.boot;

import org.jspecify.annotations.NullMarked;
