package streams.compare;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the command line once in its own JVM and measures it from outside:
 *
 * <ul>
 *   <li>wall time: process start to exit, from this JVM's monotonic clock;
 *   <li>job start: when the child prints {@code <pipeline> on <runner>: reading ...}, just before
 *       {@code pipeline.run()};
 *   <li>processing time, events, results, dead letters: parsed from the child's summary line
 *       {@code <pipeline> on <runner>: DONE, N events in, M results out, K dead letters, L late, X s};
 *   <li>first result: the first {@code *.jsonl} file appearing directly in the output folder (Beam writes
 *       to a temporary folder and renames, so a file there is a finished result file), polled every 5 ms;
 *   <li>CPU (user + system) and peak RSS: GNU {@code time}'s {@code %U %S %M}, which the kernel accounts
 *       exactly at the child's exit; without GNU time, {@code /proc/<pid>} polled every 50 ms
 *       (VmHWM is exact while the process lives; CPU misses at most the last 50 ms).
 * </ul>
 */
final class ChildRun {
  static final Pattern SUMMARY =
      Pattern.compile(
          "^(\\S+) on (\\S+): (\\w+)[^,]*, (?:(\\d+) events in, (\\d+) results out, (\\d+) dead letters,"
              + " (\\d+) late(?: dropped)?|no counts[^,]*), ([0-9.]+) s$");
  private static final Path GNU_TIME = gnuTime();
  private static final long TIMEOUT_MINUTES = 120;

  private ChildRun() {}

  static String resourceMeasure() {
    return GNU_TIME != null ? "GNU time (" + GNU_TIME + " %U %S %M)" : "/proc polling (50 ms)";
  }

  /**
   * Runs {@code cliArgs} and fills the measured figures of {@code r}. Logs go to {@code runDir}; results to
   * {@code outputDir} (which the command line is told with {@code --output}).
   */
  static void run(Launcher launcher, List<String> cliArgs, Path runDir, Path outputDir, RunResult r)
      throws IOException, InterruptedException {
    Files.createDirectories(runDir);
    Path timeFile = runDir.resolve("time.txt");
    List<String> command = new ArrayList<>();
    if (GNU_TIME != null) {
      command.add(GNU_TIME.toString());
      command.add("-f");
      command.add("%e %U %S %M");
      command.add("-o");
      command.add(timeFile.toString());
    }
    List<String> javaCommand = launcher.command(cliArgs);
    command.addAll(javaCommand);
    r.command = launcher.shown(javaCommand);
    r.resourceMeasure = GNU_TIME != null ? "GNU time" : "/proc polling";

    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectError(runDir.resolve("stderr.log").toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Paths.get("/dev/null").toFile()));
    long start = System.nanoTime();
    Process p = pb.start();
    long[] jobStart = {-1};
    long[] firstResult = {-1};
    Matcher[] summary = {null};
    String readingPrefix = r.pipeline + " on " + r.runner + ": reading ";

    Thread stdout =
        new Thread(
            () -> {
              try (BufferedReader in =
                      new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                  Writer log = Files.newBufferedWriter(runDir.resolve("stdout.log"), StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                  long now = System.nanoTime();
                  log.write(line);
                  log.write('\n');
                  log.flush(); // a streaming run's feeder waits for the job's start line
                  if (jobStart[0] < 0 && line.startsWith(readingPrefix)) {
                    jobStart[0] = now;
                  }
                  Matcher m = SUMMARY.matcher(line);
                  if (m.matches()) {
                    summary[0] = m;
                  }
                }
              } catch (IOException e) {
                // The child closed its output: nothing more to read.
              }
            },
            "compare-stdout");
    stdout.setDaemon(true);
    stdout.start();

