package streams.compare;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import streams.cli.EngineJvmFlags;
import streams.pipelines.Pipelines;
import streams.harness.Correctness;
import streams.harness.Stat;

/** The words and tables of the report, section by section, as Markdown ({@link ReportDoc}). */
final class ReportText {
  private final Comparison c;

  ReportText(Comparison c) {
    this.c = c;
  }


  ReportDoc document(List<String[]> charts) {
    List<String> pipelines = c.settings.pipelines.stream().map(t -> t.name).collect(Collectors.toList());
    List<String> runners = c.settings.runners.stream().map(Object::toString).collect(Collectors.toList());
    ReportDoc d =
        new ReportDoc(
            "Engine comparison: " + String.join(", ", pipelines) + " on " + String.join(", ", runners) + " ("
                + String.join(", ", c.settings.modes) + ")");
    d.para(
        String.format(
            Locale.ROOT,
            "Generated %s by `%s`. Input: %,d generated events (seed %d), the same bytes for every run. "
                + "Each configuration ran %d time(s), each run in its own JVM; figures are the median, "
                + "with the spread (min–max) in brackets.",
            c.started,
            c.settings.commandLine,
            c.settings.events,
            c.settings.seed,
            c.settings.repeat));
    d.para(
        String.format(
            Locale.ROOT,
            "Machine: %s cores (%s), %s memory, %s, %s. Beam %s, Flink %s, Spark %s.",
            c.machine.cores(),
            c.machine.cpuModel(),
            gib(c.machine.memoryTotalBytes()),
            c.machine.os(),
            c.machine.java(),
            c.versions.get("beam"),
            c.versions.get("flink"),
            c.versions.get("spark")));

    d.heading(2, "Results");
    if (c.runs.isEmpty()) {
      d.para("No run was made: every configuration asked for was skipped (see Not run).");
    } else {
      results(d, charts);
    }

    if (c.summaries.stream().anyMatch(x -> x.mode.equals(Comparison.STREAMING))) {
      streaming(d);
    }
    if (!c.runs.isEmpty()) {
      correctness(d);
    }
    conformance(d, runners);
    fairness(d);
    if (!c.skipped.isEmpty()) {
      d.heading(2, "Not run");
      List<List<String>> rows = new ArrayList<>();
      c.skipped.forEach(s -> rows.add(List.of(s.pipeline, s.mode, s.reason)));
      d.table(List.of("pipeline", "mode", "why"), rows);
    }
    if (c.baseline != null) {
      baseline(d);
    }
    everyRun(d);
    d.heading(2, "Files");
    List<String> files = new ArrayList<>();
    files.add("`results.json`: every raw figure, the command, machine, versions and settings");
    files.add("`results.csv`: one row per run");
    charts.forEach(ch -> files.add("`" + ch[0] + "`: " + ch[1]));
    if (c.conformance.verdicts.size() > 0 && "run".equals(c.settings.conformance)) {
      files.add("`conformance/scenarios.tsv`: the verdicts recorded by the scenario tests; `conformance/maven.log`");
    }
    if (c.runs.stream().anyMatch(r -> !r.succeeded() || (r.correctness != null && Boolean.FALSE.equals(r.correctness.equal)))) {
      files.add("`runs/<pipeline>-<runner>-<mode>-r<N>/`: logs and output of each run that failed or differs");
    }
    d.bullets(files);
    return d;
  }

  private void results(ReportDoc d, List<String[]> charts) {
    d.table(
        List.of(
            "pipeline",
            "mode",
            "runner",
            "output = model",
            "events in",
            "throughput (events/s)",
            "processing (s)",
            "wall (s)",
            "first result (s)",
            "CPU (s)",
            "peak RSS (MB)"),
        headlineRows());
    d.bullets(headlineFindings());
    for (String[] chart : charts) {
      d.image(chart[0], chart[1]);
    }
  }

