package streams.testing;

import java.util.Collection;
import org.apache.beam.sdk.testing.TestPipeline;
import org.junit.Rule;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

/**
 * A TestStream scenario class run once per chosen runner ({@code -Dtest.runners=}): a streaming
 * {@link TestPipeline} on that runner and the {@link Conformance} rule that records its verdict. On the
 * vintage engine, because Beam 2.62's TestPipeline is a JUnit 4 rule.
 */
@RunWith(Parameterized.class)
public abstract class StreamingPipelineTest {
  @Parameters(name = "{0}")
  public static Collection<Object[]> runners() {
    return Conformance.runners();
  }

  protected final TestRunner runner;

  @Rule public final transient TestPipeline pipeline;
  @Rule public final transient Conformance conformance;

  protected StreamingPipelineTest(TestRunner runner) {
    this.runner = runner;
    this.pipeline = TestPipeline.fromOptions(runner.streamingOptions());
    this.conformance = new Conformance(runner);
  }
}
