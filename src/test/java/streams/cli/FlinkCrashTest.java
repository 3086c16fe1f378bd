package streams.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import streams.io.KafkaBroker;
import streams.reference.RevenueModel;

/**
 * The default suite's crash test: a Kafka-to-Kafka {@code revenue} on embedded Flink with checkpoints every
 * 2 s and {@code --exactlyOnce} (two shards), run by the command line in a child JVM, is killed with SIGKILL
 * once it has committed output and completed a checkpoint after it, and started again with {@code
 * --restoreFrom=latest}: the output read with {@code read_committed} is the reference model, no result lost,
 * none twice. The longer crash tests (fraud, at-least-once duplicates, Spark, the fat jar through {@code
 * scripts/run}) are {@link CrashIT}, run by {@code scripts/test-crash} with this one.
 */
@Timeout(value = 600, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FlinkCrashTest {
  @RegisterExtension static final KafkaBroker BROKER = new KafkaBroker();
  @TempDir static Path TMP;

  @Test
  void exactlyOnceSurvivesKillNine() throws Exception {
    CrashHarness.Spec spec = new CrashHarness.Spec();
    spec.name = "crash-revenue-eos";
    spec.pipeline = "revenue";
    spec.exactlyOnce = true;
    spec.checkpointMillis = 2_000;
    spec.events = 2_000;
    spec.eventsPerSecond = 100;
    // spec.stopWhenIdle stays the harness's 40 s: a restored exactly-once run's idle clock starts at its first
    // look at the topics (the first run's output is there), before its own first commit (21-23 s after the
    // restart here).
    spec.pipelineArgs = List.of("--window=PT10S", "--allowedLateness=PT0S", "--numShards=2");
    List<String> lines = CrashHarness.events(spec.events, spec.seed);
    List<String> expected = new ArrayList<>(RevenueModel.expected(lines, 10_000));
    Path work = Files.createDirectory(TMP.resolve(spec.name));
    CrashHarness.Outcome o = CrashHarness.run(BROKER, work, spec, lines, expected);
    System.out.println(o.summary(spec));
    assertTrue(o.restoredFrom.contains("restoring from " + work.resolve("checkpoints")),
        "the second run restores from the first run's checkpoint: " + o.restoredFrom);
    assertEquals(0, o.secondRunExit, "second run's exit code:\n" + o.secondLog);
    assertEquals(0, o.lost, o.summary(spec));
    assertEquals(0, o.duplicates, o.summary(spec));
    assertEquals(0, o.unexpected, o.summary(spec));
    assertEquals(expected.size(), o.read);
  }
}
