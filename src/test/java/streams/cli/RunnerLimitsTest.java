package streams.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

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
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import streams.pipelines.PipelineDescriptor;
import streams.pipelines.Pipelines;

/**
 * The start-up refusal of pipelines with event-time timers on Spark in streaming mode: one line naming the
 * limit and the upstream issue, exit code 2, no stack trace, and no refusal where the runner can run it.
 */
public class RunnerLimitsTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final String LIMIT = "does not support in streaming mode";

  private static Path input() throws Exception {
    Path f = TMP.getRoot().toPath().resolve("one.jsonl");
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

  @Test
  public void fraudAndJoinAreRefusedOnSparkStreaming() throws Exception {
    for (String pipeline : new String[] {"fraud", "join"}) {
      UsageException e =
          refusal(pipeline, "--runner=spark", "--streaming", "--input=" + input(), "--output=" + TMP.newFolder());
      assertThat(e.getMessage(), containsString(pipeline + " needs event-time timers"));
      assertThat(e.getMessage(), containsString(LIMIT));
      assertThat(e.getMessage(), containsString("apache/beam#23129"));
      assertThat(e.getMessage(), not(containsString("\n")));
    }
  }

  @Test
  public void statelessPipelinesAndOtherRunnersAreNotRefused() throws Exception {
    PipelineDescriptor<?> completed = Pipelines.named("completed");
    PipelineDescriptor<?> fraud = Pipelines.named("fraud");
    PipelineOptions streaming =
        PipelineOptionsFactory.fromArgs("--streaming").create();
    Pipeline p = Pipeline.create(streaming);
    RunnerLimits.check(completed, Engines.SPARK, p);
    RunnerLimits.check(fraud, Engines.FLINK, p);
    RunnerLimits.check(fraud, Engines.DIRECT, p);
    Pipeline batch =
        Pipeline.create(PipelineOptionsFactory.create());
    RunnerLimits.check(fraud, Engines.SPARK, batch);
    assertThrows(UsageException.class, () -> RunnerLimits.check(fraud, Engines.SPARK, p));
  }

  /** As a user meets it: its own JVM, one line on stderr, exit code 2, no stack trace. */
  @Test
  public void commandLineRefusalIsOneLine() throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Cli.class.getName());
    command.addAll(
        List.of("fraud", "--runner=spark", "--streaming=true", "--input=" + input(), "--output=" + TMP.newFolder()));
    Path err = TMP.newFile().toPath();
    Process p = new ProcessBuilder(command).redirectOutput(TMP.newFile()).redirectError(err.toFile()).start();
    assertEquals(2, p.waitFor());
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    assertThat(stderr, containsString("error: fraud needs event-time timers, which the Spark runner " + LIMIT));
    assertThat(stderr, not(containsString("\tat ")));
  }
}
