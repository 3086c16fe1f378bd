package streams.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import streams.generate.EventGenerator;
import streams.io.OutputDirs;
import streams.reference.RevenueModel;
import streams.testing.OutputFiles;

/**
 * {@code revenue} in batch on a Flink session cluster (a JobManager and one TaskManager of 2 slots) and on a
 * Spark standalone master and worker, each started by {@code scripts/cluster} and given the job by
 * {@code scripts/run} with the project's fat jar, equals the reference model; {@code stop} leaves no process
 * of the cluster behind. A Spark application that fails on the cluster ends the command line with exit code
 * 1 and a one-line cause, in bounded time.
 *
 * <p>Not in the default suite (it needs target/portable-streams.jar and starts five JVMs): {@code
 * scripts/test-cluster} builds the jar and runs it. Ports 18181/18182 (Flink) and 17177, 18180, 18190
 * (Spark), apart from scripts/cluster's defaults so that a user's own cluster is left alone.
 */
class ClusterIT {
  @TempDir static Path TMP;

  private static final Path ROOT = Paths.get("").toAbsolutePath();
  private static final int FLINK_PORT = 18181;
  private static final int SPARK_PORT = 17177;
  private static final int SPARK_UI_PORT = 18180;
  private static Path input;
  private static List<String> lines;

  @BeforeAll
  static void generate() throws Exception {
    assertTrue(
        Files.isRegularFile(ROOT.resolve("target/portable-streams.jar")),
        "target/portable-streams.jar is missing: run scripts/test-cluster");
    input = TMP.resolve("events.jsonl");
    EventGenerator.builder().events(2_000).seed(11).badFraction(0.01).build().writeTo(input);
    lines = Files.readAllLines(input, StandardCharsets.UTF_8);
  }

  /** Runs a project script; returns exit code and the merged stdout/stderr. */
  private static Result script(long timeoutSeconds, List<String> env, String... command) throws Exception {
    Path log = Files.createTempFile(TMP, "junit", null);
    ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    pb.environment().put("PORTABLE_STREAMS_CDS", "off");
    for (String kv : env) {
      pb.environment().put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
    }
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError(
          "timed out after " + timeoutSeconds + " s: " + Arrays.toString(command) + "\n" + Files.readString(log));
    }
    return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  private static final class Result {
    final int code;
    final String output;

    Result(int code, String output) {
      this.code = code;
      this.output = output;
    }
  }

  /** The pids in a "name (pid N)" list printed by scripts/cluster status. */
  private static List<Long> pids(String statusOutput) {
    List<Long> pids = new ArrayList<>();
    Matcher m = Pattern.compile("\\(pid (\\d+)\\)").matcher(statusOutput);
    while (m.find()) {
      pids.add(Long.parseLong(m.group(1)));
    }
    return pids;
  }

