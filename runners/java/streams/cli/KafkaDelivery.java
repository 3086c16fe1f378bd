package streams.cli;

import java.util.Locale;
import java.util.Optional;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import streams.io.KafkaIoOptions;

/**
 * What delivery guarantee a user gets from the Kafka edges on each engine, and the start-up refusal of the
 * combinations an engine cannot run. Only {@code --sink=kafka --exactlyOnce} is ever refused: it uses
 * KafkaIO's transactional sink, a {@code @RequiresStableInput} step.
 *
 * <ul>
 *   <li>flink: exactly-once with {@code --checkpointingInterval=MS} (checkpointing mode EXACTLY_ONCE, the
 *       default). The runner buffers the sink's input until a checkpoint completes, so results appear once
 *       per checkpoint; source offsets are in the checkpoint. Without checkpointing the runner itself fails
 *       ("No checkpointing configured but pipeline uses @RequiresStableInput"): refused here first.
 *   <li>spark: refused in batch and streaming: "Spark runner currently doesn't support
 *       {@code @RequiresStableInput} annotation" (apache/beam#19107).
 *   <li>direct: accepted; transactions are used, but the runner keeps no checkpoint and replays nothing
 *       after a crash: a test runner, no guarantee.
 * </ul>
 *
 * Without {@code --exactlyOnce}, Kafka results are at-least-once on every engine: a replayed bundle or a
 * restarted job writes again (the source starts from the earliest offset unless a checkpoint says
 * otherwise), and consumers upsert by key.
 */
public final class KafkaDelivery {
  static final String SPARK_STABLE_INPUT_ISSUE = "apache/beam#19107";

  private KafkaDelivery() {}

  /** Why {@code runner} (direct, flink, spark or a Beam runner class name) cannot run these options. */
  public static Optional<String> refusal(String runner, PipelineOptions options) {
    return refusal(Engines.parse(runner), options);
  }

  public static Optional<String> refusal(Engines engine, PipelineOptions options) {
    KafkaIoOptions io = options.as(KafkaIoOptions.class);
    if (!exactlyOnceKafka(io)) {
      return Optional.empty();
    }
    switch (engine) {
      case SPARK:
        return Optional.of(
            "--exactlyOnce is not supported on spark: KafkaIO's exactly-once sink needs"
                + " @RequiresStableInput, which the Spark runner rejects in batch and streaming (\"Spark runner"
                + " currently doesn't support @RequiresStableInput annotation\", "
                + SPARK_STABLE_INPUT_ISSUE
                + "); use --runner=flink --checkpointingInterval=10000, or drop --exactlyOnce"
                + " (at-least-once)");
      case FLINK:
        {
          FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
          Long interval = flink.getCheckpointingInterval();
          if (interval == null || interval <= 0) {
            return Optional.of(
                "--exactlyOnce on flink needs checkpointing: add --checkpointingInterval=MS (e.g. 10000);"
                    + " Kafka transactions are committed when a checkpoint completes");
          }
          String mode = flink.getCheckpointingMode();
          if (mode != null && !mode.toUpperCase(Locale.ROOT).equals("EXACTLY_ONCE")) {
            return Optional.of(
                "--exactlyOnce on flink needs --checkpointingMode=EXACTLY_ONCE (got " + mode + ")");
          }
          return Optional.empty();
        }
      default:
        return Optional.empty();
    }
  }

  /** One line for the run summary: the delivery guarantee of the results on this engine. */
  public static String describe(Engines engine, PipelineOptions options) {
    KafkaIoOptions io = options.as(KafkaIoOptions.class);
    if (SinkKind.parse(io.getSink()) != SinkKind.KAFKA) {
      return "results in files: each run rewrites its output folder";
    }
    if (!io.getExactlyOnce()) {
      return "at-least-once: after a failure or restart some results may be written again (consumers upsert"
          + " by key)";
    }
    switch (engine) {
      case FLINK:
        return "exactly-once: Kafka transactions committed at each checkpoint (read with"
            + " isolation.level=read_committed; results appear once per checkpoint interval)";
      case DIRECT:
        return "transactional writes, but the Direct runner keeps no checkpoint: no guarantee after a crash";
      default:
        return refusal(engine, options).orElse("exactly-once");
    }
  }

  static boolean exactlyOnceKafka(KafkaIoOptions io) {
    return io.getExactlyOnce() && SinkKind.parse(io.getSink()) == SinkKind.KAFKA;
  }
}
