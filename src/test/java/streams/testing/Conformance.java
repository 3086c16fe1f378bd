package streams.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.junit.AssumptionViolatedException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.rules.TestWatcher;
import org.junit.runner.Description;
import org.junit.runners.model.Statement;
import org.opentest4j.TestAbortedException;

/**
 * Per-runner expectations of a scenario, stated in the test and recorded. A scenario either holds on a
 * runner as on Direct (pass), or the runner is named with the reason and upstream issue:
 *
 * <ul>
 *   <li>{@link #notSupportedOn}: the runner cannot run it; JUnit reports the test as skipped with the
 *       reason (never a silent skip).
 *   <li>{@link #rejectedBy}: the runner refuses it with a known error, and the test asserts that error.
 *   <li>{@link #deviatesOn}: the runner answers differently; the test asserts the runner's actual answer.
 * </ul>
 *
 * Every verdict is appended to {@code target/conformance/scenarios.tsv} (test, scenario, runner, verdict,
 * reason), the source of the conformance matrix of the comparison report.
 *
 * <p>Two ways to use it: a JUnit 4 {@code @Rule} built with the runner (the Beam {@code TestPipeline} tests,
 * which run on the vintage engine), or a Jupiter extension, {@code @RegisterExtension final Conformance
 * conformance = new Conformance();} in a {@code @ParameterizedTest} whose arguments include the {@link
 * TestRunner}: the runner is taken from that argument.
 */