  /** Pids of live processes whose command line mentions the cluster directory. */
  private static List<Long> processesUsing(Path dir) throws IOException {
    List<Long> found = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Paths.get("/proc"))) {
      for (Path p : (Iterable<Path>) procs::iterator) {
        String name = p.getFileName().toString();
        if (!name.matches("\\d+")) {
          continue;
        }
        try {
          String cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
          if (cmdline.contains(dir.toString() + "/")) {
            found.add(Long.parseLong(name));
          }
        } catch (IOException e) {
          // The process ended meanwhile.
        }
      }
    }
    return found;
  }

  private static void assertRevenueEqualsModel(Path out) throws IOException {
    List<String> expected = RevenueModel.expected(lines, 10 * 60_000L);
    expected.sort(null);
    assertTrue(expected.size() > 100, "the model must produce results");
    assertEquals(expected, OutputFiles.jsonLines(out));
    assertEquals(
        RevenueModel.deadLetters(lines), OutputFiles.jsonLines(out.resolve(OutputDirs.DEAD_LETTER_DIR)).size());
  }

  private static void assertStoppedCleanly(List<Long> pids, Path dir) throws IOException {
    assertFalse(pids.isEmpty(), "status lists the processes");
    for (long pid : pids) {
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " still alive after stop");
    }
    assertEquals(List.of(), processesUsing(dir), "processes of " + dir + " after stop");
  }

  @Test
  void revenueOnFlinkSessionCluster() throws Exception {
    Path dir = ROOT.resolve("target/cluster-it/flink");
    String dirArg = "--dir=" + dir;
    List<Long> pids = List.of();
    try {
      Result start =
          script(180, List.of(), "scripts/cluster", "flink", "start", "--taskmanagers=1", "--slots=2",
              "--port=" + FLINK_PORT, dirArg);
      assertEquals(0, start.code, start.output);
      Result status = script(30, List.of(), "scripts/cluster", "flink", "status", dirArg);
      assertEquals(0, status.code, status.output);
      assertThat(status.output, containsString("web UI and REST: http://127.0.0.1:" + FLINK_PORT));
      assertThat(status.output, containsString("taskmanagers: 1, slots: 2"));
      pids = pids(status.output);
      assertEquals(2, pids.size(), status.output);

      Path out = TMP.resolve("revenue-flink-cluster");
      Result run =
          script(300, List.of(), "scripts/run", "revenue", "--runner=flink", "--flinkMaster=127.0.0.1:" + FLINK_PORT,
              "--input=" + input, "--output=" + out, "--window=PT10M");
      assertEquals(0, run.code, run.output);
      assertThat(run.output, containsString("revenue on flink: DONE"));
      assertRevenueEqualsModel(out);
    } finally {
      Result stop = script(120, List.of(), "scripts/cluster", "flink", "stop", dirArg);
      assertEquals(0, stop.code, stop.output);
    }
    assertStoppedCleanly(pids, dir);
  }

  @Test
  void revenueOnSparkStandaloneCluster() throws Exception {
    Path dir = ROOT.resolve("target/cluster-it/spark");
    String dirArg = "--dir=" + dir;
    String master = "--sparkMaster=spark://127.0.0.1:" + SPARK_PORT;
    List<Long> pids = List.of();
    try {
      Result start =
          script(180, List.of(), "scripts/cluster", "spark", "start", "--slots=2", "--port=" + SPARK_PORT,
              "--webui-port=" + SPARK_UI_PORT, dirArg);
      assertEquals(0, start.code, start.output);
      Result status = script(30, List.of(), "scripts/cluster", "spark", "status", dirArg);
      assertEquals(0, status.code, status.output);
      assertThat(status.output, containsString("web UI http://127.0.0.1:" + SPARK_UI_PORT));
      assertThat(status.output, containsString("workers alive: 1, cores: 2"));
      pids = pids(status.output);
      assertEquals(2, pids.size(), status.output);

      Path out = TMP.resolve("revenue-spark-cluster");
      Result run =
          script(300, List.of(), "scripts/run", "revenue", "--runner=spark", master, "--input=" + input,
              "--output=" + out, "--window=PT10M");
      assertEquals(0, run.code, run.output);
      assertThat(run.output, containsString("revenue on spark: DONE"));
      assertRevenueEqualsModel(out);

      // An application that fails on the cluster: every executor dies at start (a JVM flag it does not know),
      // the master removes the application after 10 failed executors, the command line exits 1 with one line.
      long t0 = System.nanoTime();
      Result failed =
          script(300, List.of("JAVA_OPTS=-Dspark.executor.extraJavaOptions=-XX:+NoSuchFlagForThisTest"), "scripts/run",
              "revenue", "--runner=spark", master, "--input=" + input, "--output=" + out, "--window=PT10M");
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf("failed Spark application: exit %d after %.1f s%n", failed.code, seconds);
      assertEquals(1, failed.code, failed.output);
      assertThat(failed.output, containsString("error: revenue failed on spark: "));
      assertTrue(seconds < 180, "exits within 3 minutes: " + seconds);
    } finally {
      Result stop = script(120, List.of(), "scripts/cluster", "spark", "stop", dirArg);
      assertEquals(0, stop.code, stop.output);
    }
    assertStoppedCleanly(pids, dir);
  }
}
