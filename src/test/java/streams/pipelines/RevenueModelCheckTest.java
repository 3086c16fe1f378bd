package streams.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import streams.generate.EventGenerator;
import streams.io.OutputDirs;
import streams.reference.RevenueModel;
import streams.testing.OutputFiles;
import streams.testing.TestRunner;

/**
 * {@code revenue} in batch on each runner, over a generated mixed file (late events and malformed lines
 * included), equals the reference model exactly, and so do its dead letters.
 *
 * <p>Flink and Spark in the default suite; Direct with {@code -Dtest.all=true} or {@code
 * -Dtest.runners=direct}. The Direct runner is slow on windows and timers in batch (a 1 000-event {@code
 * revenue} from the command line: 24-36 s, against 7 s for {@code completed}, under load):
 * this class took it 108 s in the suite (about 10 s on Flink or Spark).
 * Direct keeps its place in the TestStream scenarios and {@code GoldenFilesTest}, where its checks of
 * immutability and encodability matter.
 */
class RevenueModelCheckTest {
  @TempDir static Path tmp;
  private static Path input;
  private static List<String> lines;

  static List<TestRunner> runners() {
    return TestRunner.chosenForLongTests(TestRunner.FLINK, TestRunner.SPARK);
  }

  @BeforeAll
  static void generate() throws Exception {
    input = tmp.resolve("events.jsonl");
    EventGenerator.builder().events(4_000).seed(7).badFraction(0.01).build().writeTo(input);
    lines = Files.readAllLines(input, StandardCharsets.UTF_8);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runners")
  void batchOutputEqualsModel(TestRunner runner) throws Exception {
    Path out = tmp.resolve("revenue-" + runner);
    RevenuePipeline.Options options = runner.batchOptions().as(RevenuePipeline.Options.class);
    options.setInput(input.toString());
    options.setOutput(out.toString());
    options.setWindow("PT10M");
    Pipeline pipeline = Pipeline.create(options);
    RevenuePipeline.build(pipeline, options);
    assertEquals(PipelineResult.State.DONE, pipeline.run().waitUntilFinish());

    List<String> expected = RevenueModel.expected(lines, 10 * 60_000L);
    expected.sort(null);
    assertTrue(expected.size() > 100, "the model must produce results");
    assertEquals(expected, OutputFiles.jsonLines(out));
    long deadLetters = OutputFiles.jsonLines(out.resolve(OutputDirs.DEAD_LETTER_DIR)).size();
    assertEquals(RevenueModel.deadLetters(lines), deadLetters);
    assertTrue(deadLetters > 10, "the input must hold malformed lines");
  }
}