    ProcStats proc = new ProcStats();
    Thread poller =
        new Thread(
            () -> {
              long lastProc = 0;
              while (p.isAlive()) {
                long now = System.nanoTime();
                if (firstResult[0] < 0 && hasResultFile(outputDir)) {
                  firstResult[0] = now;
                }
                if (GNU_TIME == null && now - lastProc > 50_000_000L) {
                  proc.sample(p.pid());
                  lastProc = now;
                }
                try {
                  Thread.sleep(5);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "compare-poller");
    poller.setDaemon(true);
    poller.start();

    boolean finished = p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES);
    if (!finished) {
      // Only the processes this run started: the child JVM (under time) and the time wrapper.
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor();
    }
    long end = System.nanoTime();
    stdout.join(10_000);
    poller.join(1_000);
    if (firstResult[0] < 0 && hasResultFile(outputDir)) {
      firstResult[0] = end; // written in the last poll interval
    }

    r.exitCode = finished ? p.exitValue() : -1;
    r.wallSeconds = (end - start) / 1e9;
    if (jobStart[0] > 0) {
      r.startupSeconds = (jobStart[0] - start) / 1e9;
      if (firstResult[0] > 0) {
        r.firstResultSeconds = Math.max(0, firstResult[0] - jobStart[0]) / 1e9;
      }
    }
    if (summary[0] != null) {
      Matcher m = summary[0];
      r.state = m.group(3);
      if (m.group(4) != null) {
        r.eventsIn = Long.parseLong(m.group(4));
        r.resultsOut = Long.parseLong(m.group(5));
        r.deadLetters = Long.parseLong(m.group(6));
        r.lateDropped = Long.parseLong(m.group(7));
      }
      r.processingSeconds = Double.parseDouble(m.group(8));
      if (r.processingSeconds > 0 && r.eventsIn != null) {
        r.throughputEventsPerSecond = r.eventsIn / r.processingSeconds;
      }
    } else {
      r.state = "NO SUMMARY";
    }
    if (!finished) {
      r.error = "killed after " + TIMEOUT_MINUTES + " minutes";
    } else if (r.exitCode != 0 || summary[0] == null) {
      r.error = errorLine(runDir.resolve("stderr.log"), r.exitCode);
    }

    if (GNU_TIME != null) {
      readGnuTime(timeFile, r);
    } else {
      r.cpuUserSeconds = proc.userSeconds;
      r.cpuSystemSeconds = proc.systemSeconds;
      r.cpuSeconds = proc.userSeconds == null ? null : proc.userSeconds + proc.systemSeconds;
      r.peakRssBytes = proc.peakRssBytes;
    }
  }

  private static boolean hasResultFile(Path dir) {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.jsonl")) {
      return files.iterator().hasNext();
    } catch (IOException e) {
      return false; // not created yet
    }
  }

  /** Reads GNU time's last line: elapsed, user, system seconds, max RSS in KiB. */
  private static void readGnuTime(Path file, RunResult r) throws IOException {
    if (!Files.exists(file)) {
      return;
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    // With a non-zero exit GNU time writes "Command exited with non-zero status N" first.
    for (int i = lines.size() - 1; i >= 0; i--) {
      String[] f = lines.get(i).trim().split("\\s+");
      if (f.length == 4 && f[0].matches("[0-9.]+")) {
        r.cpuUserSeconds = Double.parseDouble(f[1]);
        r.cpuSystemSeconds = Double.parseDouble(f[2]);
        r.cpuSeconds = r.cpuUserSeconds + r.cpuSystemSeconds;
        r.peakRssBytes = Long.parseLong(f[3]) * 1024L;
        return;
      }
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

  private static Path gnuTime() {
    Path t = Paths.get("/usr/bin/time");
    if (!Files.isExecutable(t)) {
      return null;
    }
    try {
      Process p = new ProcessBuilder(t.toString(), "--version").redirectErrorStream(true).start();
      String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(5, TimeUnit.SECONDS);
      return text.contains("GNU") ? t : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** CPU and peak RSS of a live process from /proc (Linux), for machines without GNU time. */
  private static final class ProcStats {
    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux
    volatile Double userSeconds;
    volatile Double systemSeconds;
    volatile Long peakRssBytes;

    void sample(long pid) {
      try {
        String stat = Files.readString(Paths.get("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // After "pid (comm) ", field 3 (state) is f[0]: utime is field 14 → f[11], stime 15 → f[12].
        userSeconds = Long.parseLong(f[11]) / TICKS_PER_SECOND;
        systemSeconds = Long.parseLong(f[12]) / TICKS_PER_SECOND;
        for (String line : Files.readAllLines(Paths.get("/proc", Long.toString(pid), "status"))) {
          if (line.startsWith("VmHWM:")) {
            peakRssBytes = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024L;
          }
        }
      } catch (IOException | RuntimeException e) {
        // The process ended between two samples, or no /proc: keep the last sample.
      }
    }
  }
}