  private void streaming(ReportDoc d) {
    d.heading(2, "Streaming through Kafka: latency and late data");
    d.para(
        String.format(
            Locale.ROOT,
            "Each streaming run is a real streaming job (unbounded Kafka read, `--streaming`) in its own JVM,"
                + " reading a fresh 4-partition topic and writing results to a Kafka topic. Once the job has"
                + " printed its start line and %d s of warm-up have passed, the input (the same %,d events plus"
                + " one closing event an hour later) is appended at %s; the job is cancelled once nothing has"
                + " changed for %d s. Watermark: bounded out-of-orderness %d s, idle partitions after 10 s."
                + " Latency uses the broker's append times (LogAppendTime) on both topics, so no client clock"
                + " is involved. Sustained throughput (completed only): input events over the span from the"
                + " first input append to the last result append, capped by the input rate; windowed and"
                + " timer-driven pipelines release their last results only when the partitions go idle, so the"
                + " span would measure that wait. Pipeline options of the streaming runs (their models get the"
                + " same): " + ReportWriter.streamingOptions()
                + " (the input covers minutes of event time: with the default hour one window would close, at"
                + " the end).",
            StreamingRun.WARM_UP.toSeconds(),
            c.settings.events,
            c.settings.rate > 0 ? String.format(Locale.ROOT, "%,.0f events/s", c.settings.rate) : "full speed",
            StreamingRun.IDLE.toSeconds(),
            StreamingRun.MAX_OUT_OF_ORDERNESS.toSeconds()));
    List<List<String>> rows = new ArrayList<>();
    for (Summary x : c.summaries) {
      if (!x.mode.equals(Comparison.STREAMING)) {
        continue;
      }
      String basis =
          runsOf(x).stream().map(r -> r.latencyBasis).filter(b -> b != null).findFirst().orElse("–");
      rows.add(
          List.of(
              x.pipeline,
              x.runner,
              verdict(x),
              Stat.format(x.inputRateEventsPerSecond, "%,.0f"),
              Stat.format(x.throughputEventsPerSecond, "%,.0f"),
              Stat.format(x.latencyP50Millis, "%,.0f"),
              Stat.format(x.latencyP95Millis, "%,.0f"),
              Stat.format(x.latencyP99Millis, "%,.0f"),
              Stat.format(x.latencyMaxMillis, "%,.0f"),
              x.lateDropped != null ? Stat.format(x.lateDropped, "%,.0f") : "not reported",
              x.lateDroppedDerived != null ? Stat.format(x.lateDroppedDerived, "%,.0f") : "–",
              basis));
    }
    d.table(
        List.of(
            "pipeline",
            "runner",
            "final output = batch model",
            "input rate (events/s)",
            "sustained throughput (events/s, completed)",
            "latency p50 (ms)",
            "p95 (ms)",
            "p99 (ms)",
            "max (ms)",
            "late dropped (job counter)",
            "orders not counted (from output)",
            "latency measured as"),
        rows);
    d.bullets(
        List.of(
            "Final output = batch model: for revenue the last pane of every (user, window), the value a consumer"
                + " upserting by key ends with, compared with the batch model over the same events; a difference"
                + " is late data the streaming job dropped or counted late by design (allowed lateness 10 min),"
                + " which the batch model never sees as late.",
            "Late dropped (job counter): the pipelines' `late_dropped` counter (fraud and join drop explicitly;"
                + " windowed aggregations drop inside the runner and do not count there). A detached Flink job"
                + " reports no Beam metrics to the command line: 'not reported'.",
            "Orders not counted (from output, revenue): valid orders in the input minus the order counts of the"
                + " final panes: the orders the engine dropped as too late, measured from its output alone."));
  }

