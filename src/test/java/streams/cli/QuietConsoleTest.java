package streams.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import streams.generate.EventGenerator;
import streams.testing.Conformance;
import streams.testing.TestRunner;

/**
 * {@code scripts/run} as a user sees it, in its own JVM: the console holds the command line's own lines
 * only, the engines' lines are in the log file it names; a failed job is one line and the log's path; a
 * batch run prints progress lines. The quiet run is checked on every runner; the failure and the progress
 * on Flink ({@code -Dtest.all=true} or {@code -Dtest.runners=...} for the others).
 */
class QuietConsoleTest {
  /** A line as log4j formats it ({@code 01:49:11 WARN  MetricGroup - ...}), or a level word anywhere. */
  private static final Pattern ENGINE_LINE =
      Pattern.compile("^\\d{2}:\\d{2}:\\d{2}|\\b(WARN|WARNING|INFO|ERROR|DEBUG|SEVERE)\\b|^\\s+at |Exception");

  private static final Pattern PROGRESS =
      Pattern.compile("^  running \\d+ s: \\d+ events read \\(\\d+ events/s\\), \\d+% of the input \\(\\d+\\.\\d MiB\\)$");

  @TempDir Path tmp;

  static Stream<String> runners() {
    return Conformance.runners().stream().map(r -> r[0].toString());
  }

