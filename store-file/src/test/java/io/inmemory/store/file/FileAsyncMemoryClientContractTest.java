package io.inmemory.store.file;

import io.inmemory.AsyncMemoryClient;
import io.inmemory.tck.AsyncMemoryClientContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class FileAsyncMemoryClientContractTest extends AsyncMemoryClientContract {
  @TempDir
  static Path temp;

  @Override
  protected AsyncMemoryClient createAsyncClient() {
    return FileEngine.open(temp).async();
  }
}
