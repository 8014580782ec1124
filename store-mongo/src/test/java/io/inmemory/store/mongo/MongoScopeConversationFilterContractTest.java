package io.inmemory.store.mongo;

import io.inmemory.MemoryClient;
import io.inmemory.tck.ConversationContract;
import io.inmemory.tck.DeduplicationContract;
import io.inmemory.tck.FilterContract;
import io.inmemory.tck.ScopeContract;
import org.junit.jupiter.api.Nested;

/** The contracts of scopes, conversations, de-duplication and filters on the MongoDB store. */
class MongoScopeConversationFilterContractTest {
  @Nested
  class Scopes extends ScopeContract {
    @Override
    protected MemoryClient createClient() {
      return MongoEngine.open();
    }
  }

  @Nested
  class Conversations extends ConversationContract {
    @Override
    protected MemoryClient createClient() {
      return MongoEngine.open();
    }
  }

  @Nested
  class Deduplication extends DeduplicationContract {
    @Override
    protected MemoryClient createClient() {
      return MongoEngine.open();
    }
  }

  @Nested
  class Filters extends FilterContract {
    @Override
    protected MemoryClient createClient() {
      return MongoEngine.open();
    }
  }
}
