package io.inmemory.store.h2;

import io.inmemory.MemoryClient;
import io.inmemory.tck.BatchContract;
import io.inmemory.tck.ConversationContract;
import io.inmemory.tck.DeduplicationContract;
import io.inmemory.tck.FilterContract;
import io.inmemory.tck.ScopeContract;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contracts of scopes, conversations, de-duplication, filters and batch changes on the H2
 * store.
 */
class H2ScopeConversationFilterContractTest {
  @TempDir
  static Path temp;

  @Nested
  class Scopes extends ScopeContract {
    @Override
    protected MemoryClient createClient() {
      return H2Engine.open(temp);
    }
  }

  @Nested
  class Conversations extends ConversationContract {
    @Override
    protected MemoryClient createClient() {
      return H2Engine.open(temp);
    }
  }

  @Nested
  class Deduplication extends DeduplicationContract {
    @Override
    protected MemoryClient createClient() {
      return H2Engine.open(temp);
    }
  }

  @Nested
  class Filters extends FilterContract {
    @Override
    protected MemoryClient createClient() {
      return H2Engine.open(temp);
    }
  }

  @Nested
  class Batches extends BatchContract {
    @Override
    protected MemoryClient createClient() {
      return H2Engine.open(temp);
    }
  }
}
