package streams.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import org.junit.jupiter.api.Test;

/** Only TestSparkRunner's checkpoint clean-up race is turned into an inconclusive run, nothing else. */
class ConformanceTest {
  @Test
  void recognisesOnlyTheCheckpointCleanupRace() {
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
