package io.inmemory.store.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The migration from format 2 is crash-safe: the directory as a crash leaves it at each step of
 * the migration (copied at that step, temporary files included) reopens with the same data and
 * ends in the current format; a migration that fails leaves the format-2 files byte for byte as they were.
 */
class MigrationCrashTest {
  @TempDir
  Path temp;

  @Test
  void theDirectoryLeftByACrashAtEachStepReopensWithTheSameData() {
    List<Object> expected = FormatV2MigrationTest.expected(temp.resolve("fresh"));
    Path dir = FormatV2MigrationTest.fixtureCopy(temp.resolve("v2"));
    Map<Compactor.Step, Path> images = new EnumMap<>(Compactor.Step.class);
    FileMemoryStore.builder(dir).migrationSteps(step -> images.put(step,
        StoreFiles.copyStoreFiles(dir, temp.resolve("crash-" + step)))).open().close();

    assertThat(images).containsOnlyKeys(Compactor.Step.values());
    assertThat(images.get(Compactor.Step.SNAPSHOT_WRITTEN).resolve("memories-2.snapshot.tmp"))
        .exists();
    for (Map.Entry<Compactor.Step, Path> image : images.entrySet()) {
      List<Object> dump;
      try (FileMemoryStore store = FileMemoryStore.open(image.getValue())) {
        dump = FormatFixture.dump(store);
      }
      assertThat(dump).as("after a crash at " + image.getKey()).isEqualTo(expected);
      assertThat(FormatV2MigrationTest.storeFiles(image.getValue())).as(image.getKey().name())
          .doesNotContainValue(2).containsValue(Frames.FORMAT_VERSION);
    }
  }

  @Test
  void aMigrationThatFailsAtAnyStepLeavesTheFormatTwoFilesUntouched() throws IOException {
    List<Object> expected = FormatV2MigrationTest.expected(temp.resolve("fresh"));
    for (Compactor.Step failing : Compactor.Step.values()) {
      Path dir = FormatV2MigrationTest.fixtureCopy(temp.resolve("failing-" + failing));
      byte[] log = Files.readAllBytes(dir.resolve("memories-1.log"));
      byte[] snapshot = Files.readAllBytes(dir.resolve("memories-1.snapshot"));

      assertThatThrownBy(() -> FileMemoryStore.builder(dir).migrationSteps(step -> {
        if (step == failing) {
          throw new IllegalStateException("injected failure at " + step);
        }
      }).open()).hasMessage("injected failure at " + failing);

      assertThat(Files.readAllBytes(dir.resolve("memories-1.log"))).as(failing.name())
          .isEqualTo(log);
      assertThat(Files.readAllBytes(dir.resolve("memories-1.snapshot"))).as(failing.name())
          .isEqualTo(snapshot);
      List<Object> dump;
      try (FileMemoryStore store = FileMemoryStore.open(dir)) {
        dump = FormatFixture.dump(store);
      }
      assertThat(dump).as("reopened after a failure at " + failing).isEqualTo(expected);
      assertThat(FormatV2MigrationTest.storeFiles(dir)).as(failing.name())
          .doesNotContainValue(2);
    }
  }
}
