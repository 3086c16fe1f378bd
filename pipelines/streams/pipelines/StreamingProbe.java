package streams.pipelines;

import java.util.List;

/**
 * How a pipeline's streaming run through Kafka is measured: the pipeline options such a run uses (its
 * model gets the same), the latency of each result from the broker's append times of the input and
 * result records, and the final answer a consumer upserting by key ends with (compared with the batch
 * model). The comparison ({@code scripts/compare --mode=streaming}) calls it; {@link #NOT_MEASURED} counts
 * and checks results only.
 */
public interface StreamingProbe {
  /** A record as the broker appended it: its value and its append time (LogAppendTime). */
  record Appended(String value, long appendMillis) {}

  /** Pipeline options of the streaming runs, none by default. */
  default List<String> options() {
    return List.of();
  }

  /** What a latency sample measures, for the report. */
  String basis(long maxOutOfOrdernessMillis);

  /** One latency in milliseconds per result that has one. */
  List<Double> latencies(List<Appended> input, List<Appended> results, long maxOutOfOrdernessMillis);

  /** The result lines a consumer upserting by key ends with, comparable with the batch model. */
  default List<String> finalAnswer(List<String> results) {
    return results;
  }

  /** Input events the engine dropped as too late, measured from the output alone; null when not known. */
  default Long uncounted(List<Appended> input, List<String> results) {
    return null;
  }

  /** Whether input over the span to the last result is a sustained throughput (no window or timer waits). */
  default boolean sustainedThroughput() {
    return false;
  }

  StreamingProbe NOT_MEASURED =
      new StreamingProbe() {
        @Override
        public String basis(long maxOutOfOrdernessMillis) {
          return "not measured (results wait for event-time timers)";
        }

        @Override
        public List<Double> latencies(List<Appended> input, List<Appended> results, long maxOutOfOrdernessMillis) {
          return List.of();
        }
      };
}
