package streams.compare;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import streams.cli.Engines;

/**
 * The JIT rule of batch runs (C1 only for Spark, and for Flink under 32 MiB of input) is the same in
 * {@link Engines#batchJitFlags}, in scripts/compare's {@link Launcher} and in scripts/lib.sh (scripts/run).
 */
public class JitFlagsTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final List<String> QUICK = List.of(Engines.QUICK_JIT);

  @Test
  public void javaRule() {
    assertEquals(QUICK, Engines.batchJitFlags(Engines.SPARK, 1L << 40));
    assertEquals(QUICK, Engines.batchJitFlags(Engines.FLINK, 1_000));
    assertEquals(List.of(), Engines.batchJitFlags(Engines.FLINK, Engines.SHORT_FLINK_INPUT_BYTES));
    assertEquals(List.of(), Engines.batchJitFlags(Engines.FLINK, -1));
    assertEquals(List.of(), Engines.batchJitFlags(Engines.DIRECT, 1_000));
  }

  @Test
  public void launcherAndScriptAgree() throws Exception {
    Path small = TMP.newFile("small.jsonl").toPath();
    Files.write(small, new byte[1_000]);
    Path large = TMP.newFile("large.jsonl").toPath();
    try (var f = new java.io.RandomAccessFile(large.toFile(), "rw")) {
      f.setLength(Engines.SHORT_FLINK_INPUT_BYTES + 1);
    }
    String[][] cases = {
      {"revenue", "--runner=flink", "--input=" + small},
      {"revenue", "--runner=flink", "--input=" + large},
      {"revenue", "--runner=spark", "--input=" + large},
      {"revenue", "--runner=direct", "--input=" + small},
      {"revenue", "--runner=flink", "--source=kafka"},
      {"revenue", "--runner=spark", "--source=kafka"},
      {"revenue", "--input=" + small},
    };
    String[] expected = {Engines.QUICK_JIT, "", Engines.QUICK_JIT, "", "", "", Engines.QUICK_JIT};
    for (int i = 0; i < cases.length; i++) {
      List<String> args = List.of(cases[i]);
      assertEquals(String.join(" ", args), expected[i], String.join(" ", Launcher.engineJit(List.of(), args)));
      assertEquals(String.join(" ", args), expected[i], script(args));
    }
    // The user's own choice wins.
    assertEquals(List.of(), Launcher.engineJit(List.of("-XX:TieredStopAtLevel=4"), List.of(cases[2])));
  }

  /** What scripts/lib.sh's engine_jit prints for these arguments. */
  private static String script(List<String> args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("bash", "-c", "source scripts/lib.sh && engine_jit \"$@\"", "jit"));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("JAVA_OPTS");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertEquals("engine_jit exit code", 0, p.waitFor());
    return out;
  }
}
