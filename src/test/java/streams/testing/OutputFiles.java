package streams.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Reads what a pipeline wrote: every line of {@code DIR/*.jsonl}, sorted. */
public final class OutputFiles {
  private OutputFiles() {}

  public static List<String> jsonLines(Path dir) throws IOException {
    List<String> lines = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return lines;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.jsonl")) {
      for (Path f : files) {
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          if (!line.isEmpty()) {
            lines.add(line);
          }
        }
      }
    }
    Collections.sort(lines);
    return lines;
  }
}
