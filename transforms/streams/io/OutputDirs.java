package streams.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Output folder hygiene: before a run, the result files of an earlier run ({@code DIR/*.jsonl}, {@code
 * DIR/dead-letter/*.jsonl} and every Parquet file under DIR) are deleted, so two runs into the same folder
 * never mix. Works on any Beam file system.
 */
public final class OutputDirs {
  public static final String DEAD_LETTER_DIR = "dead-letter";

  private OutputDirs() {}

  /** Deletes earlier results; returns how many files were removed. */
  public static int clean(String directory) throws IOException {
    String dir = directory.endsWith("/") ? directory : directory + "/";
    List<ResourceId> files = new ArrayList<>();
    for (String glob : new String[] {dir + "*.jsonl", dir + DEAD_LETTER_DIR + "/*.jsonl", dir + "**.parquet"}) {
      MatchResult match = FileSystems.match(glob);
      if (match.status() == MatchResult.Status.OK) {
        for (MatchResult.Metadata m : match.metadata()) {
          files.add(m.resourceId());
        }
      }
    }
    FileSystems.delete(files, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    return files.size();
  }

  public static String deadLetterDir(String directory) {
    return (directory.endsWith("/") ? directory : directory + "/") + DEAD_LETTER_DIR;
  }
}
