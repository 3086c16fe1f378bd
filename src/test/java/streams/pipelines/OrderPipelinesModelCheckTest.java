package streams.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import streams.generate.EventGenerator;
import streams.io.OutputDirs;
import streams.reference.CompletedModel;
import streams.reference.FraudModel;
import streams.reference.JoinModel;
import streams.reference.RevenueModel;
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
 *
 * <p>Flink and Spark in the default suite; Direct with {@code -Dtest.all=true} or {@code
 * -Dtest.runners=direct}. The Direct runner is slow on windows and timers in batch (a 1 000-event {@code
 * revenue} from the command line: 24-36 s, against 7 s for {@code completed}, under load):
 * this class took it 58 s in the suite (about 10 s on Flink or Spark).
 * Direct keeps its place in the TestStream scenarios and {@code GoldenFilesTest}, where its checks of
 * immutability and encodability matter.
 */
class OrderPipelinesModelCheckTest {
  @TempDir static Path tmp;
  private static Path input;
  private static List<String> lines;

  static List<TestRunner> runners() {
    return TestRunner.chosenForLongTests(TestRunner.FLINK, TestRunner.SPARK);
  }

  @BeforeAll
  static void generate() throws Exception {
    input = tmp.resolve("events.jsonl");
    // Small enough for the Direct runner (about one bundle per key and step in batch); 2% late events
    // and 1% malformed lines.
    EventGenerator.builder().events(4_000).seed(11).badFraction(0.01).lateFraction(0.02).build().writeTo(input);
    lines = Files.readAllLines(input, StandardCharsets.UTF_8);
  }

  private static <O extends StreamsOptions> PipelineResult run(
      TestRunner runner, String name, Class<O> optionsClass, BiConsumer<Pipeline, O> build, Path out) {
    O options = runner.batchOptions().as(optionsClass);
    options.setInput(input.toString());
    options.setOutput(out.toString());
    Pipeline pipeline = Pipeline.create(options);
    build.accept(pipeline, options);
    PipelineResult result = pipeline.run();
    assertEquals(PipelineResult.State.DONE, result.waitUntilFinish(), name + " on " + runner);
    return result;
  }

  private static void assertEqualsModel(List<String> expected, Path out, int atLeast) throws Exception {
    expected.sort(null);
    assertTrue(expected.size() >= atLeast, "the model must produce at least " + atLeast + " results");
    assertEquals(expected, OutputFiles.jsonLines(out));
    long deadLetters = OutputFiles.jsonLines(out.resolve(OutputDirs.DEAD_LETTER_DIR)).size();
    assertEquals(RevenueModel.deadLetters(lines), deadLetters);
    assertTrue(deadLetters > 10, "the input must hold malformed lines");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runners")
  void completedEqualsModel(TestRunner runner) throws Exception {
    Path out = tmp.resolve("completed-" + runner);
    run(runner, "completed", CompletedPipeline.Options.class, CompletedPipeline::build, out);
    assertEqualsModel(CompletedModel.expected(lines), out, 1000);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runners")
  void fraudEqualsModel(TestRunner runner) throws Exception {
    Path out = tmp.resolve("fraud-" + runner);
    PipelineResult result = run(runner, "fraud", FraudPipeline.Options.class, FraudPipeline::build, out);
    assertEqualsModel(FraudModel.expected(lines, 5, 60_000L), out, 20);
    long created = Counters.of(result, DetectBursts.STATES_CREATED);
    assertTrue(created > 100, "burst states created: " + created);
    assertEquals(created, Counters.of(result, DetectBursts.STATES_EXPIRED), "every account's state expired by timer");
    assertEquals(0, Counters.of(result, DetectBursts.LATE_DROPPED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runners")
  void joinEqualsModel(TestRunner runner) throws Exception {
    Path out = tmp.resolve("join-" + runner);
    PipelineResult result = run(runner, "join", JoinPipeline.Options.class, JoinPipeline::build, out);
    assertEqualsModel(JoinModel.expected(lines, -10_000L, 300_000L), out, 100);
    long buffered = Counters.of(result, JoinPaymentsToOrders.BUFFERED);
    assertEquals(buffered, Counters.of(result, JoinPaymentsToOrders.EXPIRED), "every buffered record expired by timer");
    assertEquals(0, Counters.of(result, JoinPaymentsToOrders.LATE_DROPPED));
  }
}
