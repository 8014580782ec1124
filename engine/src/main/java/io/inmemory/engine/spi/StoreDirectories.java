package io.inmemory.engine.spi;

import io.inmemory.ConfigKey;
import io.inmemory.StorageException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The directory a store keeps its files in: created when missing and checked to be writable
 * before the store opens, so that a store that cannot work there fails at once with a message
 * saying why and which setting to change, instead of a stack trace from deep in its first write.
 * Stateless and thread-safe.
 */
public final class StoreDirectories {
  private StoreDirectories() {}

  /**
   * Creates {@code dir} and its parents when missing and checks that this process may write in it.
   *
   * @param dir the directory
   * @param what what the directory is, starting a sentence: "The file store's directory"
   * @param setting the configuration key that moves it, named in the advice
   * @param target what to set {@code setting} to, completed by "that user 'x' can write": "a
   *     directory"
   * @return {@code dir}
   * @throws StorageException when it cannot be created or written, saying why, for which user, and
   *     which setting to change
   */
  public static Path requireWritable(Path dir, String what, ConfigKey<?> setting,
      String target) {
    String user = System.getProperty("user.name");
    String change = setting.name() + " (environment " + setting.envName() + ") to " + target
        + " that user '" + user + "' can write.";
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new StorageException(what + " " + dir + " cannot be created: " + reason(dir, e)
          + ". Set " + change, e);
    }
    if (!Files.isWritable(dir)) {
      throw new StorageException(what + " " + dir + " is not writable by user '" + user
          + "'. Give that user write access to it, or set " + change);
    }
    return dir;
  }

  private static String reason(Path dir, IOException e) {
    for (Path path = dir.toAbsolutePath(); path != null; path = path.getParent()) {
      if (Files.isRegularFile(path)) {
        return path + " is a file, not a directory";
      }
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException failure && failure.getReason() != null) {
      return failure.getReason();
    }
    return e.toString();
  }
}