  private List<List<String>> headlineRows() {
    List<List<String>> rows = new ArrayList<>();
    for (Summary s : c.summaries) {
      List<RunResult> runs = runsOf(s);
      long counted = runs.stream().filter(r -> r.eventsIn != null && r.eventsIn == c.settings.events).count();
      String eventsIn =
          counted == runs.size()
              ? String.format(Locale.ROOT, "%,d", c.settings.events)
              : runs.stream()
                  .map(r -> r.eventsIn == null ? "–" : String.format(Locale.ROOT, "%,d", r.eventsIn))
                  .collect(Collectors.joining(", "))
                  + " of " + String.format(Locale.ROOT, "%,d", c.settings.events);
      rows.add(
          List.of(
              s.pipeline,
              s.mode,
              s.runner,
              verdict(s),
              eventsIn,
              Stat.format(s.throughputEventsPerSecond, "%,.0f"),
              Stat.format(s.processingSeconds, "%.1f"),
              Stat.format(s.wallSeconds, "%.1f"),
              Stat.format(s.firstResultSeconds, "%.2f"),
              Stat.format(s.cpuSeconds, "%.1f"),
              Stat.format(s.peakRssMegabytes, "%,.0f")));
    }
    return rows;
  }

  private String verdict(Summary s) {
    String runs = s.succeeded == s.runs ? "" : String.format(Locale.ROOT, " (%d of %d runs failed)", s.runs - s.succeeded, s.runs);
    if (s.correct == null) {
      return "no model" + runs;
    }
    return (s.correct ? "yes" : "**NO**") + runs;
  }

  /** Factual one-liners per pipeline and mode: who is fastest, by how much, and memory. */
  private List<String> headlineFindings() {
    List<String> out = new ArrayList<>();
    Map<String, List<Summary>> groups = new LinkedHashMap<>();
    c.summaries.forEach(s -> groups.computeIfAbsent(s.pipeline + " (" + s.mode + ")", k -> new ArrayList<>()).add(s));
    groups.forEach(
        (name, list) -> {
          List<Summary> ok =
              list.stream()
                  .filter(s -> s.throughputEventsPerSecond != null)
                  .sorted(Comparator.comparingDouble((Summary s) -> s.throughputEventsPerSecond.median).reversed())
                  .collect(Collectors.toList());
          if (ok.size() < 2) {
            return;
          }
          Summary best = ok.get(0);
          StringBuilder sb =
              new StringBuilder(
                  String.format(
                      Locale.ROOT,
                      "%s: highest median throughput on %s (%,.0f events/s)",
                      name,
                      best.runner,
                      best.throughputEventsPerSecond.median));
          for (Summary o : ok.subList(1, ok.size())) {
            sb.append(
                String.format(
                    Locale.ROOT,
                    ", %.2f× %s",
                    best.throughputEventsPerSecond.median / o.throughputEventsPerSecond.median,
                    o.runner));
          }
          List<Summary> mem =
              list.stream()
                  .filter(s -> s.peakRssMegabytes != null)
                  .sorted(Comparator.comparingDouble(s -> s.peakRssMegabytes.median))
                  .collect(Collectors.toList());
          if (mem.size() >= 2) {
            sb.append(
                String.format(
                    Locale.ROOT,
                    "; lowest peak memory on %s (%,.0f MB vs %,.0f MB on %s)",
                    mem.get(0).runner,
                    mem.get(0).peakRssMegabytes.median,
                    mem.get(mem.size() - 1).peakRssMegabytes.median,
                    mem.get(mem.size() - 1).runner));
          }
          Stat first = ok.get(0).throughputEventsPerSecond;
          Stat second = ok.get(1).throughputEventsPerSecond;
          if (first.n == 1 || second.n == 1) {
            sb.append(". One run per configuration: no spread to judge the noise by (use --repeat).");
          } else if (overlaps(first, second)) {
            sb.append(". The throughput ranges of the first two overlap: the difference is within the noise.");
          } else {
            sb.append('.');
          }
          out.add(sb.toString());
        });
    if (c.settings.events < 1_000_000) {
      out.add(
          String.format(
              Locale.ROOT,
              "With %,d events, the fixed cost of starting the engine inside the job (Flink mini-cluster, "
                  + "Spark context) weighs heavily on the throughput: compare with a larger --events before"
                  + " drawing conclusions about steady-state speed.",
              c.settings.events));
    }
    return out;
  }

