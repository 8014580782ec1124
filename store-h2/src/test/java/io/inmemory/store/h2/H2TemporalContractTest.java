package io.inmemory.store.h2;

import io.inmemory.MemoryClient;
import io.inmemory.tck.TemporalContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class H2TemporalContractTest extends TemporalContract {
  @TempDir
  static Path temp;

  @Override
  protected MemoryClient createClient() {
    return H2Engine.open(temp);
  }
}
