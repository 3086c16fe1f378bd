package streams.pipelines;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;
import streams.generate.EventGenerator;
import streams.io.OutputDirs;
import streams.reference.RevenueModel;
import streams.testing.Conformance;
import streams.testing.OutputFiles;
import streams.testing.TestRunner;

/**
 * {@code revenue} in batch on each runner, over a generated mixed file (late events and malformed lines
 * included), equals the reference model exactly, and so do its dead letters.
 */
@RunWith(Parameterized.class)
public class RevenueModelCheckTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();
  private static Path input;
  private static List<String> lines;

  @Parameters(name = "{0}")
  public static Collection<Object[]> runners() {
    return Conformance.runners();
  }

  private final TestRunner runner;

  public RevenueModelCheckTest(TestRunner runner) {
    this.runner = runner;
  }

  @BeforeClass
  public static void generate() throws Exception {
    input = TMP.getRoot().toPath().resolve("events.jsonl");
    EventGenerator.builder().events(4_000).seed(7).badFraction(0.01).build().writeTo(input);
    lines = Files.readAllLines(input, StandardCharsets.UTF_8);
  }

  @Test
  public void batchOutputEqualsModel() throws Exception {
    Path out = TMP.getRoot().toPath().resolve("revenue-" + runner);
    RevenuePipeline.Options options = runner.batchOptions().as(RevenuePipeline.Options.class);
    options.setInput(input.toString());
    options.setOutput(out.toString());
    options.setWindow("PT10M");
    Pipeline pipeline = Pipeline.create(options);
    RevenuePipeline.build(pipeline, options);
    assertEquals(PipelineResult.State.DONE, pipeline.run().waitUntilFinish());

    List<String> expected = RevenueModel.expected(lines, 10 * 60_000L);
    expected.sort(null);
    assertTrue("the model must produce results", expected.size() > 100);
    assertEquals(expected, OutputFiles.jsonLines(out));
    long deadLetters = OutputFiles.jsonLines(out.resolve(OutputDirs.DEAD_LETTER_DIR)).size();
    assertEquals(RevenueModel.deadLetters(lines), deadLetters);
    assertTrue("the input must hold malformed lines", deadLetters > 10);
  }
}
