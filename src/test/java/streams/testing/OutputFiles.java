package streams.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import streams.harness.Correctness;

/** Reads what a pipeline wrote: every line of {@code DIR/*.jsonl}, sorted (as the harness reads it). */
public final class OutputFiles {
  private OutputFiles() {}

  public static List<String> jsonLines(Path dir) throws IOException {
    return Correctness.jsonLines(dir);
  }
}