  private static boolean overlaps(Stat a, Stat b) {
    return a.min <= b.max && b.min <= a.max;
  }

  private void correctness(ReportDoc d) {
    d.heading(2, "Correctness");
    d.para(
        "Each run's results (`DIR/*.jsonl`) are compared line by line with the plain-Java reference model "
            + "computed from the same input (registered in `streams.pipelines.Pipelines`), and its dead "
            + "letters with the lines the parser rejects. A result whose key (e.g. user and window) is in "
            + "both but with other values counts as different; the rest are missing or unexpected.");
    List<List<String>> rows = new ArrayList<>();
    List<String> examples = new ArrayList<>();
    for (Summary s : c.summaries) {
      for (RunResult r : runsOf(s)) {
        Correctness.Verdict v = r.correctness;
        if (v == null) {
          rows.add(List.of(s.pipeline, s.mode, s.runner, Integer.toString(r.repeat), "run failed: " + r.error, "", "", "", "", ""));
          continue;
        }
        if (v.equal == null) {
          rows.add(List.of(s.pipeline, s.mode, s.runner, Integer.toString(r.repeat), "no model", "", "", "", "", ""));
          continue;
        }
        rows.add(
            List.of(
                s.pipeline,
                s.mode,
                s.runner,
                Integer.toString(r.repeat),
                v.equal ? "equal" : "**differs**",
                String.format(Locale.ROOT, "%,d of %,d", v.actualResults, v.expectedResults),
                Long.toString(v.missing),
                Long.toString(v.unexpected),
                Long.toString(v.different),
                String.format(Locale.ROOT, "%,d of %,d", v.actualDeadLetters, v.expectedDeadLetters)));
        if (!v.equal) {
          examples.add(s.pipeline + " on " + s.runner + " (" + s.mode + ", repeat " + r.repeat + "):");
          v.examples.forEach(e -> examples.add("  " + e));
        }
      }
    }
    d.table(
        List.of("pipeline", "mode", "runner", "repeat", "verdict", "results (written of expected)", "missing",
            "unexpected", "different", "dead letters (written of expected)"),
        rows);
    if (!examples.isEmpty()) {
      d.para("Examples of differences (first " + Correctness.EXAMPLES + " of each kind):");
      d.code(String.join("\n", examples));
    }
  }

  private void conformance(ReportDoc d, List<String> asked) {
    d.heading(2, "Conformance of the event-time scenarios");
    d.para(
        "Every TestStream scenario of the test suite (late data, triggers, lateness) on every runner, as its "
            + "`Conformance` rule recorded it: pass (as on Direct, the reference), differs (the runner answers "
            + "otherwise; the test pins the runner's answer), not supported (the runner cannot run it), fail. "
            + "Source: " + c.conformance.source + ".");
    if (c.conformance.verdicts.isEmpty()) {
      return;
    }
    List<String> runners = c.conformance.runners(asked);
    List<String> headers = new ArrayList<>(List.of("test", "scenario"));
    headers.addAll(runners);
    List<String> notes = new ArrayList<>();
    List<List<String>> rows = new ArrayList<>();
    for (String[] sc : c.conformance.scenarios()) {
      List<String> row = new ArrayList<>(List.of(sc[0], ConformanceMatrix.humanise(sc[1])));
      for (String r : runners) {
        ConformanceMatrix.Verdict v = c.conformance.verdict(sc[0], sc[1], r);
        if (v == null) {
          row.add("–");
          continue;
        }
        String cell = v.verdict.equals("pass") ? "pass" : "**" + v.verdict + "**";
        if (!v.reason.isEmpty()) {
          int n = notes.indexOf(v.reason);
          if (n < 0) {
            notes.add(v.reason);
            n = notes.size() - 1;
          }
          cell += " [" + (n + 1) + "]";
        }
        row.add(cell);
      }
      rows.add(row);
    }
    d.table(headers, rows);
    List<String> numbered = new ArrayList<>();
    for (int i = 0; i < notes.size(); i++) {
      numbered.add("[" + (i + 1) + "] " + notes.get(i));
    }
    if (!numbered.isEmpty()) {
      d.bullets(numbered);
    }
  }

