package streams.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import streams.generate.EventGenerator;
import streams.io.OutputDirs;
import streams.reference.RevenueModel;
import streams.testing.OutputFiles;

/** The runner-switch command line as a user meets it: real processes, exit codes and messages. */
class CliTest {
  @TempDir static Path TMP;

  /** Runs the command line in its own JVM, as scripts/run does; returns exit code, stdout, stderr. */
  private static String[] cli(String... args) throws IOException, InterruptedException {
    return cliIn(null, List.of(), args);
  }

  /** As {@link #cli}, in working folder {@code dir} (null: this one) with extra JVM flags. */
  private static String[] cliIn(Path dir, List<String> jvmFlags, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Cli.class.getName());
    command.addAll(Arrays.asList(args));
    Path out = Files.createTempFile(TMP, "junit", null);
    Path err = Files.createTempFile(TMP, "junit", null);
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    if (dir != null) {
      builder.directory(dir.toFile());
    }
    Process p = builder.start();
    int code = p.waitFor();
    return new String[] {
      Integer.toString(code), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8)
    };
  }

  /**
   * A mistake refused before any engine runs, checked in this JVM: {@code Cli.run} throws the usage error
   * whose message {@code main} prints as {@code error: <message>} with exit code 2 (that printing is checked
   * in a JVM of its own by {@link #assertUsageErrorInItsOwnJvm}: a JVM per case cost 5-15 s each).
   */
  private static void assertUsageError(String expectedMessage, String... args) {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    UsageException e = assertThrows(UsageException.class, () -> Cli.run(List.of(args), quiet), Arrays.toString(args));
    assertTrue(
        e.getMessage().startsWith(expectedMessage),
        "expected a message starting with <" + expectedMessage + ">, was <" + e.getMessage() + ">");
  }

  private static void assertUsageErrorInItsOwnJvm(String expectedMessage, String... args) throws Exception {
    assertUsageErrorIn(null, List.of(), expectedMessage, args);
  }

  private static void assertUsageErrorIn(Path dir, List<String> jvmFlags, String expectedMessage, String... args)
      throws Exception {
    String[] r = cliIn(dir, jvmFlags, args);
    assertEquals("2", r[0], "exit code of " + Arrays.toString(args));
    assertThat(r[2], containsString("error: " + expectedMessage));
    assertThat("no stack trace", r[2], not(containsString("\tat ")));
  }

  @Test
  void unknownPipeline() throws Exception {
    assertUsageErrorInItsOwnJvm("unknown pipeline 'revnue'; allowed: revenue", "revnue");
  }

  @Test
  void unknownRunner() throws Exception {
    assertUsageErrorInItsOwnJvm(
        "--runner=storm is not a runner; allowed: direct, flink, spark", "revenue", "--runner=storm");
  }

  @Test
  void unknownOption() throws Exception {
    assertUsageErrorInItsOwnJvm("unknown option --windw", "revenue", "--runner=direct", "--windw=PT1H");
  }

  @Test
  void badDuration() throws Exception {
    assertUsageError(
        "--window=1h is not an ISO-8601 duration", "revenue", "--runner=direct", "--window=1h", "--input=/dev/null");
  }

  @Test
  void badTriggerMode() throws Exception {
    assertUsageError(
        "--trigger=append is not a trigger mode; allowed: final, update, complete",
        "revenue",
        "--trigger=append",
        "--input=/dev/null");
  }

  @Test
  void missingInputFile() throws Exception {
    assertUsageError("--input=/no/such/file.jsonl matches no file", "revenue", "--input=/no/such/file.jsonl");
  }

  @Test
  void badGeneratorFlag() throws Exception {
    String[] r = cli("generate", "--events=ten", "--out=/tmp/x");
    assertEquals("2", r[0]);
    assertThat(r[2], containsString("--events"));
  }

  @Test
  void helpListsPipelinesAndOptions() throws Exception {
    String[] r = cli("--help");
    assertEquals("0", r[0]);
    assertThat(r[1], containsString("revenue"));
    assertThat(r[1], containsString("--runner=NAME"));
    String[] p = cli("revenue", "--help");
    assertEquals("0", p[0]);
    assertThat(p[1], containsString("--allowedLateness"));
  }

  /** A second run into the same folder replaces the first run's results; it never mixes them. */
  @Test
  void rerunIntoSameOutputReplacesResults() throws Exception {
    Path out = Files.createDirectory(TMP.resolve("out"));
    Path big = TMP.resolve("big.jsonl");
    Path small = TMP.resolve("small.jsonl");
    EventGenerator.builder().events(600).seed(1).build().writeTo(big);
    EventGenerator.builder().events(200).seed(2).build().writeTo(small);
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(console, true, StandardCharsets.UTF_8);
    for (Path input : new Path[] {big, small}) {
      assertEquals(
          0,
          Cli.run(
              List.of("revenue", "--runner=flink", "--input=" + input, "--output=" + out, "--window=PT5M"),
              ps));
    }
    List<String> expected = RevenueModel.expected(Files.readAllLines(small), 5 * 60_000L);
    expected.sort(null);
    assertEquals(expected, OutputFiles.jsonLines(out));
    assertThat(console.toString(StandardCharsets.UTF_8), containsString("revenue on flink: DONE, 200 events in"));
    assertTrue(Files.isRegularFile(out.resolve(OutputDirs.MARKER)), "the folder is marked as the project's");
  }

  // ---- --output never deletes what the project did not write (issue 12, item 4) ----

  /** {@code --output=.} in the folder of the input: refused, the input untouched (it used to be deleted). */
  @Test
  void outputDotHoldingTheInputIsRefused() throws Exception {
    Path dir = Files.createDirectory(TMP.resolve("dot"));
    Path mydata = dir.resolve("mydata.jsonl");
    EventGenerator.builder().events(50).seed(4).build().writeTo(mydata);
    byte[] before = Files.readAllBytes(mydata);
    assertUsageErrorIn(
        dir, List.of(), "--output=. holds the input " + mydata,
        "completed", "--runner=direct", "--input=mydata.jsonl", "--output=.");
    assertArrayEquals(before, Files.readAllBytes(mydata));
    assertEquals(List.of(mydata), list(dir));
  }

  /** The input anywhere under --output, even in a subfolder: refused. */
  @Test
  void outputHoldingTheInputIsRefused() throws Exception {
    Path dir = Files.createDirectory(TMP.resolve("holds-input"));
    Path input = Files.createDirectories(dir.resolve("data")).resolve("in.jsonl");
    EventGenerator.builder().events(50).seed(4).build().writeTo(input);
    assertUsageError(
        "--output=" + dir + " holds the input " + input,
        "completed", "--runner=direct", "--input=" + input, "--output=" + dir);
    assertEquals(List.of(input), list(dir));
  }

  /** The home folder is refused by name, whatever it holds (a fake home: user.home of the child JVM). */
  @Test
  void homeFolderIsRefused() throws Exception {
    Path home = Files.createDirectory(TMP.resolve("home"));
    Files.writeString(home.resolve(".bashrc"), "export X=1\n");
    Path input = TMP.resolve("home-input.jsonl");
    EventGenerator.builder().events(50).seed(4).build().writeTo(input);
    assertUsageErrorIn(
        null, List.of("-Duser.home=" + home), "--output=" + home + " is the home folder",
        "completed", "--runner=direct", "--input=" + input, "--output=" + home);
    assertEquals(List.of(home.resolve(".bashrc")), list(home));
  }

  /** A folder of foreign files (no marker): refused, nothing deleted, whatever the files are called. */
  @Test
  void folderWithForeignFilesIsRefused() throws Exception {
    Path dir = Files.createDirectory(TMP.resolve("foreign"));
    Path notes = dir.resolve("notes.jsonl");
    Path nested = Files.createDirectories(dir.resolve(OutputDirs.DEAD_LETTER_DIR)).resolve("dead-letters-mine.jsonl");
    Files.writeString(notes, "{\"mine\":true}\n");
    Files.writeString(nested, "{\"mine\":true}\n");
    Path input = TMP.resolve("foreign-input.jsonl");
    EventGenerator.builder().events(50).seed(4).build().writeTo(input);
    assertUsageError(
        "--output=" + dir + " holds files the project did not write (dead-letter/dead-letters-mine.jsonl) and no "
            + OutputDirs.MARKER + " marker",
        "completed", "--runner=direct", "--input=" + input, "--output=" + dir);
    assertEquals(List.of(nested, notes), list(dir));
  }

  /** The archive equal to, or inside, the output folder: refused. */
  @Test
  void archiveInsideOrEqualToOutputIsRefused() throws Exception {
    Path dir = Files.createDirectory(TMP.resolve("with-archive"));
    Path input = TMP.resolve("archive-input.jsonl");
    EventGenerator.builder().events(50).seed(4).build().writeTo(input);
    assertUsageError(
        "--output=" + dir + " is the --archive folder",
        "completed", "--runner=direct", "--input=" + input, "--output=" + dir, "--archive=" + dir);
    assertUsageError(
        "--output=" + dir + " holds the --archive folder " + dir.resolve("lake"),
        "completed", "--runner=direct", "--input=" + input, "--output=" + dir, "--archive=" + dir.resolve("lake"));
    assertEquals(List.of(), list(dir));
  }

  /**
   * A folder of an earlier run is cleaned, including the subfolders the project writes (dead letters, late
   * events, Parquet window folders, Beam's temporary files of a cancelled job); a foreign file added to it
   * later makes the next run refuse, and nothing is deleted.
   */
  @Test
  void earlierRunIsCleanedButForeignFilesInItAreNot() throws Exception {
    Path dir = Files.createDirectory(TMP.resolve("earlier"));
    Path input = TMP.resolve("earlier-input.jsonl");
    EventGenerator.builder().events(300).seed(6).build().writeTo(input);
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    List<String> args = List.of("completed", "--runner=direct", "--input=" + input, "--output=" + dir);
    assertEquals(0, Cli.run(args, quiet));
    Path window = Files.createDirectories(dir.resolve("window_start=2026-01-15T10%3A00%3A00.000Z"));
    Files.writeString(window.resolve("results-x-pane-0-00000-of-00001.parquet"), "old");
    Path late = Files.createDirectories(dir.resolve(OutputDirs.LATE_DIR));
    Files.writeString(late.resolve("late-00000-of-00001.jsonl"), "old");
    Path temp = Files.createDirectories(dir.resolve(".temp-beam-1234"));
    Files.writeString(temp.resolve("part"), "old");

    assertEquals(0, Cli.run(args, quiet));
    List<String> expected = streams.reference.CompletedModel.expected(Files.readAllLines(input));
    expected.sort(null);
    assertEquals(expected, OutputFiles.jsonLines(dir));
    assertTrue(Files.notExists(window) && Files.notExists(temp) && Files.notExists(late.resolve("late-00000-of-00001.jsonl")));

    Path mine = dir.resolve("summary.txt");
    Files.writeString(mine, "my notes");
    List<Path> before = list(dir);
    assertUsageError(
        "--output=" + dir + " holds summary.txt, which the project did not write",
        args.toArray(new String[0]));
    assertEquals(before, list(dir));
  }

  /** Every file under {@code dir} (not the marker), sorted. */
  private static List<Path> list(Path dir) throws IOException {
    try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().equals(OutputDirs.MARKER))
          .sorted()
          .collect(java.util.stream.Collectors.toList());
    }
  }

  @Test
  void kafkaSourceTakesNoInputFile() throws Exception {
    assertUsageError(
        "--input is for --source=file; --source=kafka reads --topic",
        "revenue", "--runner=direct", "--source=kafka", "--topic=t", "--bootstrapServers=127.0.0.1:1", "--input=/dev/null");
  }

  @Test
  void badStartFrom() throws Exception {
    assertUsageError(
        "--startFrom=beginning is not a start position; allowed: earliest, latest, committed",
        "completed", "--runner=direct", "--source=kafka", "--topic=t", "--bootstrapServers=127.0.0.1:1",
        "--startFrom=beginning", "--sink=kafka", "--outputTopic=o");
  }

  @Test
  void stopOptionsNeedAStreamingRun() throws Exception {
    assertUsageError("--stopAfter and --stopWhenIdle end streaming jobs", "revenue", "--runner=direct", "--input=/dev/null", "--stopAfter=PT1M");
  }

  @Test
  void kafkaSinkNeedsATopic() throws Exception {
    assertUsageError("--sink=kafka needs --outputTopic=T", "revenue", "--runner=direct", "--input=/dev/null", "--sink=kafka");
  }

  @Test
  void exactlyOnceIsRefusedOnSpark() throws Exception {
    assertUsageError(
        "--exactlyOnce is not supported on spark",
        "completed", "--runner=spark", "--input=/dev/null", "--sink=kafka", "--outputTopic=o",
        "--bootstrapServers=127.0.0.1:1", "--exactlyOnce");
  }

  /** --sink=parquet writes Parquet files that scripts/query reads back: the model's rows, filterable. */
  @Test
  void parquetSinkThenQuery() throws Exception {
    Path input = TMP.resolve("query-input.jsonl");
    EventGenerator.builder().events(400).seed(3).build().writeTo(input);
    Path out = Files.createDirectory(TMP.resolve("parquet-out"));
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    assertEquals(
        0,
        Cli.run(List.of("completed", "--runner=direct", "--input=" + input, "--sink=parquet", "--output=" + out), quiet));
    List<String> expected = streams.reference.CompletedModel.expected(Files.readAllLines(input));
    expected.sort(null);

    ByteArrayOutputStream rows = new ByteArrayOutputStream();
    assertEquals(0, Cli.run(List.of("query", out.toString()), new PrintStream(rows, true, StandardCharsets.UTF_8)));
    assertEquals(expected, lines(rows));

    String user = streams.model.Json.MAPPER.readTree(expected.get(0)).get("user_id").asText();
    List<String> ofUser = new ArrayList<>();
    for (String e : expected) {
      if (e.contains("\"user_id\":\"" + user + "\"")) {
        ofUser.add(e);
      }
    }
    ByteArrayOutputStream filtered = new ByteArrayOutputStream();
    assertEquals(
        0,
        Cli.run(List.of("query", out.toString(), "--where", "user_id=" + user), new PrintStream(filtered, true, StandardCharsets.UTF_8)));
    assertEquals(ofUser, lines(filtered));
  }

  private static List<String> lines(ByteArrayOutputStream out) {
    List<String> l = new ArrayList<>();
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        l.add(line);
      }
    }
    return l;
  }
}
