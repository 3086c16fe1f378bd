package streams.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import streams.cli.EngineJvmFlags;

/**
 * The heap and JIT flags of a run are decided in one table (runners/resources/engine-flags.tsv): Java's
 * reader ({@link EngineJvmFlags}, scripts/compare and scripts/bench) and scripts/lib.sh's (scripts/run)
 * give the same flags for the same command line.
 */
class JitFlagsTest {
  private static final String HEAP = "-Xmx768m";
  private static final String C1 = "-XX:TieredStopAtLevel=1";

  @TempDir static Path tmp;

  @Test
  void javaAndScriptReadTheTableAlike() throws Exception {
    Path small = tmp.resolve("small.jsonl");
    Files.write(small, new byte[1_000]);
    Path large = tmp.resolve("large.jsonl");
    try (RandomAccessFile f = new RandomAccessFile(large.toFile(), "rw")) {
      f.setLength(32L << 20);
    }
    String[][] cases = {
      {"revenue", "--runner=flink", "--input=" + small},
      {"revenue", "--runner=flink", "--input=" + large},
      {"revenue", "--runner=spark", "--input=" + large},
      {"revenue", "--runner=direct", "--input=" + small},
      {"revenue", "--runner=flink", "--source=kafka"},
      {"revenue", "--runner=spark", "--source=kafka"},
      {"revenue", "--input=" + small},
      {"revenue", "--runner=FlinkRunner", "--events=200000"},
      {"revenue", "--runner=flink", "--events=200001"},
      {"revenue", "--runner=flink", "--input=" + tmp.resolve("missing.jsonl")},
    };
    String[] expected = {
      HEAP + " " + C1, HEAP, HEAP + " " + C1, "", HEAP, HEAP, HEAP + " " + C1, HEAP + " " + C1, HEAP, HEAP
    };
    for (int i = 0; i < cases.length; i++) {
      List<String> args = List.of(cases[i]);
      assertEquals(expected[i], String.join(" ", EngineJvmFlags.forRun(List.of(), args)), String.join(" ", args));
      assertEquals(expected[i], script(args), "scripts/lib.sh: " + String.join(" ", args));
    }
  }

  @Test
  void theUsersOwnChoiceWins() {
    List<String> spark = List.of("revenue", "--runner=spark");
    assertEquals(List.of(HEAP), EngineJvmFlags.forRun(List.of("-XX:TieredStopAtLevel=4"), spark));
    assertEquals(List.of(C1), EngineJvmFlags.forRun(List.of("-Xmx2g"), spark));
    assertEquals(List.of(), EngineJvmFlags.forRun(List.of("-Xmx2g", "-XX:-TieredCompilation"), spark));
  }

  /** What scripts/lib.sh's engine_heap and engine_jit print for these arguments, on one line. */
  private static String script(List<String> args) throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(
            List.of("bash", "-c", "source scripts/lib.sh && echo $(engine_heap \"$@\") $(engine_jit \"$@\")", "flags"));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("JAVA_OPTS");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertEquals(0, p.waitFor(), "exit code of the script");
    return out;
  }
}
