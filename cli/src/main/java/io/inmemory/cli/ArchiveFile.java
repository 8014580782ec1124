package io.inmemory.cli;

import io.inmemory.ArchivedMemory;
import io.inmemory.InvalidRequestException;
import io.inmemory.wire.ArchiveJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The memories of an InMemory export (JSON Lines, {@link ArchiveJson}), each with its line number,
 * and the lines that are not valid with their problem: nothing is dropped unsaid. A file with a
 * header but no {@code end} line was cut. Immutable.
 *
 * @param memories the memories and tombstones, by line number (from 1)
 * @param invalid the problem of each invalid line, by line number
 * @param truncated whether a header promised an end line that is missing
 */
record ArchiveFile(Map<Integer, ArchivedMemory> memories, Map<Integer, String> invalid,
    boolean truncated) {

  /** Reads the lines of {@code content}. */
  static ArchiveFile read(byte[] content) {
    Map<Integer, ArchivedMemory> memories = new LinkedHashMap<>();
    Map<Integer, String> invalid = new LinkedHashMap<>();
    boolean header = false;
    boolean end = false;
    String[] lines = new String(content, StandardCharsets.UTF_8).split("\n");
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      try {
        ArchiveJson.Line line = ArchiveJson.read(lines[i]);
        if (line instanceof ArchiveJson.Entry entry) {
          memories.put(i + 1, entry.memory());
        } else if (line instanceof ArchiveJson.Header) {
          header = true;
        } else {
          end = true;
        }
      } catch (InvalidRequestException e) {
        invalid.put(i + 1, InMemoryCli.message(e));
      }
    }
    return new ArchiveFile(memories, invalid, header && !end);
  }

  /** The memories in chunks of at most {@code size}, each keyed by its first and last line. */
  Map<String, List<ArchivedMemory>> chunks(int size) {
    Map<String, List<ArchivedMemory>> chunks = new LinkedHashMap<>();
    List<Integer> numbers = new ArrayList<>(memories.keySet());
    for (int from = 0; from < numbers.size(); from += size) {
      List<Integer> chunk = numbers.subList(from, Math.min(numbers.size(), from + size));
      chunks.put("lines " + chunk.get(0) + "-" + chunk.get(chunk.size() - 1),
          chunk.stream().map(memories::get).toList());
    }
    return chunks;
  }
}
