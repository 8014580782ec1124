/**
 * The REST server: its configuration, the route table and its handlers, authentication, admission
 * and rate limits, the HTTP plumbing on Jetty, and the OpenAPI document and documentation pages.
 */
@NullMarked
package io.inmemory.server;

import org.jspecify.annotations.NullMarked;
