package streams.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Output folder ownership: a run only ever replaces files the project wrote.
 *
 * <p>A folder the project writes into holds a marker file, {@value #MARKER}. Before a run {@link #prepare}
 * accepts {@code DIR} when it does not exist, is empty (no file at any depth), or holds the marker and
 * nothing but files the project writes there:
 *
 * <ul>
 *   <li>results: {@code DIR/results-*.jsonl}, {@code DIR/results-*.parquet}, {@code
 *       DIR/window_start=.../results-*.parquet} (Parquet window folders);
 *   <li>dead letters: {@code DIR/dead-letter/dead-letters-*.jsonl|.parquet};
 *   <li>late events: {@code DIR/late/*.jsonl|.parquet}, also in window folders;
 *   <li>Beam's temporary files: anything under a {@code .temp-beam*} folder (left by a cancelled job).
 * </ul>
 *
 * It then deletes those files (and the window and temporary folders they leave empty), keeps the marker,
 * and the run writes afresh: two runs never mix. Anything else makes it refuse with one line naming the
 * first foreign file, and nothing is deleted: a folder without the marker that holds any file, the home
 * folder or a file system root, a folder holding an input file of the run, or one that contains (or lies in)
 * the {@code --archive} folder. Local file systems only.
 */
public final class OutputDirs {
  public static final String MARKER = ".portable-streams";
  public static final String RESULTS_PREFIX = "results";
  public static final String DEAD_LETTER_DIR = "dead-letter";
  public static final String DEAD_LETTER_PREFIX = "dead-letters";
  public static final String LATE_DIR = "late";

  private static final String WINDOW_FOLDER = "window_start=[^/]+/";
  private static final Pattern OWNED =
      Pattern.compile(
          "(?:" + WINDOW_FOLDER + ")?" + RESULTS_PREFIX + "-[^/]*\\.(?:jsonl|parquet)"
              + "|" + DEAD_LETTER_DIR + "/(?:" + WINDOW_FOLDER + ")?" + DEAD_LETTER_PREFIX + "[^/]*\\.(?:jsonl|parquet)"
              + "|" + LATE_DIR + "/(?:" + WINDOW_FOLDER + ")?[^/]+\\.(?:jsonl|parquet)"
              + "|(?:[^/]+/)*\\.temp-beam[^/]*/.*");
  private static final Pattern OWNED_FOLDER =
      Pattern.compile("(?:" + DEAD_LETTER_DIR + "/|" + LATE_DIR + "/)?window_start=[^/]+|(?:[^/]+/)*\\.temp-beam[^/]*(?:/.*)?");

  private static final String MARKER_TEXT =
      "This folder holds the output of portable-streams (scripts/run). The next run into it deletes the"
          + " files the project wrote here (results-*, dead-letter/, late/, window_start=*/) and refuses to run"
          + " if it holds any other file.\n";

  private OutputDirs() {}

  /** A folder that must not be written into: the message is one line for the user. */
  public static final class RefusedException extends IllegalArgumentException {
    RefusedException(String message) {
      super(message);
    }
  }

  /**
   * Checks that {@code directory} may take this run's output (see the class comment), deletes what an
   * earlier run of the project wrote there and marks it as the project's. {@code inputs} are the files the
   * run reads, {@code archive} the {@code --archive} folder (null: none).
   *
   * @return how many files of an earlier run were deleted
   * @throws RefusedException when the folder is not the project's to write
   */
  public static int prepare(String directory, List<Path> inputs, String archive) {
    Path dir = absolute(directory);
    String flag = "--output=" + directory;
    Path home = Paths.get(System.getProperty("user.home")).toAbsolutePath().normalize();
    if (dir.equals(home)) {
      throw new RefusedException(flag + " is the home folder; choose a folder of its own for the results");
    }
    if (dir.getParent() == null) {
      throw new RefusedException(flag + " is a file system root; choose a folder of its own for the results");
    }
    for (Path input : inputs) {
      Path in = input.toAbsolutePath().normalize();
      if (in.startsWith(dir)) {
        throw new RefusedException(
            flag + " holds the input " + in + "; choose a folder of its own for the results");
      }
    }
    if (archive != null && !archive.isBlank()) {
      Path a = absolute(archive);
      if (a.startsWith(dir) || dir.startsWith(a)) {
        throw new RefusedException(
            flag + (a.equals(dir) ? " is" : a.startsWith(dir) ? " holds" : " lies in") + " the --archive folder "
                + a + "; give results and archive separate folders");
      }
    }
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new RefusedException(flag + " is a file, not a folder");
    }
    List<Path> owned = new ArrayList<>();
    if (Files.isDirectory(dir)) {
      boolean marked = Files.isRegularFile(dir.resolve(MARKER));
      List<Path> files = files(dir);
      for (Path f : files) {
        String rel = relative(dir, f);
        if (rel.equals(MARKER)) {
          continue;
        }
        if (!marked) {
          throw new RefusedException(
              flag + " holds files the project did not write (" + rel + ") and no " + MARKER
                  + " marker; choose an empty or new folder");
        }
        if (!OWNED.matcher(rel).matches()) {
          throw new RefusedException(
              flag + " holds " + rel + ", which the project did not write; move it or choose another folder");
        }
        owned.add(f);
      }
    }
    try {
      Files.createDirectories(dir);
      for (Path f : owned) {
        Files.deleteIfExists(f);
      }
      deleteEmptyOwnedFolders(dir);
      Path marker = dir.resolve(MARKER);
      if (!Files.isRegularFile(marker)) {
        Files.writeString(marker, MARKER_TEXT, StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new RefusedException("cannot prepare " + flag + ": " + e);
    }
    return owned.size();
  }

  public static String deadLetterDir(String directory) {
    return (directory.endsWith("/") ? directory : directory + "/") + DEAD_LETTER_DIR;
  }

  public static String lateDir(String directory) {
    return (directory.endsWith("/") ? directory : directory + "/") + LATE_DIR;
  }

  private static Path absolute(String directory) {
    String d = directory.startsWith("file://") ? directory.substring("file://".length()) : directory;
    if (d.contains("://")) {
      throw new RefusedException("--output=" + directory + ": only local folders are supported");
    }
    return Paths.get(d).toAbsolutePath().normalize();
  }

  private static List<Path> files(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> !Files.isDirectory(p)).sorted().collect(Collectors.toList());
    } catch (IOException | UncheckedIOException e) {
      throw new RefusedException("cannot list --output=" + dir + ": " + e);
    }
  }

  /** Window folders and Beam's temporary folders that the deletion left empty. */
  private static void deleteEmptyOwnedFolders(Path dir) throws IOException {
    List<Path> folders;
    try (Stream<Path> walk = Files.walk(dir)) {
      folders =
          walk.filter(Files::isDirectory)
              .filter(p -> !p.equals(dir) && OWNED_FOLDER.matcher(relative(dir, p)).matches())
              .sorted(Comparator.reverseOrder())
              .collect(Collectors.toList());
    }
    for (Path f : folders) {
      try (Stream<Path> entries = Files.list(f)) {
        if (entries.findAny().isEmpty()) {
          Files.delete(f);
        }
      }
    }
  }

  private static String relative(Path dir, Path file) {
    return dir.relativize(file).toString().replace('\\', '/');
  }
}
