package streams.benchmarks.streaming;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The CPU time (user + system, from {@code /proc/<pid>/stat}) of a process and its descendants, sampled every
 * {@link #PERIOD_MILLIS} ms with the wall clock: how much CPU a run used between two instants (for a job,
 * between its first and its last result). On a machine shared with other work the wall time of a run says
 * how much CPU it got; its CPU time says how much it needed.
 */
final class CpuSampler implements AutoCloseable {
  static final long PERIOD_MILLIS = 200;
  /** USER_HZ: /proc reports clock ticks of 1/100 s on Linux. */
  private static final double TICK_SECONDS = 0.01;

  private final ProcessHandle root;
  private final List<long[]> samples = new ArrayList<>(); // {wall millis, ticks}
  private final Thread thread;
  private volatile boolean running = true;
  private long lastTicks;

  CpuSampler(Process process) {
    root = process.toHandle();
    thread = new Thread(this::loop, "cpu-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    while (running) {
      long ticks = ticks();
      synchronized (samples) {
        // A descendant that has ended takes its ticks with it: never let the series go down.
        lastTicks = Math.max(lastTicks, ticks);
        samples.add(new long[] {System.currentTimeMillis(), lastTicks});
      }
      try {
        Thread.sleep(PERIOD_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private long ticks() {
    long sum = ticksOf(root.pid());
    for (ProcessHandle h : (Iterable<ProcessHandle>) root.descendants()::iterator) {
      sum += ticksOf(h.pid());
    }
    return sum;
  }

  private static long ticksOf(long pid) {
    try {
      String stat = Files.readString(Paths.get("/proc", Long.toString(pid), "stat"));
      // Fields after the command name (which may hold spaces) start after the last ')'.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** CPU seconds used between the two wall-clock instants (linear between samples), or null. */
  Double cpuSecondsBetween(long fromMillis, long toMillis) {
    Double a = at(fromMillis);
    Double b = at(toMillis);
    return a == null || b == null ? null : (b - a) * TICK_SECONDS;
  }

  /** CPU seconds of the whole run. */
  double totalCpuSeconds() {
    synchronized (samples) {
      return samples.isEmpty() ? 0 : samples.get(samples.size() - 1)[1] * TICK_SECONDS;
    }
  }

  private Double at(long millis) {
    synchronized (samples) {
      for (int i = 1; i < samples.size(); i++) {
        long[] p = samples.get(i - 1);
        long[] q = samples.get(i);
        if (p[0] <= millis && millis <= q[0]) {
          return q[0] == p[0] ? (double) q[1] : p[1] + (q[1] - p[1]) * (double) (millis - p[0]) / (q[0] - p[0]);
        }
      }
      return null;
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
