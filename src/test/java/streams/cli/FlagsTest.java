package streams.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import streams.pipelines.RevenuePipeline;

/** The command line's flags: typed values, and one line that names the flag for each mistake. */
class FlagsTest {
  @Test
  void optionsParseAndMistakesNameTheFlag() {
    RevenuePipeline.Options o = Flags.parseOptions(List.of("--window=PT5M", "--trigger=update"), RevenuePipeline.Options.class);
    assertEquals("PT5M", o.getWindow());
    assertEquals("update", o.getTrigger());
    assertThat(
        assertThrows(UsageException.class, () -> Flags.parseOptions(List.of("window=PT5M"), RevenuePipeline.Options.class))
            .getMessage(),
        containsString("unexpected argument 'window=PT5M'; options look like --name=value"));
    assertEquals(
        "unknown option --windw (scripts/run <pipeline> --help lists the options)",
        assertThrows(UsageException.class, () -> Flags.parseOptions(List.of("--windw=PT5M"), RevenuePipeline.Options.class))
            .getMessage());
    // A value of the wrong type: the flag as given, and what it takes (Beam's message names neither).
    assertEquals(
        "--events=abc is not a whole number; --events takes a whole number",
        assertThrows(UsageException.class, () -> Flags.parseOptions(List.of("--events=abc"), RevenuePipeline.Options.class))
            .getMessage());
    assertEquals(
        "--parallelism=two is not a whole number; --parallelism takes a whole number",
        assertThrows(UsageException.class, () -> Flags.parseOptions(List.of("--parallelism=two"), RevenuePipeline.Options.class))
            .getMessage());
    assertEquals("first line", Flags.describeOptionError("first line\nsecond line"));
    assertEquals("invalid option", Flags.describeOptionError(null));
  }

  /** Refused before anything runs, with the flag as given; the engine's own message came after its start. */
  @Test
  void badParallelismAndEventCountAreRefusedAtStartUp() {
    java.io.PrintStream out =
        new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true, java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(
        "--parallelism=0 is not a parallelism; allowed: a positive number of parallel tasks, or -1 (the engine's"
            + " default)",
        assertThrows(UsageException.class, () -> Cli.run(List.of("revenue", "--parallelism=0", "--events=10"), out))
            .getMessage());
    assertThrows(UsageException.class, () -> Cli.run(List.of("revenue", "--parallelism=-3", "--events=10"), out));
    // Remote paths: the jar has Beam's local file system only (a Windows drive letter is not a scheme).
    assertEquals(
        "--input=gs://bucket/events.jsonl: --input takes a local file or glob",
        assertThrows(UsageException.class, () -> Cli.run(List.of("revenue", "--input=gs://bucket/events.jsonl"), out))
            .getMessage());
    assertEquals(
        "--output=s3://bucket/out: --output takes a local folder",
        assertThrows(UsageException.class, () -> Cli.run(List.of("revenue", "--events=10", "--output=s3://bucket/out"), out))
            .getMessage());
    RunPlan.requireLocal("output", "/tmp/out", "a local folder");
    RunPlan.requireLocal("output", "file:///tmp/out", "a local folder");
    RunPlan.requireLocal("output", "C:/out", "a local folder");
    assertEquals(
        "--events=-5 must not be negative",
        assertThrows(UsageException.class, () -> Cli.run(List.of("revenue", "--events=-5"), out)).getMessage());
  }

  @Test
  void stopDurationsAndRawValues() {
    assertTrue(Flags.parseStop(null));
    assertTrue(Flags.parseStop(" Drain "));
    assertFalse(Flags.parseStop("cancel"));
    assertEquals(
        "--stop=kill is not a way to stop; allowed: drain, cancel",
        assertThrows(UsageException.class, () -> Flags.parseStop("kill")).getMessage());
    assertNull(Flags.optionalDuration("stopAfter", " "));
    assertEquals(Duration.standardSeconds(90), Flags.optionalDuration("stopAfter", "PT1M30S"));
    assertThat(assertThrows(UsageException.class, () -> Flags.duration("stopAfter", "90s")).getMessage(), containsString("stopAfter"));
    assertThrows(UsageException.class, () -> Flags.duration("stopAfter", "PT0S"));
    List<String> args = List.of("--topic=a", "--verbose", "--topic=b", "--exactlyOnce=false");
    assertEquals("b", Flags.rawValue(args, "topic"), "the last one wins");
    assertNull(Flags.rawValue(args, "output"));
    assertTrue(Flags.rawFlag(args, "verbose"));
    assertFalse(Flags.rawFlag(args, "exactlyOnce"));
    assertFalse(Flags.rawFlag(args, "streaming"));
  }

  @Test
  void streamingFlinkBundlesEndEvery20MsUnlessTheUserSaysOtherwise() {
    FlinkPipelineOptions defaults = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    Engines.FLINK.configureStreaming(defaults, List.of());
    assertEquals(20L, (long) defaults.getMaxBundleTimeMills());
    FlinkPipelineOptions given =
        PipelineOptionsFactory.fromArgs("--maxBundleTimeMills=1000").as(FlinkPipelineOptions.class);
    Engines.FLINK.configureStreaming(given, List.of("--maxBundleTimeMills=1000"));
    assertEquals(1000L, (long) given.getMaxBundleTimeMills());
    // Exactly once to Kafka: results wait for a checkpoint anyway, and short bundles slowed the writer.
    List<String> eos = List.of("--sink=kafka", "--exactlyOnce");
    PipelineOptionsFactory.register(streams.io.KafkaIoOptions.class);
    FlinkPipelineOptions exactlyOnce =
        PipelineOptionsFactory.fromArgs(eos.toArray(new String[0])).as(FlinkPipelineOptions.class);
    long runnerDefault = exactlyOnce.getMaxBundleTimeMills();
    Engines.FLINK.configureStreaming(exactlyOnce, eos);
    assertEquals(runnerDefault, (long) exactlyOnce.getMaxBundleTimeMills());
  }
}
