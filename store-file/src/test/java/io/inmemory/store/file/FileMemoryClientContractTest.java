package io.inmemory.store.file;

import io.inmemory.MemoryClient;
import io.inmemory.tck.MemoryClientContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class FileMemoryClientContractTest extends MemoryClientContract {
  @TempDir
  static Path temp;

  @Override
  protected MemoryClient createClient() {
    return FileEngine.open(temp);
  }
}
