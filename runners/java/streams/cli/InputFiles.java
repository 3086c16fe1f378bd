package streams.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import streams.generate.EventGenerator;

/** The input files of a batch run: the ones {@code --input} matches, or generated events. */
final class InputFiles {
  private InputFiles() {}

  /** The local files an input pattern matches (for the output folder's checks). */
  static List<Path> localFiles(String input) {
    List<Path> files = new ArrayList<>();
    for (MatchResult.Metadata m : match(input)) {
      if (m.resourceId().getScheme().equals("file")) {
        files.add(Paths.get(m.resourceId().toString()));
      }
    }
    return files;
  }

  /** The total size in bytes of the files an input pattern matches. */
  static long totalBytes(String input) {
    long total = 0;
    for (MatchResult.Metadata m : match(input)) {
      total += m.sizeBytes();
    }
    return total;
  }

  static void requireExists(String input) {
    if (match(input).isEmpty()) {
      throw new UsageException("--input=" + input + " matches no file");
    }
  }

  private static List<MatchResult.Metadata> match(String input) {
    try {
      MatchResult match = FileSystems.match(input, EmptyMatchTreatment.ALLOW);
      return match.status() == MatchResult.Status.OK ? match.metadata() : List.of();
    } catch (IOException e) {
      throw new UsageException("--input=" + input + " cannot be read: " + e.getMessage());
    }
  }

  /** Generated events, cached by size and seed under the temp folder (the generator is deterministic). */
  static Path generated(long events, long seed, PrintStream out) {
    Path file =
        Paths.get(System.getProperty("java.io.tmpdir"), "portable-streams", "events-" + events + "-seed" + seed + ".jsonl");
    if (Files.exists(file)) {
      return file;
    }
    out.printf(Locale.ROOT, "no --input: generating %d events (seed %d) into %s%n", events, seed, file);
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), "events", ".tmp");
      EventGenerator.builder().events(events).seed(seed).build().writeTo(tmp);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UsageException("cannot write generated input " + file + ": " + e.getMessage());
    }
    return file;
  }
}
