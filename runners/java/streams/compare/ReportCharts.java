package streams.compare;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import streams.harness.Stat;

/** The charts of a comparison, rendered headless to PNG beside the report. */
final class ReportCharts {
  private final Comparison c;

  ReportCharts(Comparison c) {
    this.c = c;
  }


  /** Renders the charts; returns (file, caption) pairs. */
  List<String[]> render(Path dir) throws IOException {
    List<String[]> out = new ArrayList<>();
    List<Summary> s = c.summaries.stream().filter(x -> x.succeeded > 0).collect(Collectors.toList());
    if (s.isEmpty()) {
      return out;
    }
    String sub =
        String.format(
            Locale.ROOT,
            "%,d events, median of %d repeat(s), whisker = min–max; %d cores",
            c.settings.events,
            c.settings.repeat,
            Runtime.getRuntime().availableProcessors());
    chart(dir, out, "throughput.png", "Throughput (input events / s of processing, higher is better)", sub,
        "events / s", s, x -> x.throughputEventsPerSecond, "%,.0f");
    chart(dir, out, "peak-memory.png", "Peak memory of the JVM (RSS, lower is better)", sub, "MB", s,
        x -> x.peakRssMegabytes, "%,.0f");
    chart(dir, out, "wall-time.png", "Wall time of a run (JVM start to exit, lower is better)", sub, "s", s,
        x -> x.wallSeconds, "%.1f");
    chart(dir, out, "cpu-time.png", "CPU time (user + system, lower is better)", sub, "s", s,
        x -> x.cpuSeconds, "%.1f");
    for (String pipeline : ReportWriter.latencyPipelines()) {
      Map<String, List<Double>> cdf = new LinkedHashMap<>();
      for (Summary x : s) {
        if (x.pipeline.equals(pipeline) && x.mode.equals(Comparison.STREAMING) && x.latencyP99Millis != null) {
          medianLatencyRun(x).ifPresent(r -> cdf.put(r.runner, r.latencyPercentilesMillis));
        }
      }
      if (!cdf.isEmpty()) {
        String file = "latency-" + pipeline + ".png";
        String title = "Latency CDF, " + pipeline + " (streaming through Kafka, left is better)";
        Charts.cdf(dir.resolve(file), title,
            String.format(Locale.ROOT, "%,d events at %,.0f events/s; the run with the median p99 of each runner",
                c.settings.events, c.settings.rate), cdf);
        out.add(new String[] {file, title});
      }
    }
    return out;
  }

  private static void chart(
      Path dir,
      List<String[]> out,
      String file,
      String title,
      String subtitle,
      String axis,
      List<Summary> s,
      Function<Summary, Stat> figure,
      String format)
      throws IOException {
    if (s.stream().allMatch(x -> figure.apply(x) == null)) {
      return;
    }
    Charts.bars(dir.resolve(file), title, subtitle, axis, s, figure, format);
    out.add(new String[] {file, title});
  }

  /** The run whose p99 latency is the median of its configuration's runs. */
  private java.util.Optional<RunResult> medianLatencyRun(Summary x) {
    List<RunResult> rs =
        runsOf(x).stream()
            .filter(r -> r.succeeded() && r.latencyPercentilesMillis != null)
            .sorted(Comparator.comparingDouble((RunResult r) -> r.latencyP99Millis))
            .collect(Collectors.toList());
    return rs.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(rs.get((rs.size() - 1) / 2));
  }

  private List<RunResult> runsOf(Summary s) {
    return ReportText.runsOf(c, s);
  }
}
