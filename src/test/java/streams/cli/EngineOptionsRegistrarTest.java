package streams.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRegistrar;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunnerRegistrar;
import org.apache.beam.runners.spark.SparkPipelineOptions;
import org.apache.beam.runners.spark.SparkRunnerRegistrar;
import org.apache.beam.sdk.options.DefaultPipelineOptionsRegistrar;
import org.apache.beam.sdk.options.PipelineOptionsRegistrar;
import org.apache.beam.sdk.options.StreamingOptions;
import org.junit.jupiter.api.Test;

/**
 * The fat jar registers the options of the engine a pipeline run uses, and those of every engine in any
 * other JVM; a flag of another engine is refused by name.
 */
class EngineOptionsRegistrarTest {
  private static final String JAR = "/work/portable-streams/target/portable-streams.jar";

  @Test
  void aPipelineRunRegistersItsEnginesOptionsOnly() {
    assertEquals(
        EnumSet.of(Engines.SPARK),
        EngineOptionsRegistrar.enginesOf(JAR + " revenue --runner=spark --input=/tmp/e.jsonl"));
    assertEquals(EnumSet.of(Engines.FLINK), EngineOptionsRegistrar.enginesOf(JAR + " completed --events=10"));
    assertEquals(
        EnumSet.of(Engines.DIRECT), EngineOptionsRegistrar.enginesOf("streams.cli.Cli fraud --runner=DirectRunner"));
    assertEquals(
        EnumSet.of(Engines.FLINK),
        EngineOptionsRegistrar.enginesOf(JAR + " join --runner=org.apache.beam.runners.flink.FlinkRunner"));

    List<Class<?>> flink = List.copyOf(EngineOptionsRegistrar.optionsOf(EnumSet.of(Engines.FLINK)));
    assertTrue(flink.contains(FlinkPipelineOptions.class));
    assertTrue(flink.contains(StreamingOptions.class), "Beam's core options stay");
    assertFalse(flink.contains(SparkPipelineOptions.class));
    assertFalse(flink.contains(DirectOptions.class));
  }

  @Test
  void everyOtherJvmRegistersEveryEngine() {
    Set<Engines> all = EnumSet.allOf(Engines.class);
    for (String command :
        List.of(
            JAR + " --help",
            JAR,
            JAR + " compare --pipelines=revenue",
            JAR + " revenue --runner=storm",
            JAR + " revenue --runner",
            "streams.cli.ClientDaemon --port=1",
            "/tmp/surefire/surefirebooter123.jar /tmp/surefire 2026 surefire.tmp",
            "")) {
      assertEquals(all, EngineOptionsRegistrar.enginesOf(command), command);
    }
    Set<Class<?>> beams = new HashSet<>();
    for (PipelineOptionsRegistrar r :
        List.of(
            new DefaultPipelineOptionsRegistrar(),
            new DirectRegistrar.Options(),
            new FlinkRunnerRegistrar.Options(),
            new SparkRunnerRegistrar.Options())) {
      r.getPipelineOptions().forEach(beams::add);
    }
    assertEquals(beams, new HashSet<>(EngineOptionsRegistrar.optionsOf(all)));
  }

  /** scripts/compare --runnerArg and scripts/bench --beamArg give each run the options of its engine. */
  @Test
  void extraEngineOptionsGoToTheRunsOfTheirEngine() {
    List<String> extra = List.of("--maxBundleTimeMills=100", "--storageLevel=MEMORY_ONLY", "--streaming", "--window=PT5M");
    assertEquals(
        List.of("--maxBundleTimeMills=100", "--streaming", "--window=PT5M"),
        EngineOptionsRegistrar.keepOwn(extra, Engines.FLINK));
    assertEquals(
        List.of("--storageLevel=MEMORY_ONLY", "--streaming", "--window=PT5M"),
        EngineOptionsRegistrar.keepOwn(extra, Engines.SPARK));
    assertEquals(List.of("--streaming", "--window=PT5M"), EngineOptionsRegistrar.keepOwn(extra, Engines.DIRECT));
  }

  @Test
  void aFlagOfAnotherEngineIsRefusedByName() {
    // Beam's message when no registered interface has the option (the jar registered Flink's only).
    String beam = "Class interface streams.pipelines.RevenuePipeline$Options missing a property named 'sparkMaster'.";
    assertEquals(
        "--sparkMaster is an option of the spark runner; this run is on flink (scripts/run <pipeline> --help"
            + " lists the options)",
        Flags.describeOptionError(beam, List.of("--sparkMaster=local[2]", "--runner=FlinkRunner")));
    assertEquals(
        "--parallelism is an option of the flink runner; this run is on spark (scripts/run <pipeline> --help"
            + " lists the options)",
        Flags.describeOptionError(
            beam.replace("sparkMaster", "parallelism"), List.of("--parallelism=2", "--runner=SparkRunner")));
    assertEquals(
        "unknown option --windw (scripts/run <pipeline> --help lists the options)",
        Flags.describeOptionError(beam.replace("sparkMaster", "windw"), List.of("--runner=SparkRunner")));
  }
}
