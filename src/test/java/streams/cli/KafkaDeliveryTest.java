package streams.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import streams.io.KafkaIoOptions;
import streams.io.KafkaSourceConfig;
import streams.io.ReadEvents;
import streams.io.WriteToKafka;

/**
 * Start-up refusal of {@code --exactlyOnce} where the engine cannot honour it, with the reason and the
 * upstream issue; and the engine failure it anticipates.
 */
class KafkaDeliveryTest {
  private static PipelineOptions options(String... args) {
    return PipelineOptionsFactory.fromArgs(args).as(KafkaIoOptions.class);
  }

  private static final String[] EOS = {"--sink=kafka", "--outputTopic=out", "--bootstrapServers=h:1", "--exactlyOnce"};

  @Test
  void sparkRefusesExactlyOnceNamingTheIssue() {
    Optional<String> why = KafkaDelivery.refusal("spark", options(EOS));
    assertThat(why.orElseThrow(), containsString("--exactlyOnce is not supported on spark"));
    assertThat(why.orElseThrow(), containsString("apache/beam#19107"));
    assertEquals(Optional.empty(), KafkaDelivery.refusal("spark", options("--sink=kafka", "--outputTopic=out")));
  }

  @Test
  void flinkNeedsCheckpointingForExactlyOnce() {
    assertThat(
        KafkaDelivery.refusal("flink", options(EOS)).orElseThrow(), containsString("add --checkpointingInterval=MS"));
    String[] withCheckpoints = {EOS[0], EOS[1], EOS[2], EOS[3], "--checkpointingInterval=10000"};
    assertEquals(Optional.empty(), KafkaDelivery.refusal("FlinkRunner", options(withCheckpoints)));
    String[] atLeastOnce = {EOS[0], EOS[1], EOS[2], EOS[3], "--checkpointingInterval=10000", "--checkpointingMode=AT_LEAST_ONCE"};
    assertThat(
        KafkaDelivery.refusal("flink", options(atLeastOnce)).orElseThrow(), containsString("--checkpointingMode=EXACTLY_ONCE"));
  }

  @Test
  void directAcceptsExactlyOnceWithoutGuarantee() {
    assertEquals(Optional.empty(), KafkaDelivery.refusal("direct", options(EOS)));
    assertThat(KafkaDelivery.describe(Engines.DIRECT, options(EOS)), containsString("no guarantee after a crash"));
    assertThat(KafkaDelivery.describe(Engines.SPARK, options("--sink=kafka")), containsString("at-least-once"));
  }

  /** What the refusal anticipates: the Flink runner itself refuses the job without checkpointing. */
  @Test
  void flinkWithoutCheckpointingFailsAtTranslation() {
    FlinkPipelineOptions flink = PipelineOptionsFactory.create().as(FlinkPipelineOptions.class);
    flink.setRunner(FlinkRunner.class);
    flink.setFlinkMaster("[local]");
    flink.setStreaming(true);
    Pipeline pipeline = Pipeline.create(flink);
    pipeline
        .apply(ReadEvents.fromKafka(KafkaSourceConfig.unbounded("127.0.0.1:1", List.of("in"))))
        .apply(WriteToKafka.to("127.0.0.1:1", "out").exactlyOnce(1, "g"));
    Exception e = assertThrows(Exception.class, pipeline::run);
    assertThat(Cli.rootCause(e), containsString("No checkpointing configured but pipeline uses @RequiresStableInput"));
  }
}
