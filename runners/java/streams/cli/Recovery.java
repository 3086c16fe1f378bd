package streams.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import streams.harness.Trees;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.spark.SparkPipelineOptions;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Checkpoints, state and recovery of a streaming run, from the command line.
 *
 * <p>Flink: once checkpointing is on ({@code --checkpointingInterval=MS}, or by default with a Kafka source,
 * see {@link Engines#configureKafkaSource}), the checkpoints of a run go to a folder of its own pipeline and
 * consumer group, {@code java.io.tmpdir/portable-streams/flink-checkpoints/PIPELINE/GROUP} (unless {@code
 * --stateBackendStoragePath}), where Flink writes {@code JOB_ID/chk-N/_metadata}; they are retained
 * (externalized, kept when the job is cancelled, fails or its process is killed), so that a later run can
 * restore from them: {@code --restoreFrom=latest} picks the newest one of that folder, {@code
 * --restoreFrom=PATH} (or Beam's {@code --savepointPath}) a given checkpoint or savepoint. A run that ends
 * by itself or is drained leaves nothing to restore: its own checkpoints are discarded by Flink, and the
 * older ones it may have restored from are deleted here, so that {@code latest} never goes back in time.
 * {@code --stateBackend=hashmap} (Flink's name; Beam calls it {@code filesystem}) keeps the state on the heap,
 * {@code rocksdb} in RocksDB files on local disk, both checkpointed to the folder.
 *
 * <p>Beam's Flink runner applies {@code --savepointPath} only to a job it submits to a cluster; for the
 * embedded mini-cluster the restore path is given to Flink as {@code execution.savepoint.path} in a
 * configuration folder of the run ({@code --flinkConfDir}, a copy of the user's own if any).
 *
 * <p>Spark: its streaming context recovers from {@code --checkpointDir} when that folder holds a checkpoint
 * of the same pipeline: give the same {@code --checkpointDir} to the run after a crash. Without it each run
 * gets a fresh folder (Beam's default, {@code /tmp/JOB_NAME}, the job name holding the run's start time) and
 * starts where {@code --startFrom} says; no later run can read that folder, so it is deleted when the run ends.
 */
public final class Recovery {
  /** The command-line options of this class. */
  public interface Options extends PipelineOptions {
    @Description(
        "Flink streaming: restore the job's state and source positions from a retained checkpoint or a"
            + " savepoint: 'latest' (the newest retained checkpoint of this pipeline and consumer group, left"
            + " by an earlier run that was killed, failed or cancelled) or the path of a chk-N or savepoint"
            + " folder. Prints what it restored from.")
    String getRestoreFrom();

    void setRestoreFrom(String value);
  }

  /**
   * Spark streaming with {@code --checkpointDir}: the state of Beam's source read ({@code mapWithState}, one
   * checkpoint mark per split) is written to the checkpoint folder at every micro-batch
   * ({@code --checkpointDurationMillis} = {@code --batchIntervalMillis}) unless the command line gives
   * {@code --checkpointDurationMillis} itself.
   *
   * <p>Spark's default writes it every 10 batches. A restarted driver runs again every batch from its
   * checkpoint's time on; a batch whose state before it was not written is recomputed from the newest
   * written one, reading the source again: from no checkpoint mark at all before the first one is written,
   * and then KafkaIO starts at the consumer group's committed offsets, which {@code commitOffsetsInFinalize}
   * moved at the end of every read, batches ahead of the written output (the generator reads each batch
   * when it generates it, and the metadata checkpoint lags behind); the records in between were never
   * processed (292 of 2 115 results lost by {@code CrashIT}, the kill 11 s into the stream, before the first
   * state was written). Reads recomputed for batches that are not run again are dropped as well. With the
   * state of every batch written, each batch run again restores what its first run read, and the first new
   * read starts at the checkpoint mark of the last batch generated before the checkpoint.
   */
  static void checkpointSourceStateEveryBatch(SparkPipelineOptions spark, List<String> userArgs) {
    if (!Engines.given(userArgs, "checkpointDurationMillis")) {
      spark.setCheckpointDurationMillis(spark.getBatchIntervalMillis());
    }
  }

  static final String LATEST = "latest";
  static final String ALLOWED_BACKENDS = "rocksdb, hashmap (or filesystem, Beam's name for hashmap)";

  private Recovery() {}

  /**
   * Checks the checkpoint and state options, sets the defaults described on the class and, for {@code
   * --restoreFrom}, where the run restores from. Bad values are a {@link UsageException}.
   */
  static void configure(
      Engines engine, String pipeline, String groupId, boolean streaming, PipelineOptions options, List<String> userArgs,
      PrintStream out) {
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    String restoreFrom = options.as(Options.class).getRestoreFrom();
    checkStateBackend(flink, userArgs);
    Long interval = flink.getCheckpointingInterval();
    if (interval != null && interval != -1 && interval <= 0) {
      throw new UsageException(
          "--checkpointingInterval=" + interval + " is not a checkpoint interval; allowed: a positive number of"
              + " milliseconds, or -1 for no checkpoints");
    }
    if (restoreFrom != null && (engine != Engines.FLINK || !streaming)) {
      throw new UsageException(
          "--restoreFrom is for streaming runs on flink"
              + (engine == Engines.SPARK
                  ? "; a Spark streaming run resumes from its --checkpointDir: give the same one again"
                  : ""));
    }
    if (engine == Engines.SPARK && streaming && userArgs.stream().anyMatch(a -> a.startsWith("--checkpointDir="))) {
      String dir = options.as(SparkPipelineOptions.class).getCheckpointDir();
      if (dir == null || dir.isBlank()) {
        throw new UsageException("--checkpointDir needs a folder: --checkpointDir=DIR");
      }
      if (!dir.contains("://")) {
        dir = Paths.get(dir).toAbsolutePath().normalize().toString();
        options.as(SparkPipelineOptions.class).setCheckpointDir(dir);
      }
      checkpointSourceStateEveryBatch(options.as(SparkPipelineOptions.class), userArgs);
      boolean resumes = Files.isDirectory(Paths.get(dir.replaceFirst("^file://", ""), "spark-checkpoint"));
      out.println(
          "checkpoints: " + dir + (resumes ? " (resuming from the checkpoint there)" : " (new; a restart with the"
              + " same --checkpointDir resumes from it)"));
      out.println(
          "  note: on spark a driver restarted on its --checkpointDir writes again the results of the batches since"
              + " its checkpoint (at-least-once; README, \"Checkpoints, state and recovery\"); flink with --exactlyOnce"
              + " does not");
      return;
    }
    if (engine != Engines.FLINK || !streaming) {
      return;
    }
    boolean checkpointing = interval != null && interval > 0;
    if (checkpointing) {
      if (flink.getStateBackendStoragePath() == null || flink.getStateBackendStoragePath().isBlank()) {
        flink.setStateBackendStoragePath(defaultFolder(pipeline, groupId).toUri().toString());
      }
      if (flink.getStateBackend() == null) {
        flink.setStateBackend("filesystem");
      }
      streams.io.KafkaIoOptions io = options.as(streams.io.KafkaIoOptions.class);
      boolean asked =
          Engines.given(userArgs, "checkpointingInterval")
              || Engines.given(userArgs, "restoreFrom")
              || Engines.given(userArgs, "savepointPath")
              || io.getExactlyOnce();
      if (asked && !Engines.given(userArgs, "dropReplayedOffsets")) {
        // A restored Beam Flink source may read a partition twice (apache/beam#34890): each offset once.
        io.setDropReplayedOffsets(true);
      }
      if (!Engines.given(userArgs, "finishBundleBeforeCheckpointing")) {
        // The sink's writes are flushed before the checkpoint that covers their input: at-least-once.
        flink.setFinishBundleBeforeCheckpointing(true);
      }
      if (!Engines.given(userArgs, "externalizedCheckpointsEnabled")) {
        flink.setExternalizedCheckpointsEnabled(true);
      }
      if (!Engines.given(userArgs, "retainExternalizedCheckpointsOnCancellation")) {
        flink.setRetainExternalizedCheckpointsOnCancellation(true);
      }
    }
    String savepoint = flink.getSavepointPath();
    if (restoreFrom != null && savepoint != null) {
      throw new UsageException("give either --restoreFrom or --savepointPath, not both");
    }
    Path from = null;
    if (restoreFrom != null) {
      from = resolve(restoreFrom, flink);
    } else if (savepoint != null && !savepoint.contains("://")) {
      from = existingSnapshot("--savepointPath", savepoint);
    }
    if (checkpointing) {
      out.printf(
          Locale.ROOT,
          "checkpoints: every %d ms, state %s, to %s (retained; after a crash: --restoreFrom=latest)%n",
          interval,
          backendName(flink.getStateBackend()),
          storageFolder(flink));
    }
    if (from != null) {
      restore(flink, from);
      out.println("restoring from " + from + " (written " + modified(from.resolve("_metadata")) + ")");
    } else if (savepoint != null) {
      out.println("restoring from " + savepoint);
    }
  }

  /** Beam accepts rocksdb and filesystem; Flink calls the heap backend hashmap. */
  private static void checkStateBackend(FlinkPipelineOptions flink, List<String> userArgs) {
    String backend = flink.getStateBackend();
    if (backend == null) {
      if (userArgs.stream().anyMatch(a -> a.startsWith("--stateBackend="))) {
        throw new UsageException("--stateBackend needs a value; allowed: " + ALLOWED_BACKENDS);
      }
      return;
    }
    switch (backend.trim().toLowerCase(Locale.ROOT)) {
      case "rocksdb":
        flink.setStateBackend("rocksdb");
        return;
      case "hashmap":
      case "filesystem":
        flink.setStateBackend("filesystem");
        return;
      default:
        throw new UsageException("--stateBackend=" + backend + " is not a state backend; allowed: " + ALLOWED_BACKENDS);
    }
  }

  private static String backendName(String beamName) {
    return "rocksdb".equals(beamName) ? "rocksdb (off-heap, local disk)" : "hashmap (on the heap)";
  }

  /** The checkpoint folder of a pipeline and consumer group when the user names none. */
  static Path defaultFolder(String pipeline, String groupId) {
    String group = groupId == null || groupId.isBlank() ? "default" : groupId.replaceAll("[^A-Za-z0-9._-]", "_");
    return Paths.get(System.getProperty("java.io.tmpdir"), "portable-streams", "flink-checkpoints", pipeline, group)
        .toAbsolutePath();
  }

  /** The local folder of {@code --stateBackendStoragePath}, or null if it is not on the local file system. */
  static Path storageFolder(FlinkPipelineOptions flink) {
    String p = flink.getStateBackendStoragePath();
    if (p == null || p.isBlank()) {
      return null;
    }
    if (p.startsWith("file:")) {
      return Paths.get(URI.create(p)).toAbsolutePath();
    }
    return p.contains("://") ? null : Paths.get(p).toAbsolutePath();
  }

  private static Path resolve(String restoreFrom, FlinkPipelineOptions flink) {
    if (!restoreFrom.trim().equalsIgnoreCase(LATEST)) {
      return existingSnapshot("--restoreFrom", restoreFrom.trim());
    }
    Path folder = storageFolder(flink);
    if (folder == null) {
      throw new UsageException(
          "--restoreFrom=latest needs checkpointing to a local folder (--checkpointingInterval=MS, and"
              + " --stateBackendStoragePath on this machine if given); or give --restoreFrom=PATH");
    }
    return latest(folder)
        .orElseThrow(
            () ->
                new UsageException(
                    "--restoreFrom=latest: no retained checkpoint in " + folder + " (a run of this pipeline and"
                        + " consumer group leaves one when it is killed, fails or is cancelled after its first"
                        + " checkpoint; a run that ends or is drained leaves none)"));
  }

  private static Path existingSnapshot(String flag, String value) {
    Path p = value.startsWith("file:") ? Paths.get(URI.create(value)) : Paths.get(value);
    p = p.toAbsolutePath().normalize();
    if (Files.isRegularFile(p) && p.getFileName().toString().equals("_metadata")) {
      p = p.getParent();
    }
    if (!Files.isRegularFile(p.resolve("_metadata"))) {
      throw new UsageException(
          flag + "=" + value + " is not a checkpoint or savepoint: no " + p.resolve("_metadata")
              + " (give a chk-N or savepoint-... folder, or --restoreFrom=latest)");
    }
    return p;
  }

  /**
   * The newest complete checkpoint or savepoint under {@code folder}: a {@code JOB_ID/chk-N} (or {@code
   * savepoint-*}) folder holding {@code _metadata}, Flink's last write of a checkpoint.
   */
  static Optional<Path> latest(Path folder) {
    if (!Files.isDirectory(folder)) {
      return Optional.empty();
    }
    List<Path> found = new ArrayList<>();
    try (Stream<Path> jobs = Files.list(folder)) {
      for (Path job : (Iterable<Path>) jobs::iterator) {
        if (isSnapshot(job)) {
          found.add(job);
        } else if (Files.isDirectory(job)) {
          try (Stream<Path> snapshots = Files.list(job)) {
            snapshots.filter(Recovery::isSnapshot).forEach(found::add);
          } catch (NoSuchFileException e) {
            // Flink discarded this job's folder meanwhile.
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder, e);
    }
    return found.stream().max(Comparator.comparing(p -> modified(p.resolve("_metadata"))));
  }

  private static boolean isSnapshot(Path p) {
    String name = p.getFileName().toString();
    return (name.startsWith("chk-") || name.startsWith("savepoint-")) && Files.isRegularFile(p.resolve("_metadata"));
  }

  private static FileTime modified(Path p) {
    try {
      return Files.getLastModifiedTime(p);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }

  /**
   * Restores the job from {@code snapshot}: Beam's {@code --savepointPath} for a cluster, and Flink's {@code
   * execution.savepoint.path} in the run's configuration folder for the embedded mini-cluster.
   */
  private static void restore(FlinkPipelineOptions flink, Path snapshot) {
    flink.setSavepointPath(snapshot.toUri().toString());
    String master = flink.getFlinkMaster();
    if (master != null && Engines.isCluster(Engines.FLINK, master)) {
      return;
    }
    String userDir = flink.getFlinkConfDir();
    if (userDir == null || userDir.isBlank()) {
      userDir = System.getenv("FLINK_CONF_DIR");
    }
    String fileName = "flink-conf.yaml";
    StringBuilder conf = new StringBuilder();
    try {
      if (userDir != null && !userDir.isBlank()) {
        Path dir = Paths.get(userDir);
        for (String name : List.of("config.yaml", "flink-conf.yaml")) {
          if (Files.isRegularFile(dir.resolve(name))) {
            fileName = name;
            conf.append(Files.readString(dir.resolve(name), StandardCharsets.UTF_8)).append('\n');
            break;
          }
        }
      }
      conf.append("execution.savepoint.path: ").append(snapshot.toUri()).append('\n');
      conf.append("execution.savepoint.ignore-unclaimed-state: ")
          .append(Boolean.TRUE.equals(flink.getAllowNonRestoredState()))
          .append('\n');
      Path dir = Files.createTempDirectory("portable-streams-flink-conf");
      dir.toFile().deleteOnExit();
      Path file = dir.resolve(fileName);
      Files.writeString(file, conf, StandardCharsets.UTF_8);
      file.toFile().deleteOnExit();
      flink.setFlinkConfDir(dir.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the Flink configuration of the restore", e);
    }
  }

  /**
   * After a Flink run with checkpoints in its own default folder has ended by itself or been drained: the
   * checkpoints there are of finished work (Flink discarded the run's own; older ones it may have restored
   * from remain), so they are deleted, and a later {@code --restoreFrom=latest} finds nothing rather than
   * going back in time.
   */
  static void afterRun(
      Engines engine, String pipeline, String groupId, PipelineOptions options, PipelineResult.State state) {
    if (engine == Engines.SPARK) {
      removeDefaultCheckpoints(options.as(SparkPipelineOptions.class));
      return;
    }
    if (engine != Engines.FLINK || state != PipelineResult.State.DONE) {
      return;
    }
    Path folder = storageFolder(options.as(FlinkPipelineOptions.class));
    if (folder == null || !folder.equals(defaultFolder(pipeline, groupId))) {
      return;
    }
    try (Stream<Path> jobs = Files.list(folder)) {
      for (Path job : (Iterable<Path>) jobs::iterator) {
        if (job.getFileName().toString().matches("[0-9a-f]{32}")) {
          Trees.delete(job);
        }
      }
    } catch (IOException | UncheckedIOException e) {
      // Nothing there, or not removable: --restoreFrom=latest may then find an old checkpoint.
    }
  }

  /**
   * Deletes the checkpoint folder of a Spark streaming run that was not given {@code --checkpointDir}: Beam's
   * default folder ({@code /tmp/JOB_NAME}), which no later run reads (every run has a job name of its own),
   * and which would otherwise stay behind after every run. Called when the run ended, failed or was stopped.
   */
  static void removeDefaultCheckpoints(SparkPipelineOptions spark) {
    String dir = spark.getCheckpointDir();
    if (dir == null || !dir.equals(new SparkPipelineOptions.TmpCheckpointDirFactory().create(spark))) {
      return;
    }
    try {
      Trees.delete(Paths.get(dir));
    } catch (IOException | UncheckedIOException e) {
      // Not there (a batch run, or a run that failed before its first batch) or not removable: nothing lost.
    }
  }
}