  static Stream<String> longRunners() {
    return Conformance.longRunners(TestRunner.FLINK).stream().map(r -> r[0].toString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runners")
  void cleanRunPrintsItsOwnLinesOnly(String runner) throws Exception {
    Path input = tmp.resolve("events.jsonl");
    EventGenerator.builder().events(300).seed(3).build().writeTo(input);
    Path out = tmp.resolve("results").resolve("revenue");
    Run r = cli("revenue", "--runner=" + runner, "--input=" + input, "--output=" + out);
    assertEquals(0, r.code, r.toString());
    assertEquals("", r.err, "nothing on stderr");
    for (String line : r.outLines()) {
      assertFalse(ENGINE_LINE.matcher(line).find(), "an engine line on the console: " + line + "\n" + r);
    }
    List<String> lines = r.outLines();
    assertTrue(lines.get(0).startsWith("revenue on " + runner + ": reading " + input), r.toString());
    assertTrue(
        lines.stream().anyMatch(l -> l.matches("revenue on " + runner + ": DONE, 300 events in, \\d+ results out, \\d+ dead letters, 0 late, [0-9.]+ s")),
        r.toString());
    Path log = logOf(r);
    assertEquals(tmp.resolve("results").resolve("logs"), log.getParent(), "the log sits next to the output folder");
    String text = Files.readString(log, StandardCharsets.UTF_8);
    assertTrue(text.contains("scripts/run revenue --runner=" + runner), text);
    if (!runner.equals("direct")) {
      // The embedded Flink and Spark engines warn at start (no Hadoop configuration, native code...).
      assertTrue(
          text.lines().anyMatch(l -> l.matches("\\S+ WARN .*org\\.apache\\.(flink|spark|hadoop)\\..*")),
          "the engine's lines in the log:\n" + text);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("longRunners")
  void failedJobPrintsOneLineAndTheLog(String runner) throws Exception {
    // A .bz2 file that is not bzip2: the input matches, the job fails when it reads it.
    Path input = tmp.resolve("events.jsonl.bz2");
    Files.writeString(input, "{\"not\": \"gzip\"}\n");
    Run r = cli("revenue", "--runner=" + runner, "--input=" + input, "--output=" + tmp.resolve("out"));
    assertEquals(1, r.code, r.toString());
    assertEquals("", r.out.lines().filter(l -> !l.startsWith("revenue on " + runner + ": reading") && !l.startsWith("watch: ")).collect(Collectors.joining("\n")), r.toString());
    List<String> err = r.err.lines().collect(Collectors.toList());
    assertEquals(2, err.size(), r.toString());
    assertTrue(err.get(0).matches("error: revenue failed on " + runner + ": \\w+: .*"), r.toString());
    assertTrue(err.get(0).contains("BZip2"), r.toString());
    assertTrue(err.get(1).startsWith("engine log: "), r.toString());
    Path log = Path.of(err.get(1).substring("engine log: ".length()));
    String text = Files.readString(log, StandardCharsets.UTF_8);
    assertTrue(text.contains("ERROR") && text.contains("\tat "), "the stack trace is in the log:\n" + text);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("longRunners")
  void batchRunPrintsProgress(String runner) throws Exception {
    Path input = tmp.resolve("events.jsonl");
    EventGenerator.builder().events(100_000).seed(4).build().writeTo(input);
    Run r =
        cli("completed", "--runner=" + runner, "--input=" + input, "--output=" + tmp.resolve("out"), "--progressInterval=PT0.2S");
    assertEquals(0, r.code, r.toString());
    List<String> progress = r.outLines().stream().filter(l -> l.startsWith("  running ")).collect(Collectors.toList());
    assertFalse(progress.isEmpty(), r.toString());
    for (String line : progress) {
      assertTrue(PROGRESS.matcher(line).matches(), line);
    }
  }

  @Test
  void verboseShowsTheEngineLinesToo() throws Exception {
    Path input = tmp.resolve("events.jsonl");
    EventGenerator.builder().events(100).seed(5).build().writeTo(input);
    Run r = cli("revenue", "--runner=flink", "--input=" + input, "--output=" + tmp.resolve("out"), "--verbose");
    assertEquals(0, r.code, r.toString());
    assertTrue(r.err.lines().anyMatch(l -> l.matches("\\d{2}:\\d{2}:\\d{2} WARN .*")), r.toString());
    assertTrue(Files.exists(logOf(r)), r.toString());
  }

  @Test
  void progressLineFormat() {
    assertEquals(
        "  running 5 s: 412000 events read (82400 events/s), 37% of the input (512.0 MiB)",
        BatchJob.Reporter.line(5.02, 412_000, 82_400.4, 198_642_237L, 512L << 20));
    assertEquals("  running 5 s: 10 events read (2 events/s)", BatchJob.Reporter.line(5, 10, 2, 0, -1));
  }

  @Test
  void logFileSitsNextToTheOutputFolder() {
    Path file = EngineLog.fileFor("fraud", Engines.SPARK, null, "/data/out/fraud-spark");
    assertEquals(Path.of("/data/out/logs"), file.getParent());
    assertTrue(file.getFileName().toString().matches("fraud-spark-\\d{8}-\\d{6}\\.log"), file.toString());
    assertEquals(Path.of("/var/log/streams"), EngineLog.fileFor("join", Engines.FLINK, "/var/log/streams", "/x/y").getParent());
  }

  private static Path logOf(Run r) {
    for (String line : r.outLines()) {
      Matcher m = Pattern.compile("^engine log: (.+)$").matcher(line);
      if (m.matches()) {
        Path log = Path.of(m.group(1));
        assertTrue(Files.isRegularFile(log), "log file " + log);
        return log;
      }
    }
    throw new AssertionError("no 'engine log:' line\n" + r);
  }

  /** The command line in its own JVM, as scripts/run runs it. */
  private Run cli(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx768m");
    command.addAll(AddOpens.flags());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Cli.class.getName());
    command.addAll(Arrays.asList(args));
    Path out = Files.createTempFile(tmp, "out", ".txt");
    Path err = Files.createTempFile(tmp, "err", ".txt");
    List<Path> before = rpcJars();
    Process p =
        new ProcessBuilder(command).directory(tmp.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    int code = p.waitFor();
    Run run = new Run(code, Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    // The command line's JVM leaves no Flink RPC jar (22 MB) in the temporary folder, whatever its end.
    List<Path> left = rpcJars();
    left.removeAll(before);
    assertEquals(List.of(), left, run.toString());
    return run;
  }

  private static List<Path> rpcJars() throws IOException {
    try (java.util.stream.Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return files
          .filter(f -> f.getFileName().toString().matches("flink-rpc-akka.*\\.jar"))
          .collect(Collectors.toCollection(ArrayList::new));
    }
  }

  /** The --add-opens flags of this test JVM (Spark needs them in the child too). */
  static final class AddOpens {
    static List<String> flags() {
      return java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
          .filter(a -> a.startsWith("--add-opens"))
          .collect(Collectors.toList());
    }
  }

  private static final class Run {
    final int code;
    final String out;
    final String err;

    Run(int code, String out, String err) {
      this.code = code;
      this.out = out;
      this.err = err;
    }

    List<String> outLines() {
      return out.lines().collect(Collectors.toList());
    }

    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }
}
