package io.inmemory.store.file;

import io.inmemory.MemoryClient;
import io.inmemory.tck.ConcurrencyContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class FileConcurrencyContractTest extends ConcurrencyContract {
  @TempDir
  static Path temp;

  @Override
  protected MemoryClient createClient() {
    return FileEngine.open(temp);
  }
}
