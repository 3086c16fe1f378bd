package streams.cli;

import java.util.Optional;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PValue;
import streams.pipelines.PipelineDescriptor;
import streams.pipelines.PipelineDescriptor.Requirement;

/**
 * Known runner limits that a pipeline would only hit deep inside the engine, checked at start-up so the
 * user gets one line instead of a stack trace.
 *
 * <p>Event-time timers on Spark in streaming mode: the classic Spark runner (Beam 2.62) translates a
 * stateful DoFn in streaming with {@code mapWithState} and rejects any DoFn that declares a timer
 * ({@code TranslationUtils.rejectTimers}, called by {@code StatefulStreamingParDoEvaluator}): "DoFn cannot
 * yet be used with timers in the SparkRunner". State without timers is supported there since 2.62
 * (apache/beam#33237), but that state only runs when its key receives new data, and the runner does not
 * propagate watermarks to user timers (apache/beam#23129; processing-time timers: apache/beam#33633), so
 * neither "decide once the watermark has passed" nor "expire state when the watermark has passed" can be
 * expressed. In batch the same DoFns run (timers fire after all of a key's elements) and give the model's
 * answer. Spark runs in streaming mode with {@code --streaming} or with an unbounded source.
 */
public final class RunnerLimits {
  // revenue on Spark streaming: see check(); the TestStream scenario droppedBeyondAllowedLateness pins the
  // re-opened window on Spark.
  static final String SPARK_STREAMING_TIMERS_ISSUE = "apache/beam#23129";

  private RunnerLimits() {}

  /** Throws a one-line {@link UsageException} when the engine cannot run the pipeline as asked. */
  static void check(PipelineDescriptor<?> entry, Engines engine, Pipeline pipeline) {
    if (engine != Engines.SPARK || !isStreaming(pipeline)) {
      return;
    }
    Optional<String> refusal = refusalInStreaming(entry, engine, pipeline.getOptions());
    if (refusal.isPresent()) {
      throw new UsageException(refusal.get());
    }
  }

  /**
   * Why the engine refuses the pipeline with these options in streaming mode (the one line {@link #check}
   * gives a streaming run), or empty if it runs it; for a benchmark that skips what the command line refuses.
   */
  public static Optional<String> refusalInStreaming(
      PipelineDescriptor<?> entry, Engines engine, PipelineOptions options) {
    if (engine != Engines.SPARK) {
      return Optional.empty();
    }
    // Checked first: it names the option that changes the answer.
    if (entry.needs(Requirement.CLOSED_WINDOWS_STAY_CLOSED, options)) {
      return Optional.of(
          entry.name
              + " with these options (panes final once the watermark closes a window) on spark in streaming"
              + " mode would be wrong: Spark's watermark lags one"
              + " micro-batch, so an event later than --allowedLateness re-opens its closed window as a new pane"
              + " counting only itself, which replaces the right total for a consumer that upserts (and routing"
              + " late events needs event-time timers, "
              + SPARK_STREAMING_TIMERS_ISSUE
              + "); use --trigger=complete on spark (never drops late data), batch, or flink or direct");
    }
    if (entry.needs(Requirement.EVENT_TIME_TIMERS, options)) {
      return Optional.of(
          entry.name
              + " needs event-time timers, which the Spark runner does not support in streaming mode"
              + " (\"DoFn cannot yet be used with timers in the SparkRunner\", "
              + SPARK_STREAMING_TIMERS_ISSUE
              + "); run it on spark in batch (file input, no --streaming) or on flink or direct");
    }
    return Optional.empty();
  }

  /** As the Spark runner decides: streaming if asked for, or if any collection is unbounded. */
  static boolean isStreaming(Pipeline pipeline) {
    if (pipeline.getOptions().as(StreamingOptions.class).isStreaming()) {
      return true;
    }
    boolean[] unbounded = {false};
    pipeline.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public void visitValue(PValue value, TransformHierarchy.Node producer) {
            if (value instanceof PCollection
                && ((PCollection<?>) value).isBounded() == PCollection.IsBounded.UNBOUNDED) {
              unbounded[0] = true;
            }
          }
        });
    return unbounded[0];
  }
}
