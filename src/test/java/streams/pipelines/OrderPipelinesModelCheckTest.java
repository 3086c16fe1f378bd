package streams.pipelines;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized.Parameters;
import org.junit.runners.Parameterized;
import streams.generate.EventGenerator;
import streams.io.OutputDirs;
import streams.reference.CompletedModel;
import streams.reference.FraudModel;
import streams.reference.JoinModel;
import streams.reference.RevenueModel;
import streams.testing.Conformance;
import streams.testing.Counters;
import streams.testing.OutputFiles;
import streams.testing.TestRunner;
import streams.transforms.DetectBursts;
import streams.transforms.JoinPaymentsToOrders;

/**
 * {@code completed}, {@code fraud} and {@code join} in batch on each runner, over one generated mixed file
 * (late events, duplicate payments, payments outside the interval and malformed lines included): each
 * output equals its reference model exactly (as multisets of JSON lines), dead letters too, and the
 * stateful pipelines end with all their state cleared by their timers.
 *
 * <p>In batch, event-time timers fire only after all of a key's elements (Flink and Spark) or when the
 * watermark jumps to the end (Direct): the DoFns must still give the model's answer.
 */
@RunWith(Parameterized.class)
public class OrderPipelinesModelCheckTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();
  private static Path input;
  private static List<String> lines;

  @Parameters(name = "{0}")
  public static Collection<Object[]> runners() {
    return Conformance.runners();
  }

  private final TestRunner runner;

  public OrderPipelinesModelCheckTest(TestRunner runner) {
    this.runner = runner;
  }

  @BeforeClass
  public static void generate() throws Exception {
    input = TMP.getRoot().toPath().resolve("events.jsonl");
    // Small enough for the Direct runner (about one bundle per key and step in batch); 2% late events
    // and 1% malformed lines.
    EventGenerator.builder().events(4_000).seed(11).badFraction(0.01).lateFraction(0.02).build().writeTo(input);
    lines = Files.readAllLines(input, StandardCharsets.UTF_8);
  }

  private <O extends StreamsOptions> PipelineResult run(
      String name, Class<O> optionsClass, BiConsumer<Pipeline, O> build, Path out) {
    O options = runner.batchOptions().as(optionsClass);
    options.setInput(input.toString());
    options.setOutput(out.toString());
    Pipeline pipeline = Pipeline.create(options);
    build.accept(pipeline, options);
    PipelineResult result = pipeline.run();
    assertEquals(name + " on " + runner, PipelineResult.State.DONE, result.waitUntilFinish());
    return result;
  }

  private static void assertEqualsModel(List<String> expected, Path out, int atLeast) throws Exception {
    expected.sort(null);
    assertTrue("the model must produce at least " + atLeast + " results", expected.size() >= atLeast);
    assertEquals(expected, OutputFiles.jsonLines(out));
    long deadLetters = OutputFiles.jsonLines(out.resolve(OutputDirs.DEAD_LETTER_DIR)).size();
    assertEquals(RevenueModel.deadLetters(lines), deadLetters);
    assertTrue("the input must hold malformed lines", deadLetters > 10);
  }

  @Test
  public void completedEqualsModel() throws Exception {
    Path out = TMP.getRoot().toPath().resolve("completed-" + runner);
    run("completed", CompletedPipeline.Options.class, CompletedPipeline::build, out);
    assertEqualsModel(CompletedModel.expected(lines), out, 1000);
  }

  @Test
  public void fraudEqualsModel() throws Exception {
    Path out = TMP.getRoot().toPath().resolve("fraud-" + runner);
    PipelineResult result = run("fraud", FraudPipeline.Options.class, FraudPipeline::build, out);
    assertEqualsModel(FraudModel.expected(lines, 5, 60_000L), out, 20);
    long created = Counters.of(result, DetectBursts.STATES_CREATED);
    assertTrue("burst states created: " + created, created > 100);
    assertEquals("every account's state expired by timer", created, Counters.of(result, DetectBursts.STATES_EXPIRED));
    assertEquals(0, Counters.of(result, DetectBursts.LATE_DROPPED));
  }

  @Test
  public void joinEqualsModel() throws Exception {
    Path out = TMP.getRoot().toPath().resolve("join-" + runner);
    PipelineResult result = run("join", JoinPipeline.Options.class, JoinPipeline::build, out);
    assertEqualsModel(JoinModel.expected(lines, -10_000L, 300_000L), out, 100);
    long buffered = Counters.of(result, JoinPaymentsToOrders.BUFFERED);
    assertEquals("every buffered record expired by timer", buffered, Counters.of(result, JoinPaymentsToOrders.EXPIRED));
    assertEquals(0, Counters.of(result, JoinPaymentsToOrders.LATE_DROPPED));
  }
}
