package io.inmemory.store.h2;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.StorageException;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.tck.LocalStoreContract;
import java.nio.file.Path;

/**
 * Kill -9 and second-process checks of the embedded file database. {@code RETENTION_TIME=500}
 * lets H2 reuse the space of old chunks after half a second instead of 45 s, so the kills land on
 * a file whose new chunks go into free space between old ones from the first rounds on, as they
 * do in a process that has written for a minute with the default settings; that is where H2
 * alone reopens a killed database without its latest commits (see {@link CrashRepair}).
 */
class H2LocalStoreTest extends LocalStoreContract {
  @Override
  protected MemoryStore openStore(Path dir) {
    return H2MemoryStore.builder()
        .url(H2Url.inDirectory(dir).url() + ";RETENTION_TIME=500")
        .open();
  }

  @Override
  protected void checkRefusal(StorageException refusal, long holderPid) {
    assertThat(refusal.getMessage())
        .contains("already open in another process", "jdbc:h2:tcp://", "AUTO_SERVER=TRUE");
  }
}
