package io.inmemory.engine.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.ConfigKey;
import io.inmemory.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreDirectoriesTest {
  private static final ConfigKey<Path> DIR = ConfigKey.path("inmemory.store.test.dir",
      Path.of("unused"), "a test store's directory");

  @TempDir
  Path temp;

  @Test
  void createsAMissingDirectoryWithItsParents() {
    Path dir = temp.resolve("a/b/c");

    assertThat(StoreDirectories.requireWritable(dir, "The test store's directory", DIR,
        "a directory")).isEqualTo(dir);
    assertThat(dir).isDirectory();
  }

  @Test
  void aRegularFileOnThePathIsNamedWithTheSettingToChange() throws IOException {
    Path file = Files.writeString(temp.resolve("file"), "x");

    for (Path dir : new Path[] {file, file.resolve("data")}) {
      assertThatThrownBy(() -> StoreDirectories.requireWritable(dir,
          "The test store's directory", DIR, "a directory"))
          .isInstanceOf(StorageException.class)
          .hasMessage("The test store's directory " + dir + " cannot be created: " + file
              + " is a file, not a directory. Set inmemory.store.test.dir (environment"
              + " INMEMORY_STORE_TEST_DIR) to a directory that user '"
              + System.getProperty("user.name") + "' can write.");
    }
  }
}
