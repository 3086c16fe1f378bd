package streams.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import streams.pipelines.PipelineDescriptor;
import streams.pipelines.PipelineDescriptor.Requirement;
import streams.pipelines.Pipelines;
import streams.pipelines.RevenuePipeline;

/**
 * The start-up refusals on Spark in streaming mode, decided from each pipeline's declared requirements and
 * the run's options: one line naming the limit and the upstream issue, exit code 2, no stack trace, and no
 * refusal where the runner can run it.
 */
class RunnerLimitsTest {
  private static final String LIMIT = "does not support in streaming mode";

  @TempDir Path tmp;

  private Path input() throws Exception {
    Path f = tmp.resolve("one.jsonl");
    if (!Files.exists(f)) {
      Files.writeString(
          f,
          "{\"type\":\"transaction\",\"tx_id\":\"t-1\",\"account_id\":\"a-1\",\"amount\":1.00,"
              + "\"created_at\":\"2026-01-15T10:00:00Z\"}\n");
    }
    return f;
  }

  private static UsageException refusal(String... args) {
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    return assertThrows(UsageException.class, () -> Cli.run(List.of(args), out));
  }

  /** A streaming pipeline with revenue's options. */
  private static Pipeline streaming(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--streaming");
    return Pipeline.create(
        PipelineOptionsFactory.fromArgs(all.toArray(new String[0])).as(RevenuePipeline.Options.class));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"fraud", "join"})
  void timerPipelinesAreRefusedOnSparkStreaming(String pipeline) throws Exception {
    UsageException e =
        refusal(pipeline, "--runner=spark", "--streaming", "--input=" + input(), "--output=" + tmp.resolve("out"));
    assertThat(e.getMessage(), containsString(pipeline + " needs event-time timers"));
    assertThat(e.getMessage(), containsString(LIMIT));
    assertThat(e.getMessage(), containsString("apache/beam#23129"));
    assertThat(e.getMessage(), not(containsString("\n")));
  }

  /** A file read in streaming mode on Spark: refused at start-up instead of Spark's error after the job ran. */
  @Test
  void fileSourceInStreamingIsRefusedOnSpark() throws Exception {
    UsageException e =
        refusal("completed", "--runner=spark", "--streaming", "--input=" + input(), "--output=" + tmp.resolve("out"));
    assertThat(e.getMessage(), startsWith("--streaming with a file source does not run on spark"));
    assertThat(e.getMessage(), containsString("drop --streaming"));
    assertThat(e.getMessage(), not(containsString("\n")));
    assertFalse(Files.exists(tmp.resolve("out")), "refused before anything ran");
  }

  /** revenue's requirements depend on its output mode: only the complete mode runs on Spark streaming. */
  @Test
  void revenueIsRefusedOnSparkStreamingUnlessItsOutputIsComplete() {
    PipelineDescriptor<?> revenue = Pipelines.named("revenue");
    for (String trigger : List.of("final", "update")) {
      Pipeline p = streaming("--trigger=" + trigger);
      assertThat(trigger, revenue.needs(Requirement.CLOSED_WINDOWS_STAY_CLOSED, p.getOptions()));
      UsageException e = assertThrows(UsageException.class, () -> RunnerLimits.check(revenue, Engines.SPARK, p));
      assertThat(e.getMessage(), containsString("Spark's watermark lags one micro-batch"));
      assertThat(e.getMessage(), containsString("use --trigger=complete on spark"));
      RunnerLimits.check(revenue, Engines.FLINK, p);
      RunnerLimits.check(revenue, Engines.DIRECT, p);
    }
    Pipeline complete = streaming("--trigger=complete");
    assertThat(
        "complete output needs nothing",
        !revenue.needs(Requirement.CLOSED_WINDOWS_STAY_CLOSED, complete.getOptions())
            && !revenue.needs(Requirement.EVENT_TIME_TIMERS, complete.getOptions()));
    RunnerLimits.check(revenue, Engines.SPARK, complete);
    RunnerLimits.check(revenue, Engines.SPARK, Pipeline.create(PipelineOptionsFactory.fromArgs("--trigger=final").as(RevenuePipeline.Options.class)));
    // Without routing late orders, no timers are needed; the closed windows still are.
    PipelineOptions noLate = streaming("--trigger=final", "--lateOutput=false").getOptions();
    assertThat("no timers", !revenue.needs(Requirement.EVENT_TIME_TIMERS, noLate));
    assertThat("closed windows", revenue.needs(Requirement.CLOSED_WINDOWS_STAY_CLOSED, noLate));
  }

  @Test
  void statelessPipelinesAndOtherRunnersAreNotRefused() {
    PipelineDescriptor<?> completed = Pipelines.named("completed");
    PipelineDescriptor<?> fraud = Pipelines.named("fraud");
    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs("--streaming").create());
    RunnerLimits.check(completed, Engines.SPARK, p);
    RunnerLimits.check(fraud, Engines.FLINK, p);
    RunnerLimits.check(fraud, Engines.DIRECT, p);
    Pipeline batch = Pipeline.create(PipelineOptionsFactory.create());
    RunnerLimits.check(fraud, Engines.SPARK, batch);
    assertThrows(UsageException.class, () -> RunnerLimits.check(fraud, Engines.SPARK, p));
  }

  /** As a user meets it: its own JVM, one line on stderr, exit code 2, no stack trace. */
  @Test
  void commandLineRefusalIsOneLine() throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Cli.class.getName());
    command.addAll(
        List.of("fraud", "--runner=spark", "--streaming=true", "--input=" + input(), "--output=" + tmp.resolve("out")));
    Path err = tmp.resolve("stderr.txt");
    Process p =
        new ProcessBuilder(command)
            .redirectOutput(tmp.resolve("stdout.txt").toFile())
            .redirectError(err.toFile())
            .start();
    assertEquals(2, p.waitFor());
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    assertThat(stderr, containsString("error: fraud needs event-time timers, which the Spark runner " + LIMIT));
    assertThat(stderr, not(containsString("\tat ")));
  }
}
