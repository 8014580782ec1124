package io.inmemory.store.h2;

import io.inmemory.MemoryClient;
import io.inmemory.tck.MemoryClientContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class H2MemoryClientContractTest extends MemoryClientContract {
  @TempDir
  static Path temp;

  @Override
  protected MemoryClient createClient() {
    return H2Engine.open(temp);
  }
}
