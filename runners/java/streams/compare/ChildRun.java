package streams.compare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import streams.harness.ChildProcess;

/**
 * Runs the command line once in its own JVM ({@link ChildProcess}: wall time, CPU, peak RSS) and reads
 * the command line's own figures:
 *
 * <ul>
 *   <li>job start: when the child prints {@code <pipeline> on <runner>: reading ...}, just before
 *       {@code pipeline.run()};
 *   <li>processing time, events, results, dead letters: parsed from the child's summary line
 *       {@code <pipeline> on <runner>: DONE, N events in, M results out, K dead letters, L late, X s};
 *   <li>first result: the first {@code *.jsonl} file appearing directly in the output folder (Beam writes
 *       to a temporary folder and renames, so a file there is a finished result file), polled every 5 ms.
 * </ul>
 */
final class ChildRun {
  static final Pattern SUMMARY =
      Pattern.compile(
          "^(\\S+) on (\\S+): (\\w+)[^,]*, (?:(\\d+) events in, (\\d+) results out, (\\d+) dead letters,"
              + " (\\d+) late(?: dropped)?|no counts[^,]*), ([0-9.]+) s$");
  private static final Duration TIMEOUT = Duration.ofMinutes(120);

  private ChildRun() {}

  /**
   * Runs {@code cliArgs} and fills the measured figures of {@code r}. Logs go to {@code runDir}; results to
   * {@code outputDir} (which the command line is told with {@code --output}).
   */
  static void run(Launcher launcher, List<String> cliArgs, Path runDir, Path outputDir, RunResult r)
      throws IOException, InterruptedException {
    Files.createDirectories(runDir);
    List<String> javaCommand = launcher.command(cliArgs);
    r.command = launcher.shown(javaCommand);
    r.resourceMeasure = ChildProcess.resourceMeasureShort();
    long[] jobStart = {-1};
    long[] firstResult = {-1};
    Matcher[] summary = {null};
    String readingPrefix = r.pipeline + " on " + r.runner + ": reading ";
    ChildProcess.Measured m =
        ChildProcess.run(
            javaCommand,
            runDir.resolve("stdout.log"),
            runDir.resolve("stderr.log"),
            TIMEOUT,
            (line, now) -> {
              if (jobStart[0] < 0 && line.startsWith(readingPrefix)) {
                jobStart[0] = now;
              }
              Matcher x = SUMMARY.matcher(line);
              if (x.matches()) {
                summary[0] = x;
              }
            },
            () -> {
              if (firstResult[0] < 0 && hasResultFile(outputDir)) {
                firstResult[0] = System.nanoTime();
              }
            });
    if (firstResult[0] < 0 && hasResultFile(outputDir)) {
      firstResult[0] = m.endNanos(); // written in the last poll interval
    }

    r.exitCode = m.exitCode();
    r.wallSeconds = m.wallSeconds();
    if (jobStart[0] > 0) {
      r.startupSeconds = (jobStart[0] - m.startNanos()) / 1e9;
      if (firstResult[0] > 0) {
        r.firstResultSeconds = Math.max(0, firstResult[0] - jobStart[0]) / 1e9;
      }
    }
    if (summary[0] != null) {
      Matcher x = summary[0];
      r.state = x.group(3);
      if (x.group(4) != null) {
        r.eventsIn = Long.parseLong(x.group(4));
        r.resultsOut = Long.parseLong(x.group(5));
        r.deadLetters = Long.parseLong(x.group(6));
        r.lateDropped = Long.parseLong(x.group(7));
      }
      r.processingSeconds = Double.parseDouble(x.group(8));
      if (r.processingSeconds > 0 && r.eventsIn != null) {
        r.throughputEventsPerSecond = r.eventsIn / r.processingSeconds;
      }
    } else {
      r.state = "NO SUMMARY";
    }
    if (m.timedOut()) {
      r.error = "killed after " + TIMEOUT.toMinutes() + " minutes";
    } else if (r.exitCode != 0 || summary[0] == null) {
      r.error = errorLine(runDir.resolve("stderr.log"), r.exitCode);
    }
    r.cpuUserSeconds = m.cpuUserSeconds();
    r.cpuSystemSeconds = m.cpuSystemSeconds();
    r.cpuSeconds = m.cpuSeconds();
    r.peakRssBytes = m.peakRssBytes();
  }

  private static boolean hasResultFile(Path dir) {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.jsonl")) {
      return files.iterator().hasNext();
    } catch (IOException e) {
      return false; // not created yet
    }
  }

  private static String errorLine(Path stderr, int exitCode) {
    try {
      List<String> lines = Files.readAllLines(stderr, StandardCharsets.UTF_8);
      for (String l : lines) {
        if (l.startsWith("error: ")) {
          return l.substring("error: ".length());
        }
      }
      for (int i = lines.size() - 1; i >= 0; i--) {
        if (!lines.get(i).isBlank() && !lines.get(i).startsWith("Command exited")) {
          return "exit " + exitCode + ": " + lines.get(i).trim();
        }
      }
    } catch (IOException e) {
      // no log
    }
    return "exit " + exitCode + " without a summary line";
  }
}
