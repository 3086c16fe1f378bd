package streams.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions.CheckEnabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import streams.io.OutputDirs;
import streams.reference.CompletedModel;
import streams.reference.FraudModel;
import streams.reference.JoinModel;
import streams.reference.RevenueModel;
import streams.testing.OutputFiles;
import streams.testing.TestRunner;

/**
 * Golden files: each pipeline in batch, with its default options, over a small fixed input ({@code
 * src/test/resources/golden/PIPELINE/input.jsonl}) writes exactly the lines of {@code expected.jsonl} and
 * the dead letters of {@code dead-letter.jsonl}, compared as sorted lists of literal lines. The expected
 * lines are written by hand from the README's contracts, not produced by the code under test, so a renamed
 * field, a field moved, money without its two decimals, an instant in another form or a changed rejection
 * message fails here.
 *
 * <p>The inputs hold: window boundaries ({@code 10:59:59.999}, {@code 11:00:00.000}, a window ending at
 * midnight), an event after later ones in the file (late in arrival, on time in a batch run), a redelivered
 * record, amounts with 0, 1 and 2 decimals as numbers and strings ({@code 7}, {@code "7"}, {@code 12.5},
 * {@code "1e2"}, negatives, zero, the largest), times with an offset and as epoch milliseconds, a fraud
 * burst with a tie broken by {@code tx_id} and a 5th transaction exactly at the burst's end, join bounds hit
 * exactly and missed by 1 ms, a payment without an order, and malformed lines of each kind.
 *
 * <p>The four pipelines run side by side in one job per runner: one engine start per runner.
 */
class GoldenFilesTest {
  static final List<String> PIPELINES = List.of("revenue", "completed", "fraud", "join");

  @TempDir static Path tmp;

  /** The output folder of the job that ran the four pipelines on each runner, or why it failed. */
  private static final Map<TestRunner, Object> RUNS = new EnumMap<>(TestRunner.class);

  static Stream<Arguments> pipelinesOnRunners() {
    List<Arguments> out = new ArrayList<>();
    for (TestRunner runner : TestRunner.chosen()) {
      for (String pipeline : PIPELINES) {
        out.add(Arguments.of(runner, pipeline));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{1} on {0}")
  @MethodSource("pipelinesOnRunners")
  void outputIsTheGoldenLines(TestRunner runner, String pipeline) throws Exception {
    Path out = ranOn(runner).resolve(pipeline);
    assertLines(golden(pipeline, "expected.jsonl"), OutputFiles.jsonLines(out), pipeline + " results on " + runner);
    assertLines(
        golden(pipeline, "dead-letter.jsonl"),
        OutputFiles.jsonLines(out.resolve(OutputDirs.DEAD_LETTER_DIR)),
        pipeline + " dead letters on " + runner);
  }

  /** The reference models give the golden lines too: they are checked against text, not against the code. */
  @Test
  void referenceModelsGiveTheGoldenLines() throws Exception {
    assertLines(golden("revenue", "expected.jsonl"), RevenueModel.expected(golden("revenue", "input.jsonl"), 3_600_000L), "revenue model");
    assertLines(golden("completed", "expected.jsonl"), CompletedModel.expected(golden("completed", "input.jsonl")), "completed model");
    assertLines(golden("fraud", "expected.jsonl"), FraudModel.expected(golden("fraud", "input.jsonl"), 5, 60_000L), "fraud model");
    assertLines(golden("join", "expected.jsonl"), JoinModel.expected(golden("join", "input.jsonl"), -10_000L, 300_000L), "join model");
    for (String pipeline : PIPELINES) {
      assertEquals(
          golden(pipeline, "dead-letter.jsonl").size(),
          RevenueModel.deadLetters(golden(pipeline, "input.jsonl")),
          pipeline + ": lines that are not events");
    }
  }

  private static synchronized Path ranOn(TestRunner runner) throws Exception {
    if (!RUNS.containsKey(runner)) {
      try {
        RUNS.put(runner, runAll(runner));
      } catch (Exception | AssertionError e) {
        RUNS.put(runner, e);
      }
    }
    Object run = RUNS.get(runner);
    if (run instanceof Path) {
      return (Path) run;
    }
    throw new IllegalStateException("the golden job failed on " + runner, (Throwable) run);
  }

  private static Path runAll(TestRunner runner) throws Exception {
    Path out = tmp.resolve(runner.toString());
    PipelineOptions jobOptions = runner.batchOptions();
    // The four graphs share step names (ReadEvents, WriteResults...): Beam makes them unique.
    jobOptions.setStableUniqueNames(CheckEnabled.OFF);
    Pipeline job = Pipeline.create(jobOptions);
    RevenuePipeline.build(job, options(runner, RevenuePipeline.Options.class, "revenue", out));
    CompletedPipeline.build(job, options(runner, CompletedPipeline.Options.class, "completed", out));
    FraudPipeline.build(job, options(runner, FraudPipeline.Options.class, "fraud", out));
    JoinPipeline.build(job, options(runner, JoinPipeline.Options.class, "join", out));
    assertEquals(PipelineResult.State.DONE, job.run().waitUntilFinish(), "golden job on " + runner);
    return out;
  }

  private static <O extends StreamsOptions> O options(TestRunner runner, Class<O> type, String pipeline, Path out)
      throws Exception {
    O options = runner.batchOptions().as(type);
    options.setInput(goldenFile(pipeline, "input.jsonl").toString());
    options.setOutput(out.resolve(pipeline).toString());
    return options;
  }

  private static Path goldenFile(String pipeline, String name) throws URISyntaxException {
    return Paths.get(GoldenFilesTest.class.getResource("/golden/" + pipeline + "/" + name).toURI());
  }

  private static List<String> golden(String pipeline, String name) throws IOException, URISyntaxException {
    return Files.readAllLines(goldenFile(pipeline, name), StandardCharsets.UTF_8);
  }

  /** Equal as sorted lists of lines; a failure shows both sides one line each. */
  private static void assertLines(List<String> expected, List<String> actual, String what) {
    List<String> e = new ArrayList<>(expected);
    List<String> a = new ArrayList<>(actual);
    e.sort(null);
    a.sort(null);
    assertEquals(String.join("\n", e), String.join("\n", a), what);
  }
}
