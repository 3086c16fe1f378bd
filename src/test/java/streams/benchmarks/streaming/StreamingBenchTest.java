package streams.benchmarks.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command lines of the streaming benchmark and its native job: a bad flag is one line and exit 2. */
class StreamingBenchTest {
  private static int run(Object command, String... args) {
    return new CommandLine(command).execute(args);
  }

  private static String stderrOf(Runnable r) {
    PrintStream old = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      r.run();
    } finally {
      System.setErr(old);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  @Test
  void anUnknownPipelineOrEngineIsRefusedInOneLine() {
    String err = stderrOf(() -> assertEquals(2, run(new StreamingBench(), "--pipelines=join")));
    assertEquals("error: unknown pipeline 'join' for --mode=streaming; allowed: completed, revenue", err.strip());
    err = stderrOf(() -> assertEquals(2, run(new StreamingBench(), "--engines=beam-direct")));
    assertTrue(err.strip().startsWith("error: unknown engine 'beam-direct'; allowed: native-flink"), err);
    err = stderrOf(() -> assertEquals(2, run(new StreamingBench(), "--mode=batch")));
    assertEquals(1, err.strip().lines().count(), err);
  }

  @Test
  void theNativeJobRefusesWhatItDoesNotImplement() {
    String err = stderrOf(() -> assertEquals(2, run(new NativeFlinkKafka(),
        "--pipeline=fraud", "--bootstrapServers=127.0.0.1:1", "--topic=a", "--outputTopic=b")));
    assertEquals("error: --pipeline=fraud is not a native streaming job; allowed: completed, revenue", err.strip());
    err = stderrOf(() -> assertEquals(2, run(new NativeFlinkKafka(), "--pipeline=revenue",
        "--bootstrapServers=127.0.0.1:1", "--topic=a", "--outputTopic=b", "--window=an hour")));
    assertTrue(err.strip().startsWith("error: a duration is not ISO-8601"), err);
  }

  @Test
  void percentilesAndMediansAreNearestRankAndMiddle() {
    List<Double> v = List.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0);
    assertEquals(5.0, StreamingBench.percentile(v, 50));
    assertEquals(10.0, StreamingBench.percentile(v, 95));
    assertEquals(5.5, StreamingBench.median(v));
    assertEquals("2.00 (1.00–3.00)", StreamingBench.summary(List.of(3.0, 1.0, 2.0), "%.2f"));
  }
}
