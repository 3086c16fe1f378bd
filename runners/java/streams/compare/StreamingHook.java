package streams.compare;

import java.util.Arrays;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The hook of the streaming half of the comparison. Streaming runs go through the real Kafka broker
 * ({@code scripts/kafka}): events appended to an input topic at a stated rate, results read back from an
 * output topic, latency measured from the broker's LogAppendTime on both topics (per order_id for
 * {@code completed}; for windowed pipelines from the window's end plus the watermark bound), late events
 * dropped counted per engine. None of that can run until the pipelines read and write Kafka
 * ({@code --source=kafka}); until then every streaming configuration is skipped with the reason, and the
 * report says so.
 *
 * <p>To implement: when {@link #whyNot} returns null, start the broker, create the topics, run the child
 * with {@code --source=kafka --streaming=true ...}, feed the input at the rate, stop after the last result,
 * and fill latency percentiles into the run's result (a latency CDF chart beside the bar charts).
 */
final class StreamingHook {
  private StreamingHook() {}

  /** Why a streaming run of a pipeline with these options cannot be made. */
  static String whyNot(Class<? extends PipelineOptions> optionsClass) {
    boolean hasSource = Arrays.stream(optionsClass.getMethods()).anyMatch(m -> m.getName().equals("getSource"));
    if (!hasSource) {
      return "the pipeline has no --source=kafka option yet (the Kafka source and sink are being built);"
          + " streaming runs need the real broker";
    }
    return "the pipeline reads Kafka, but scripts/compare does not drive streaming runs yet"
        + " (streams.compare.StreamingHook)";
  }
}