  private void fairness(ReportDoc d) {
    d.heading(2, "Fairness and settings");
    int cores = Runtime.getRuntime().availableProcessors();
    Long heap = c.jvm.maxHeapBytes();
    List<String> flags = c.jvm.flags();
    List<String> b = new ArrayList<>();
    b.add(
        String.format(
            Locale.ROOT,
            "Same input: every run read the same file, %,d events generated with seed %d (%s; %,d bytes, "
                + "sha256 `%s`).",
            c.settings.events,
            c.settings.seed,
            c.input.generator(),
            c.input.bytes(),
            c.input.sha256()));
    b.add(
        "Cold JVM for every run, no warm-up: each run is a new JVM started as `scripts/run` starts it ("
            + c.jvm.launcher()
            + "). Every figure includes JIT compilation, and the processing time (what the command line "
            + "reports: `pipeline.run()` to the end) includes starting and stopping the embedded engine "
            + "(Flink mini-cluster, Spark context). This is what a user of `scripts/run` gets; a long-running "
            + "cluster would amortise those costs.");
    b.add(
        "Order: configurations alternate between repeats (in order on odd repeats, reversed on even ones), "
            + "so a drift of the machine's speed does not always favour the same engine.");
    String direct =
        c.engineSettings.stream()
            .filter(s -> s.setting.equals("targetParallelism"))
            .map(s -> ", Direct's target parallelism " + s.value)
            .findFirst()
            .orElse("");
    b.add(
        String.format(
            Locale.ROOT,
            "Parallelism: every engine uses all %d cores: Flink's default parallelism (= cores), Spark "
                + "`local[*]` (%d threads)%s. No engine was tuned: the settings below are each engine's "
                + "defaults as the command line runs it; those that have no counterpart on the other "
                + "engines (bundle sizes, micro-batch interval) are listed so that the difference is stated.",
            cores,
            cores,
            direct));
    b.add(
        "JVM: `" + String.join(" ", flags).replaceAll("--add-opens=\\S+ ?", "").trim()
            + "` (plus the `--add-opens` Spark needs on Java 17); maximum heap "
            + (EngineJvmFlags.setsItself(EngineJvmFlags.HEAP, flags)
                ? gib(heap) + ", the same for every engine"
                : EngineJvmFlags.describe(EngineJvmFlags.HEAP) + " (what `scripts/run` gives the"
                    + " embedded engines), " + gib(heap) + " on Direct (the JVM default, 1/4 of the memory)")
            + (EngineJvmFlags.setsItself(EngineJvmFlags.JIT, flags)
                ? ""
                : "; JIT (C1 only): " + EngineJvmFlags.describe(EngineJvmFlags.JIT) + ", as `scripts/run`"
                    + " gives them; the JVM default otherwise")
            + ". Peak RSS counts the whole process: heap, metaspace, threads, "
            + "direct and native memory (Flink's managed memory, Netty buffers).");
    b.add(
        String.format(
            Locale.ROOT,
            "Shared machine: 1-minute load average %s at the start, %s at the end (on %d cores). Other work "
                + "on the machine stretches wall and processing times of every engine; the repeats and their "
                + "spread show how much. CPU seconds are much less sensitive to that than times are.",
            c.loadAverageStart,
            c.loadAverageEnd,
            cores));
    b.add(
        "Measured how: wall time from this tool's monotonic clock (process start to exit); startup = process "
            + "start to the job's start (the command line's `reading` line); processing time and the counts "
            + "from the command line's summary line (printed with 0.1 s resolution); throughput = input "
            + "events / processing time; first result = job start to the first `*.jsonl` file in the output "
            + "folder (polled every 5 ms; in batch, Beam's file sink renames its files into place when the "
            + "job ends, so this is close to the processing time); CPU (user + system) and peak RSS: "
            + c.jvm.resourceMeasure() + ".");
    b.add(
        c.settings.runnerArgs.isEmpty()
            ? "Engine options: each engine's defaults as the command line sets them (table below); no run was tuned."
            : "**Tuned:** every run got those of these extra engine options that its engine has: `" + String.join(" ", c.settings.runnerArgs)
                + "` (`--runnerArg`); the table below lists the defaults they override.");
    d.bullets(b);
    List<List<String>> rows = new ArrayList<>();
    c.engineSettings.forEach(s -> rows.add(List.of(s.runner, "`" + s.setting + "`", s.value, s.note)));
    d.table(List.of("runner", "setting", "value", "meaning"), rows);
  }

