package io.inmemory.store.h2;

import io.inmemory.MemoryClient;
import io.inmemory.tck.ConcurrencyContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class H2ConcurrencyContractTest extends ConcurrencyContract {
  @TempDir
  static Path temp;

  @Override
  protected MemoryClient createClient() {
    return H2Engine.open(temp);
  }
}
