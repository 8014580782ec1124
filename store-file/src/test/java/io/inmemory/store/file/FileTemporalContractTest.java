package io.inmemory.store.file;

import io.inmemory.MemoryClient;
import io.inmemory.tck.TemporalContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class FileTemporalContractTest extends TemporalContract {
  @TempDir
  static Path temp;

  @Override
  protected MemoryClient createClient() {
    return FileEngine.open(temp);
  }
}