  private void baseline(ReportDoc d) {
    d.heading(2, "Against the baseline");
    d.para(
        "Ratios new / old of the medians, against `" + c.settings.baseline
            + "`: throughput above 1 is better, times and memory below 1 are better.");
    List<String> headers = new ArrayList<>(List.of("pipeline", "mode", "runner"));
    headers.addAll(Baseline.LABELS.values());
    List<List<String>> rows = new ArrayList<>();
    for (Baseline.Row r : c.baseline) {
      List<String> row = new ArrayList<>(List.of(r.pipeline, r.mode, r.runner));
      r.ratios.values().forEach(v -> row.add(v == null ? "–" : String.format(Locale.ROOT, "%.2f", v)));
      rows.add(row);
    }
    d.table(headers, rows);
  }

  private void everyRun(ReportDoc d) {
    d.heading(2, "Every run");
    List<List<String>> rows = new ArrayList<>();
    for (RunResult r : c.runs) {
      rows.add(
          List.of(
              Integer.toString(r.sequence),
              r.pipeline,
              r.mode,
              r.runner,
              Integer.toString(r.repeat),
              r.exitCode + " " + r.state,
              f(r.wallSeconds, "%.2f"),
              f(r.startupSeconds, "%.2f"),
              f(r.processingSeconds, "%.1f"),
              f(r.firstResultSeconds, "%.2f"),
              f(r.cpuSeconds, "%.2f"),
              r.peakRssBytes == null ? "–" : String.format(Locale.ROOT, "%,d", r.peakRssBytes / (1024 * 1024)),
              r.eventsIn == null ? "–" : String.format(Locale.ROOT, "%,d", r.eventsIn),
              r.resultsOut == null ? "–" : String.format(Locale.ROOT, "%,d", r.resultsOut),
              r.deadLetters == null ? "–" : String.format(Locale.ROOT, "%,d", r.deadLetters),
              f(r.throughputEventsPerSecond, "%,.0f"),
              r.correctness == null || r.correctness.equal == null ? "–" : r.correctness.equal ? "equal" : "**differs**"));
    }
    d.table(
        List.of("#", "pipeline", "mode", "runner", "repeat", "exit / state", "wall (s)", "startup (s)",
            "processing (s)", "first result (s)", "CPU (s)", "peak RSS (MB)", "events in", "results out",
            "dead letters", "events/s", "output = model"),
        rows);
  }

  private List<RunResult> runsOf(Summary s) {
    return runsOf(c, s);
  }

  static List<RunResult> runsOf(Comparison c, Summary s) {
    return c.runs.stream()
        .filter(r -> r.pipeline.equals(s.pipeline) && r.runner.equals(s.runner) && r.mode.equals(s.mode))
        .sorted(Comparator.comparingInt(r -> r.repeat))
        .collect(Collectors.toList());
  }

  private static String f(Double v, String pattern) {
    return v == null ? "–" : String.format(Locale.ROOT, pattern, v);
  }

  private static String gib(Long bytes) {
    return bytes == null ? "?" : String.format(Locale.ROOT, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
  }
}
