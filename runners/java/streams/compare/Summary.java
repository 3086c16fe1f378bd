package streams.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import streams.harness.Stat;

/** One configuration (pipeline × runner × mode) over its repeats: medians and spread of every figure. */
public final class Summary {
  public final String pipeline;
  public final String runner;
  public final String mode;
  public final int runs;
  public final int succeeded;
  /** True when every run's output equals the model, false when one differs, null without a model. */
  public final Boolean correct;
  public final Stat throughputEventsPerSecond;
  public final Stat processingSeconds;
  public final Stat wallSeconds;
  public final Stat startupSeconds;
  public final Stat firstResultSeconds;
  public final Stat cpuSeconds;
  public final Stat peakRssMegabytes;
  // streaming
  public final Stat inputRateEventsPerSecond;
  public final Stat latencyP50Millis;
  public final Stat latencyP95Millis;
  public final Stat latencyP99Millis;
  public final Stat latencyMaxMillis;
  public final Stat lateDropped;
  public final Stat lateDroppedDerived;

  private Summary(String pipeline, String runner, String mode, List<RunResult> runs) {
    this.pipeline = pipeline;
    this.runner = runner;
    this.mode = mode;
    this.runs = runs.size();
    List<RunResult> ok = new ArrayList<>();
    for (RunResult r : runs) {
      if (r.succeeded()) {
        ok.add(r);
      }
    }
    this.succeeded = ok.size();
    Boolean c = null;
    for (RunResult r : runs) {
      Boolean v = r.correctness == null ? null : r.correctness.equal;
      if (v != null) {
        c = (c == null ? true : c) && v;
      } else if (!r.succeeded()) {
        c = false;
      }
    }
    this.correct = c;
    // Timing figures of failed runs would mislead: only successful runs count.
    this.throughputEventsPerSecond = Stat.of(ok, r -> r.throughputEventsPerSecond);
    this.processingSeconds = Stat.of(ok, r -> r.processingSeconds);
    this.wallSeconds = Stat.of(ok, r -> r.wallSeconds);
    this.startupSeconds = Stat.of(ok, r -> r.startupSeconds);
    this.firstResultSeconds = Stat.of(ok, r -> r.firstResultSeconds);
    this.cpuSeconds = Stat.of(ok, r -> r.cpuSeconds);
    this.peakRssMegabytes = Stat.of(ok, r -> r.peakRssBytes == null ? null : r.peakRssBytes / (1024.0 * 1024.0));
    this.inputRateEventsPerSecond = Stat.of(ok, r -> r.inputRateEventsPerSecond);
    this.latencyP50Millis = Stat.of(ok, r -> r.latencyP50Millis);
    this.latencyP95Millis = Stat.of(ok, r -> r.latencyP95Millis);
    this.latencyP99Millis = Stat.of(ok, r -> r.latencyP99Millis);
    this.latencyMaxMillis = Stat.of(ok, r -> r.latencyMaxMillis);
    this.lateDropped = Stat.of(ok, r -> r.lateDropped);
    this.lateDroppedDerived = Stat.of(ok, r -> r.lateDroppedDerived);
  }

  /** Groups runs by configuration, in the order configurations first appear. */
  static List<Summary> of(List<RunResult> runs) {
    Map<String, List<RunResult>> groups = new LinkedHashMap<>();
    for (RunResult r : runs) {
      groups.computeIfAbsent(key(r.pipeline, r.runner, r.mode), k -> new ArrayList<>()).add(r);
    }
    List<Summary> out = new ArrayList<>();
    groups.values().forEach(g -> out.add(new Summary(g.get(0).pipeline, g.get(0).runner, g.get(0).mode, g)));
    return out;
  }

  static String key(String pipeline, String runner, String mode) {
    return pipeline + "/" + runner + "/" + mode;
  }

  String key() {
    return key(pipeline, runner, mode);
  }
}
