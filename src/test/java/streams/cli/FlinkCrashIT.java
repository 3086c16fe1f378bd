package streams.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;
import streams.io.KafkaBroker;
import streams.reference.RevenueModel;

/**
 * The short crash test of the default suite: a Kafka-to-Kafka {@code revenue} on embedded Flink with
 * checkpoints every 2 s and {@code --exactlyOnce}, run by the command line in a child JVM, is killed with
 * SIGKILL once it has committed output and completed a checkpoint after it, and started again with
 * {@code --restoreFrom=latest}: the output read with {@code read_committed} is the reference model, no
 * result lost, none twice. The longer crash tests (fraud, at-least-once duplicates, Spark, the fat jar
 * through {@code scripts/run}) are {@link CrashIT}, run by {@code scripts/test-crash}.
 *
 * <p>JUnit 4: the broker is a JUnit 4 rule.
 */
public class FlinkCrashIT {
  @ClassRule public static final KafkaBroker BROKER = new KafkaBroker();
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();
  @ClassRule public static final Timeout TIMEOUT = Timeout.seconds(600);

  @Test
  public void exactlyOnceSurvivesKillNine() throws Exception {
    CrashHarness.Spec spec = new CrashHarness.Spec();
    spec.name = "crash-revenue-eos";
    spec.pipeline = "revenue";
    spec.exactlyOnce = true;
    spec.checkpointMillis = 2_000;
    spec.events = 4_000;
    spec.eventsPerSecond = 100;
    spec.pipelineArgs = List.of("--window=PT10S", "--allowedLateness=PT0S");
    List<String> lines = CrashHarness.events(spec.events, spec.seed);
    List<String> expected = new ArrayList<>(RevenueModel.expected(lines, 10_000));
    Path work = TMP.newFolder(spec.name).toPath();
    CrashHarness.Outcome o = CrashHarness.run(BROKER, work, spec, lines, expected);
    System.out.println(o.summary(spec));
    assertTrue("the second run restores from the first run's checkpoint: " + o.restoredFrom,
        o.restoredFrom.contains("restoring from " + work.resolve("checkpoints")));
    assertEquals("second run's exit code:\n" + o.secondLog, 0, o.secondRunExit);
    assertEquals(o.summary(spec), 0, o.lost);
    assertEquals(o.summary(spec), 0, o.duplicates);
    assertEquals(o.summary(spec), 0, o.unexpected);
    assertEquals(expected.size(), o.read);
  }
}
