package streams.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.beam.sdk.Pipeline;
import streams.pipelines.CompletedPipeline;
import streams.pipelines.FraudPipeline;
import streams.pipelines.JoinPipeline;
import streams.pipelines.RevenuePipeline;
import streams.pipelines.StreamsOptions;

/** The pipelines the command line can run, by name. */
final class PipelineCatalog {
  /** A runnable pipeline: its options interface and the builder that reads, computes and writes. */
  static final class Entry<O extends StreamsOptions> {
    final String name;
    final String summary;
    final Class<O> optionsClass;
    final BiConsumer<Pipeline, O> builder;
    /** Uses event-time timers, which some runners cannot fire in streaming mode (see RunnerLimits). */
    final boolean needsEventTimeTimers;

    Entry(String name, String summary, Class<O> optionsClass, BiConsumer<Pipeline, O> builder) {
      this(name, summary, optionsClass, builder, false);
    }

    Entry(
        String name,
        String summary,
        Class<O> optionsClass,
        BiConsumer<Pipeline, O> builder,
        boolean needsEventTimeTimers) {
      this.name = name;
      this.summary = summary;
      this.optionsClass = optionsClass;
      this.builder = builder;
      this.needsEventTimeTimers = needsEventTimeTimers;
    }

    @SuppressWarnings("unchecked")
    void build(Pipeline pipeline, StreamsOptions options) {
      builder.accept(pipeline, (O) options);
    }
  }

  static final Map<String, Entry<?>> PIPELINES = new LinkedHashMap<>();

  static {
    add(
        new Entry<>(
            "revenue",
            "per user and event-time window: order count and exact total",
            RevenuePipeline.Options.class,
            RevenuePipeline::build));
    add(
        new Entry<>(
            "completed",
            "completed orders as order metrics (filter + map)",
            CompletedPipeline.Options.class,
            CompletedPipeline::build));
    add(
        new Entry<>(
            "fraud",
            "per account: alerts on the 5th and later transactions of a 60 s burst",
            FraudPipeline.Options.class,
            FraudPipeline::build,
            true));
    add(
        new Entry<>(
            "join",
            "orders joined with payments paid within [-10 s, +5 min] of the order",
            JoinPipeline.Options.class,
            JoinPipeline::build,
            true));
  }

  private PipelineCatalog() {}

  private static void add(Entry<?> entry) {
    PIPELINES.put(entry.name, entry);
  }
}
