package streams.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one measured program in its own process, the one way {@code scripts/compare} and {@code scripts/bench}
 * start and measure a run, from outside:
 *
 * <ul>
 *   <li>wall time: process start to exit, from this JVM's monotonic clock;
 *   <li>CPU (user + system) and peak RSS: GNU {@code time}'s {@code %U %S %M}, which the kernel accounts
 *       exactly at the child's exit; without GNU time, {@code /proc/<pid>} polled every 50 ms (VmHWM is
 *       exact while the process lives; CPU misses at most the last 50 ms);
 *   <li>its output lines, each with the moment it was read, for the caller's own figures (a job's start
 *       line, its summary line), written to a log as they come (flushed line by line).
 * </ul>
 *
 * A run past its timeout is killed: only the processes it started (the program and the time wrapper).
 */
public final class ChildProcess {
  /** The figures measured from outside. Times in seconds; null when not measured. */
  public record Measured(
      int exitCode,
      boolean timedOut,
      long startNanos,
      long endNanos,
      Double cpuUserSeconds,
      Double cpuSystemSeconds,
      Long peakRssBytes) {
    public double wallSeconds() {
      return (endNanos - startNanos) / 1e9;
    }

    public Double cpuSeconds() {
      return cpuUserSeconds == null || cpuSystemSeconds == null ? null : cpuUserSeconds + cpuSystemSeconds;
    }
  }

  /** Called for each output line with the {@link System#nanoTime} it was read at. */
  @FunctionalInterface
  public interface LineListener {
    void line(String line, long nanos);
  }

  private static final Path GNU_TIME = gnuTime();

  private ChildProcess() {}

  /** How CPU and peak RSS are measured on this machine, for the reports. */
  public static String resourceMeasure() {
    return GNU_TIME != null ? "GNU time (" + GNU_TIME + " %U %S %M)" : "/proc polling (50 ms)";
  }

  /** "GNU time" or "/proc polling": the short form recorded per run. */
  public static String resourceMeasureShort() {
    return GNU_TIME != null ? "GNU time" : "/proc polling";
  }

  /**
   * Runs {@code command}; its standard output goes to {@code stdoutLog} and {@code onLine}, its standard
   * error to {@code stderrLog} (or with the output when null). {@code poll} runs every 5 ms while the
   * process lives (e.g. to see a first result file appear); it may be null.
   */
  public static Measured run(
      List<String> command,
      Path stdoutLog,
      Path stderrLog,
      Duration timeout,
      LineListener onLine,
      Runnable poll)
      throws IOException, InterruptedException {
    Path timeFile = stdoutLog.resolveSibling(stdoutLog.getFileName() + ".time");
    List<String> cmd = new ArrayList<>();
    if (GNU_TIME != null) {
      cmd.addAll(List.of(GNU_TIME.toString(), "-f", "%e %U %S %M", "-o", timeFile.toString()));
    }
    cmd.addAll(command);
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(Paths.get("/dev/null").toFile()));
    if (stderrLog == null) {
      pb.redirectErrorStream(true);
    } else {
      pb.redirectError(stderrLog.toFile());
    }
    long start = System.nanoTime();
    Process p = pb.start();

    Thread stdout =
        new Thread(
            () -> {
              try (BufferedReader in =
                      new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                  Writer log = Files.newBufferedWriter(stdoutLog, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                  long now = System.nanoTime();
                  log.write(line);
                  log.write('\n');
                  log.flush(); // a streaming run's feeder waits for the job's start line
                  if (onLine != null) {
                    onLine.line(line, now);
                  }
                }
              } catch (IOException e) {
                // The child closed its output: nothing more to read.
              }
            },
            "measured-stdout");
    stdout.setDaemon(true);
    stdout.start();

    ProcStats proc = new ProcStats();
    Thread poller =
        new Thread(
            () -> {
              long lastProc = 0;
              while (p.isAlive()) {
                long now = System.nanoTime();
                if (poll != null) {
                  poll.run();
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
            "measured-poller");
    poller.setDaemon(true);
    poller.start();

    boolean finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (!finished) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor();
    }
    long end = System.nanoTime();
    stdout.join(10_000);
    poller.join(1_000);
    int exit = finished ? p.exitValue() : -1;
    if (GNU_TIME != null) {
      double[] t = readGnuTime(timeFile);
      Files.deleteIfExists(timeFile);
      return t == null
          ? new Measured(exit, !finished, start, end, null, null, null)
          : new Measured(exit, !finished, start, end, t[1], t[2], (long) t[3] * 1024L);
    }
    return new Measured(exit, !finished, start, end, proc.userSeconds, proc.systemSeconds, proc.peakRssBytes);
  }

  /** GNU time's last line: elapsed, user, system seconds, max RSS in KiB; null when absent. */
  private static double[] readGnuTime(Path file) throws IOException {
    if (!Files.exists(file)) {
      return null;
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    // With a non-zero exit GNU time writes "Command exited with non-zero status N" first.
    for (int i = lines.size() - 1; i >= 0; i--) {
      String[] f = lines.get(i).trim().split("\\s+");
      if (f.length == 4 && f[0].matches("[0-9.]+")) {
        return new double[] {
          Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3])
        };
      }
    }
    return null;
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