public final class Conformance extends TestWatcher
    implements org.junit.jupiter.api.extension.TestWatcher, InvocationInterceptor {
  private static final Path OUT =
      Paths.get(System.getProperty("conformance.dir", "target/conformance"), "scenarios.tsv");

  private TestRunner runner;
  private final boolean jupiter;
  private String verdict = "pass";
  private String reason = "";

  /** The JUnit 4 rule for a test on {@code runner}. */
  public Conformance(TestRunner runner) {
    this.runner = runner;
    this.jupiter = false;
  }

  /** The Jupiter extension; the runner is the {@link TestRunner} argument of each parameterized invocation. */
  public Conformance() {
    this.runner = null;
    this.jupiter = true;
  }

  /** {@link TestRunner#chosen()} as parameters (JUnit 4 {@code @Parameters}, Jupiter {@code @MethodSource}). */
  public static Collection<Object[]> runners() {
    return asParameters(TestRunner.chosen());
  }

  /** {@link TestRunner#chosenForLongTests} as parameters (JUnit 4 {@code @Parameters}, Jupiter {@code @MethodSource}). */
  public static Collection<Object[]> longRunners(TestRunner... defaults) {
    return asParameters(TestRunner.chosenForLongTests(defaults));
  }

  private static Collection<Object[]> asParameters(List<TestRunner> runners) {
    List<Object[]> out = new ArrayList<>();
    for (TestRunner r : runners) {
      out.add(new Object[] {r});
    }
    return out;
  }

  public void notSupportedOn(TestRunner limited, String why) {
    if (runner == limited) {
      verdict = "not supported";
      reason = why;
      throw skip("not supported on " + runner + ": " + why);
    }
  }

  /** The engine's own "skipped, with this reason" exception. */
  private RuntimeException skip(String why) {
    return jupiter ? new TestAbortedException(why) : new AssumptionViolatedException(why);
  }

  /** A runner that refuses a scenario: why (recorded as the reason), and a text its error contains. */
  public static final class Refusal {
    final TestRunner runner;
    final String why;
    final String error;

    public Refusal(TestRunner runner, String why, String error) {
      this.runner = runner;
      this.why = why;
      this.error = error;
    }
  }

  /**
   * Runs the pipeline and returns its result; on the runner {@code refusal} names, asserts instead that the
   * run fails with an error whose stack trace contains {@code refusal.error} (verdict "not supported
   * (rejected)"), and returns empty.
   */
  public Optional<PipelineResult> runUnlessRefused(Pipeline pipeline, Refusal refusal) {
    if (!rejectedBy(refusal.runner, refusal.why)) {
      return Optional.of(pipeline.run());
    }
    RuntimeException e = assertThrows(RuntimeException.class, pipeline::run);
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    assertTrue(
        trace.toString().contains(refusal.error),
        "the refusal by " + runner + " must say '" + refusal.error + "'; got: " + trace);
    return Optional.empty();
  }

  /** True when this runner is expected to refuse the scenario; the caller then asserts the refusal. */
  public boolean rejectedBy(TestRunner limited, String why) {
    if (runner == limited) {
      verdict = "not supported (rejected)";
      reason = why;
      return true;
    }
    return false;
  }

  /** True when this runner is expected to answer differently; the caller then asserts that answer. */
  public boolean deviatesOn(TestRunner deviating, String why) {
    if (runner == deviating) {
      verdict = "differs";
      reason = why;
      return true;
    }
    return false;
  }

  /**
   * TestSparkRunner deletes its checkpoint directory after a streaming test while Beam's Spark listener
   * thread may still write a metrics checkpoint into it; the delete then fails with {@code Failed to clear
   * checkpoint tmp dir.} and that error replaces the run's own outcome, pass or fail. Such a run proves
   * nothing either way: it is reported as skipped, verdict "inconclusive", with the reason (seen once, on
   * {@code completedOrdersOnly[spark]} in the conformance run of a comparison report).
   */
  @Override
  public Statement apply(Statement base, Description description) {
    Statement harnessAware =
        new Statement() {
          @Override
          public void evaluate() throws Throwable {
            try {
              base.evaluate();
            } catch (RuntimeException e) {
              if (!isCheckpointCleanupRace(e)) {
                throw e;
              }
              throw inconclusive(e);
            }
          }
        };
    return super.apply(harnessAware, description);
  }

  private RuntimeException inconclusive(RuntimeException e) {
    verdict = "inconclusive";
    reason =
        "TestSparkRunner could not delete its checkpoint directory while Spark's listener was still"
            + " writing into it (" + e.getCause() + "); the run's outcome was lost";
    return skip(reason);
  }

  /** Jupiter: takes the runner from the invocation's arguments, and treats the clean-up race as above. */
  @Override
  public void interceptTestTemplateMethod(
      Invocation<Void> invocation, ReflectiveInvocationContext<Method> context, ExtensionContext extension)
      throws Throwable {
    runner =
        context.getArguments().stream()
            .filter(TestRunner.class::isInstance)
            .map(TestRunner.class::cast)
            .findFirst()
            .orElseThrow(
                () -> new IllegalStateException(
                    context.getExecutable() + " has no TestRunner argument for its Conformance extension"));
    try {
      invocation.proceed();
    } catch (RuntimeException e) {
      if (!isCheckpointCleanupRace(e)) {
        throw e;
      }
      throw inconclusive(e);
    }
  }

  /** A failure as the verdict table shows it: its class and the first line of its message. */
  private static String firstLine(Throwable e) {
    return e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).split("\n")[0];
  }

  static boolean isCheckpointCleanupRace(Throwable e) {
    return "Failed to clear checkpoint tmp dir.".equals(e.getMessage())
        && e.getCause() instanceof java.nio.file.DirectoryNotEmptyException;
  }

  @Override
  protected void succeeded(Description d) {
    record(d, verdict);
  }

  @Override
  protected void failed(Throwable e, Description d) {
    reason = firstLine(e);
    record(d, "fail");
  }

  @Override
  protected void skipped(AssumptionViolatedException e, Description d) {
    record(d, verdict);
  }

  @Override
  public void testSuccessful(ExtensionContext context) {
    record(context, verdict);
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable e) {
    reason = firstLine(e);
    record(context, "fail");
  }

  @Override
  public void testAborted(ExtensionContext context, Throwable e) {
    record(context, verdict);
  }

  private void record(ExtensionContext context, String v) {
    if (runner != null) { // null: the invocation failed before it started, nothing ran on a runner
      record(context.getRequiredTestClass().getSimpleName(), context.getRequiredTestMethod().getName(), v);
    }
  }

  private void record(Description d, String v) {
    record(d.getTestClass().getSimpleName(), d.getMethodName().replaceAll("\\[.*]$", ""), v);
  }

  private void record(String testClass, String scenario, String v) {
    String line =
        String.join("\t", testClass, scenario, runner.toString(), v, reason.replace('\t', ' ')) + "\n";
    try {
      Files.createDirectories(OUT.getParent());
      Files.write(
          OUT, line.getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new IllegalStateException("cannot record conformance verdict in " + OUT, e);
    }
  }
}
