package io.inmemory.store.file;

import io.inmemory.MemoryClient;
import io.inmemory.tck.SearchContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class FileSearchContractTest extends SearchContract {
  @TempDir
  static Path temp;

  @Override
  protected MemoryClient createClient() {
    return FileEngine.open(temp);
  }
}
