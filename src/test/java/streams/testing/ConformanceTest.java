package streams.testing;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import org.junit.Test;

/** Only TestSparkRunner's checkpoint clean-up race is turned into an inconclusive run, nothing else. */
public class ConformanceTest {
  @Test
  public void recognisesOnlyTheCheckpointCleanupRace() {
    assertTrue(
        Conformance.isCheckpointCleanupRace(
            new RuntimeException("Failed to clear checkpoint tmp dir.", new DirectoryNotEmptyException("/tmp/x"))));
    assertFalse(
        Conformance.isCheckpointCleanupRace(
            new RuntimeException("Failed to clear checkpoint tmp dir.", new IOException("disk full"))));
    assertFalse(Conformance.isCheckpointCleanupRace(new AssertionError("expected 3 results")));
    assertFalse(Conformance.isCheckpointCleanupRace(new RuntimeException("job failed")));
  }
}
