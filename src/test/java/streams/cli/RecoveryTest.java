package streams.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.spark.SparkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkpoint and restore options of the command line, refused or resolved before any job starts. */
class RecoveryTest {
  @TempDir Path tmp;

  private static List<String> kafkaRun(String runner, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of("revenue", "--runner=" + runner, "--source=kafka", "--bootstrapServers=127.0.0.1:1", "--topic=t",
                "--sink=kafka", "--outputTopic=o"));
    args.addAll(List.of(extra));
    return args;
  }

  /** The one-line message of a refused command line. */
  private static String refusal(List<String> args) {
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    UsageException e = assertThrows(UsageException.class, () -> Cli.run(args, out));
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    return e.getMessage();
  }

  @Test
  void exactlyOnceOnFlinkIsCancelledNeverDrained() {
    String drain = refusal(kafkaRun("flink", "--exactlyOnce", "--checkpointingInterval=10000", "--stop=drain"));
    assertTrue(drain.startsWith("--stop=drain cannot end an --exactlyOnce job on flink"), drain);
    String toEnd = refusal(kafkaRun("flink", "--exactlyOnce", "--checkpointingInterval=10000", "--readMode=toEnd"));
    assertTrue(toEnd.startsWith("--readMode=toEnd cannot end an --exactlyOnce job on flink"), toEnd);
  }

  @Test
  void badStateBackendIsOneLine() {
    String m = refusal(kafkaRun("flink", "--stateBackend=memory"));
    assertTrue(m.startsWith("--stateBackend=memory is not a state backend; allowed: rocksdb, hashmap"), m);
  }

  @Test
  void badCheckpointIntervalIsOneLine() {
    String m = refusal(kafkaRun("flink", "--checkpointingInterval=0"));
    assertTrue(m.contains("--checkpointingInterval=0 is not a checkpoint interval"), m);
  }

  /** The options Spark gets from a streaming command line with these arguments, after {@link Recovery}. */
  private SparkPipelineOptions sparkOptions(String... args) {
    PipelineOptionsFactory.register(SparkPipelineOptions.class);
    PipelineOptions o = PipelineOptionsFactory.fromArgs(args).create();
    Recovery.configure(
        Engines.SPARK, "completed", "group", true, o, List.of(args),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    return o.as(SparkPipelineOptions.class);
  }

  /**
   * A Spark run that can be restarted on its --checkpointDir writes the source's state (its checkpoint marks)
   * at every micro-batch: with Spark's default, every 10 batches, a driver killed before the first one was
   * written restarted its reads at the consumer group's committed offsets, ahead of its output, and lost
   * the records in between (CrashIT#sparkDriverKilledRestartsFromItsCheckpointDir).
   */
  @Test
  void sparkCheckpointDirWritesTheSourceStateEveryBatch() {
    Path dir = tmp.resolve("spark");
    assertEquals(
        700L,
        sparkOptions("--runner=SparkRunner", "--checkpointDir=" + dir, "--batchIntervalMillis=700")
            .getCheckpointDurationMillis());
    assertEquals(500L, sparkOptions("--runner=SparkRunner", "--checkpointDir=" + dir).getCheckpointDurationMillis());
    // Given on the command line: kept.
    assertEquals(
        5_000L,
        sparkOptions("--runner=SparkRunner", "--checkpointDir=" + dir, "--checkpointDurationMillis=5000")
            .getCheckpointDurationMillis());
    // Without --checkpointDir nothing is resumed: Spark's default stays.
    assertEquals(-1L, sparkOptions("--runner=SparkRunner").getCheckpointDurationMillis());
  }

  @Test
  void restoreFromOnlyOnFlink() {
    assertTrue(refusal(kafkaRun("spark", "--restoreFrom=latest")).contains("--checkpointDir"));
    assertTrue(refusal(kafkaRun("direct", "--restoreFrom=latest")).startsWith("--restoreFrom is for streaming runs on flink"));
  }

  @Test
  void restoreFromLatestWithoutCheckpointIsOneLine() {
    String m = refusal(kafkaRun("flink", "--stateBackendStoragePath=" + tmp.toUri(), "--restoreFrom=latest"));
    assertTrue(m.startsWith("--restoreFrom=latest: no retained checkpoint in " + tmp), m);
  }

  @Test
  void restoreFromPathWithoutMetadataIsOneLine() {
    String m = refusal(kafkaRun("flink", "--restoreFrom=" + tmp.resolve("nothing")));
    assertTrue(m.contains("is not a checkpoint or savepoint"), m);
  }

  @Test
  void latestIsTheNewestCompleteCheckpointOfAnyRun() throws Exception {
    Path old = checkpoint("0123456789abcdef0123456789abcdef", "chk-7", 1_000);
    Path newer = checkpoint("fedcba9876543210fedcba9876543210", "chk-2", 2_000);
    Files.createDirectories(tmp.resolve("fedcba9876543210fedcba9876543210/chk-3")); // in progress: no _metadata
    assertEquals(newer, Recovery.latest(tmp).orElseThrow());
    assertTrue(Files.isDirectory(old));
  }

  @Test
  void restoreOnTheEmbeddedEngineGoesToFlinksConfiguration() throws Exception {
    Path cp = checkpoint("0123456789abcdef0123456789abcdef", "chk-4", 1_000);
    FlinkPipelineOptions options = PipelineOptionsFactory.fromArgs("--stateBackendStoragePath=" + tmp.toUri(), "--checkpointingInterval=1000", "--restoreFrom=latest", "--flinkMaster=[local]").as(FlinkPipelineOptions.class);
    PipelineOptionsFactory.register(Recovery.Options.class);
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    Recovery.configure(Engines.FLINK, "revenue", "g", true, options, List.of("--checkpointingInterval=1000"), new PrintStream(console, true, StandardCharsets.UTF_8));
    assertTrue(console.toString(StandardCharsets.UTF_8).contains("restoring from " + cp), console.toString(StandardCharsets.UTF_8));
    String conf = Files.readString(Path.of(options.getFlinkConfDir(), "flink-conf.yaml"));
    assertTrue(conf.contains("execution.savepoint.path: " + cp.toUri()), conf);
    assertEquals(cp.toUri().toString(), options.getSavepointPath());
    assertTrue(options.isExternalizedCheckpointsEnabled());
    assertTrue(options.getRetainExternalizedCheckpointsOnCancellation());
    assertEquals("filesystem", options.getStateBackend());
  }

  @Test
  void hashmapIsBeamsFilesystemBackend() {
    FlinkPipelineOptions options = PipelineOptionsFactory.fromArgs("--stateBackend=hashmap", "--checkpointingInterval=1000").as(FlinkPipelineOptions.class);
    Recovery.configure(Engines.FLINK, "fraud", "g", true, options, List.of("--stateBackend=hashmap"), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertEquals("filesystem", options.getStateBackend());
    assertEquals(Recovery.defaultFolder("fraud", "g").toUri().toString(), options.getStateBackendStoragePath());
  }

  @Test
  void sparksDefaultCheckpointFolderGoesWhenTheRunEndsAGivenOneStays() throws Exception {
    String job = "revenue-spark-" + System.nanoTime();
    SparkPipelineOptions byDefault = PipelineOptionsFactory.fromArgs("--jobName=" + job).as(SparkPipelineOptions.class);
    Path folder = Path.of(byDefault.getCheckpointDir());
    assertEquals(Path.of("/tmp", job), folder);
    Files.createDirectories(folder.resolve("spark-checkpoint"));
    Files.writeString(folder.resolve("spark-checkpoint").resolve("checkpoint-1"), "x");
    Recovery.afterRun(Engines.SPARK, "revenue", "g", byDefault, org.apache.beam.sdk.PipelineResult.State.CANCELLED);
    assertFalse(Files.exists(folder), folder + " is left behind");

    Path given = Files.createDirectories(tmp.resolve("cp").resolve("spark-checkpoint"));
    SparkPipelineOptions told =
        PipelineOptionsFactory.fromArgs("--jobName=" + job, "--checkpointDir=" + given.getParent()).as(SparkPipelineOptions.class);
    Recovery.afterRun(Engines.SPARK, "revenue", "g", told, org.apache.beam.sdk.PipelineResult.State.DONE);
    assertTrue(Files.isDirectory(given), "a --checkpointDir the user gave is theirs: " + given);
  }

  private Path checkpoint(String job, String name, long mtime) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(job).resolve(name));
    Path meta = Files.writeString(dir.resolve("_metadata"), "x");
    Files.setLastModifiedTime(meta, FileTime.fromMillis(mtime));
    return dir;
  }
}
