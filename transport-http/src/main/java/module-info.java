/** The managed runtime: a {@link io.inmemory.MemoryClient} that calls an InMemory server. */
module io.inmemory.transport.http {
  requires transitive io.inmemory;
  // Not transitive: applications never read the wire vocabulary.
  requires io.inmemory.wire;
  requires com.fasterxml.jackson.databind;
  requires java.net.http;

  exports io.inmemory.transport.http;

  provides io.inmemory.MemoryClientProvider
      with io.inmemory.transport.http.ManagedMemoryClientProvider;
}
