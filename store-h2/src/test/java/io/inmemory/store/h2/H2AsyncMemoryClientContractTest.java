package io.inmemory.store.h2;

import io.inmemory.AsyncMemoryClient;
import io.inmemory.tck.AsyncMemoryClientContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class H2AsyncMemoryClientContractTest extends AsyncMemoryClientContract {
  @TempDir
  static Path temp;

  @Override
  protected AsyncMemoryClient createAsyncClient() {
    return H2Engine.open(temp).async();
  }
}
