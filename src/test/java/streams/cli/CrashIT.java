package streams.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import streams.io.KafkaBroker;
import streams.reference.CompletedModel;
import streams.reference.FraudModel;
import streams.reference.RevenueModel;

/**
 * Crash tests of whole runs through {@code scripts/run} (the fat jar, as a user runs it), killed with
 * SIGKILL mid-stream and started again ({@link CrashHarness}); each writes its figures to {@code
 * target/crash-report.txt}.
 *
 * <ul>
 *   <li>Flink, {@code --exactlyOnce}, {@code revenue} and {@code fraud}: restarted with {@code
 *       --restoreFrom=latest}, the committed output is the model: nothing lost, nothing twice.
 *   <li>Flink without {@code --exactlyOnce}, killed while output written after the latest checkpoint is on
 *       the topic: the checker sees those results twice after the restore (at-least-once), and none lost.
 *   <li>Spark ({@code completed}; Spark refuses {@code --exactlyOnce}): the driver is killed and restarted
 *       on the same {@code --checkpointDir}; nothing is lost, duplicates are counted and reported.
 * </ul>
 *
 * <p>Not in the default suite (several minutes): {@code scripts/test-crash}, which also runs {@link
 * FlinkCrashTest}, the default suite's shorter crash test.
 */
class CrashIT {
  @RegisterExtension static final KafkaBroker BROKER = new KafkaBroker();
  @TempDir static Path TMP;

  private static final Path REPORT = CrashHarness.ROOT.resolve("target/crash-report.txt");

  @BeforeAll
  static void needsJar() {
    assertTrue(
        Files.isRegularFile(CrashHarness.ROOT.resolve("target/portable-streams.jar")),
        "target/portable-streams.jar is missing: run scripts/test-crash");
  }

  private static CrashHarness.Spec spec(String name, String pipeline, boolean exactlyOnce) {
    CrashHarness.Spec spec = new CrashHarness.Spec();
    spec.name = name;
    spec.pipeline = pipeline;
    spec.exactlyOnce = exactlyOnce;
    spec.useJar = true;
    spec.events = 6_000;
    spec.eventsPerSecond = 150;
    spec.checkpointMillis = exactlyOnce ? 2_000 : 10_000;
    spec.killBetweenWriteAndCheckpoint = !exactlyOnce;
    return spec;
  }

  private static CrashHarness.Outcome run(CrashHarness.Spec spec, List<String> lines, List<String> expected)
      throws Exception {
    CrashHarness.Outcome o = CrashHarness.run(BROKER, Files.createDirectory(TMP.resolve(spec.name)), spec, lines, expected);
    String line = o.summary(spec);
    System.out.println(line);
    report(line);
    assertEquals(0, o.secondRunExit, "second run's exit code:\n" + o.secondLog);
    assertEquals(0, o.unexpected, "results not in the model: " + line);
    return o;
  }

  private static void report(String line) throws IOException {
    Files.createDirectories(REPORT.getParent());
    Files.writeString(
        REPORT, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /**
   * The kill fell while output written after the latest checkpoint was on the topic (the harness waits for
   * that), so the restored job writes it again: the checker must see it twice. A kill that nonetheless
   * came right after a checkpoint leaves nothing to replay and fails here rather than passing unseen.
   */
  private static void assertAtLeastOnceShowsDuplicates(CrashHarness.Outcome o, CrashHarness.Spec spec) {
    assertThat(
        "output written after the latest checkpoint at the kill (a checkpoint completed between the look and"
            + " the kill: nothing to replay, run it again): " + o.summary(spec),
        o.writtenSinceCheckpointAtKill,
        greaterThan(0L));
    assertThat(
        "output written after the restored checkpoint is written again: " + o.summary(spec),
        o.duplicates,
        greaterThan(0));
  }

  private static List<String> revenueModel(List<String> lines) {
    return new ArrayList<>(RevenueModel.expected(lines, 10_000));
  }

  private static List<String> fraudModel(List<String> lines) {
    return new ArrayList<>(FraudModel.expected(lines, 5, 60_000));
  }

  private static final List<String> REVENUE_ARGS = List.of("--window=PT10S", "--allowedLateness=PT0S");

  /** A Flink crash case: revenue over 10 s windows, or fraud over more events (its alerts are rarer). */
  private static CrashHarness.Spec flinkSpec(String pipeline, boolean exactlyOnce) {
    CrashHarness.Spec spec = spec("crashit-" + pipeline + (exactlyOnce ? "-eos" : "-alo"), pipeline, exactlyOnce);
    if (pipeline.equals("revenue")) {
      spec.pipelineArgs = REVENUE_ARGS;
    } else {
      spec.events = 8_000;
      spec.eventsPerSecond = 200;
    }
    return spec;
  }

  private static CrashHarness.Outcome run(CrashHarness.Spec spec) throws Exception {
    List<String> lines = CrashHarness.events(spec.events, spec.seed);
    return run(spec, lines, spec.pipeline.equals("revenue") ? revenueModel(lines) : fraudModel(lines));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"revenue", "fraud"})
  void exactlyOnce(String pipeline) throws Exception {
    CrashHarness.Spec spec = flinkSpec(pipeline, true);
    CrashHarness.Outcome o = run(spec);
    assertEquals(0, o.lost, o.summary(spec));
    assertEquals(0, o.duplicates, o.summary(spec));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"revenue", "fraud"})
  void atLeastOnceShowsDuplicates(String pipeline) throws Exception {
    CrashHarness.Spec spec = flinkSpec(pipeline, false);
    CrashHarness.Outcome o = run(spec);
    assertEquals(0, o.lost, o.summary(spec));
    assertAtLeastOnceShowsDuplicates(o, spec);
  }

  @Test
  void sparkDriverKilledRestartsFromItsCheckpointDir() throws Exception {
    CrashHarness.Spec spec = spec("crashit-spark-completed", "completed", false);
    spec.engine = Engines.SPARK;
    spec.killBetweenWriteAndCheckpoint = false;
    List<String> lines = CrashHarness.events(spec.events, spec.seed);
    CrashHarness.Outcome o = run(spec, lines, new ArrayList<>(CompletedModel.expected(lines)));
    // What a restart on the checkpoint folder gives: every batch from the checkpoint's time on is run again
    // (at-least-once: results written before the kill are written again, counted in the report), and nothing
    // is lost. The command line has Spark write the source's state (its checkpoint marks) at every batch
    // (Recovery.checkpointSourceStateEveryBatch); with Spark's default, every 10 batches, a driver killed
    // before the first one was written read again from the consumer group's committed offsets, ahead of its
    // output (292 results lost of 2 115). Asserted as well: the driver resumed from its checkpoint (not from
    // scratch), wrote the rest of the stream, and every result it wrote is one of the model's.
    assertEquals(0, o.lost, "results lost across the driver's restart: " + o.summary(spec));
    assertTrue(
        o.restoredFrom.contains("(resuming from the checkpoint there)"),
        "the restarted driver resumes from its checkpoint folder: " + o.restoredFrom);
    assertThat("the restarted driver wrote output: " + o.summary(spec), o.read, greaterThan((int) o.outputAtKill));
    assertThat(
        "the restarted driver wrote results of the model the first run had not written: " + o.summary(spec),
        o.read - o.duplicates,
        greaterThan((int) o.outputAtKill));
  }
}
