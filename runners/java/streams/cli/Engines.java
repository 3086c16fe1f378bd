package streams.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.spark.SparkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.StreamingOptions;
import streams.io.KafkaIoOptions;

/**
 * The only place that names the engines: maps {@code --runner=direct|flink|spark} (or Beam's class names)
 * to Beam runners, and gives each its embedded default (Flink mini-cluster, Spark {@code local[*]}).
 */
public enum Engines {
  DIRECT("direct", "DirectRunner", "org.apache.beam.runners.direct.DirectRunner"),
  FLINK("flink", "FlinkRunner", "org.apache.beam.runners.flink.FlinkRunner"),
  SPARK("spark", "SparkRunner", "org.apache.beam.runners.spark.SparkRunner");

  public static final String ALLOWED = "direct, flink, spark (or DirectRunner, FlinkRunner, SparkRunner)";

  /**
   * Spark's storage level for the datasets the runner caches. Spark's runner default, MEMORY_ONLY, drops
   * cached partitions under memory pressure and recomputes them: results stay right, but every recomputed
   * element is counted again by Beam's metrics on Spark (1 000 000 input events counted as 3 501 584 with a
   * 768 MB heap). Serialized and spilled to disk instead, nothing is recomputed (docs/performance.md).
   */
  public static final String SPARK_STORAGE_LEVEL = "MEMORY_AND_DISK_SER";

  /**
   * Flink's object reuse, on unless the user says {@code --objectReuse=false}. Off, Flink copies every
   * element between two chained steps through its Beam coder (encode and decode): a third of the source
   * thread's time in streaming {@code completed}. On, the element is handed on as it is, which is safe
   * because Beam's model forbids a step to change its input or an element it has output (the Direct runner
   * checks it in the tests) and every record of the project is immutable. State is still copied through
   * its coder (unlike {@code --fasterCopy}, which also skips that copy and would let a checkpoint of the
   * heap backend see an accumulator changed after it). Measured in docs/bench-streaming.md.
   */
  public static final String FLINK_OBJECT_REUSE = "true";

  // The heap and JIT flags of a run on each engine: runners/resources/engine-flags.tsv (EngineJvmFlags).

  public final String shortName;
  public final String className;
  public final String qualifiedName;

  Engines(String shortName, String className, String qualifiedName) {
    this.shortName = shortName;
    this.className = className;
    this.qualifiedName = qualifiedName;
  }

  public static Engines parse(String value) {
    for (Engines e : values()) {
      if (e.shortName.equalsIgnoreCase(value)
          || e.className.equalsIgnoreCase(value)
          || e.qualifiedName.equals(value)) {
        return e;
      }
    }
    throw new UsageException("--runner=" + value + " is not a runner; allowed: " + ALLOWED);
  }

  /**
   * Returns the arguments with {@code --runner} normalised to Beam's class name and the embedded-engine
   * defaults added where the user did not say otherwise.
   */
  public static List<String> normalise(List<String> args, Engines engine) {
    List<String> out = new ArrayList<>();
    for (String a : args) {
      if (!a.startsWith("--runner=")) {
        out.add(a);
      }
    }
    out.add("--runner=" + engine.className);
    Map<String, String> defaults;
    switch (engine) {
      case FLINK:
        defaults = Map.of("flinkMaster", "[local]", "objectReuse", FLINK_OBJECT_REUSE);
        break;
      case SPARK:
        defaults = Map.of("sparkMaster", "local[*]", "storageLevel", SPARK_STORAGE_LEVEL);
        break;
      default:
        defaults = Map.of();
    }
    defaults.forEach(
        (flag, value) -> {
          if (!given(out, flag)) {
            out.add("--" + flag + "=" + value);
          }
        });
    String master = valueOf(out, engine == FLINK ? "flinkMaster" : "sparkMaster");
    return master != null && isCluster(engine, master) ? forCluster(out, engine, master) : out;
  }

  /** True when the master is a cluster of separate processes rather than the engine embedded in this JVM. */
  static boolean isCluster(Engines engine, String master) {
    switch (engine) {
      case FLINK:
        return !master.matches("\\[(local|auto|collection)\\]");
      case SPARK:
        return !master.startsWith("local");
      default:
        return false;
    }
  }

  /**
   * A job on a cluster is run by other processes, in other working directories: {@code --input} and
   * {@code --output} become absolute paths (a path with a scheme, {@code gs://...}, is left alone). And when
   * the cluster runs on this machine (its master on the loopback address, as {@code scripts/cluster} starts
   * it), the job's classes are not uploaded: the runner stages a pointer jar instead of the 370 MB fat jar,
   * whose manifest Class-Path names the fat jar where it is, so the TaskManagers and executors load the job's
   * classes from this very file. Measured on a 1 000-event {@code revenue}, command to result on a running
   * cluster: Flink 29.5 s with the upload, 9.6 s without; Spark 39.6 s and 21.2 s. A user's own
   * {@code --filesToStage} always wins. A Flink job is started detached ({@code --attachedMode=false} unless
   * given) and watched by the command line ({@link FlinkJobs}), which sees its end within 50 ms; Flink's
   * own client, attached, saw it up to 1.3 s late.
   */
  static List<String> forCluster(List<String> args, Engines engine, String master) {
    List<String> out = new ArrayList<>();
    for (String a : args) {
      String flag = a.startsWith("--input=") ? "--input=" : a.startsWith("--output=") ? "--output=" : null;
      if (flag != null && !a.substring(flag.length()).contains("://") && !a.substring(flag.length()).isEmpty()) {
        out.add(flag + Paths.get(a.substring(flag.length())).toAbsolutePath().normalize());
      } else {
        out.add(a);
      }
    }
    if (engine == FLINK && !given(out, "attachedMode")) {
      // Detached, watched by the command line itself (FlinkJobs): it sees the job's end within 50 ms.
      out.add("--attachedMode=false");
    }
    if (isLoopback(engine, master)) {
      Path jar = launcherJar();
      if (jar != null && valueOf(out, "filesToStage") == null) {
        boolean preloaded = engine == FLINK && fingerprint(jar).equals(ClusterJobs.preloadedJar(master));
        out.add("--filesToStage=" + (preloaded ? emptyJar() : pointerJar(jar)));
      }
      if (engine == SPARK) {
        // The driver (this JVM) is reached by the executors; on a loopback cluster it stays on 127.0.0.1 too
        // instead of the host's first address. Beam's Spark runner reads spark.* system properties.
        System.getProperties().putIfAbsent("spark.driver.host", "127.0.0.1");
        System.getProperties().putIfAbsent("spark.driver.bindAddress", "127.0.0.1");
      }
    }
    return out;
  }

  private static boolean isLoopback(Engines engine, String master) {
    String hostPort = engine == SPARK ? master.replaceFirst("^spark://", "") : master.replaceFirst("^https?://", "");
    String host = hostPort.replaceFirst(":\\d+/?$", "");
    return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]");
  }

  /** The fat jar this command line runs from, or null when it runs from class directories (tests). */
  private static Path launcherJar() {
    try {
      Path p = Paths.get(Engines.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return Files.isRegularFile(p) && p.toString().endsWith(".jar") ? p : null;
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
  }

  /**
   * What {@code scripts/cluster} records of the jar it preloads on a Flink cluster ({@code
   * portable-streams.preloaded-jar} in the cluster's configuration): size and modification time, the text of
   * {@code jar_fingerprint} in {@code scripts/lib.sh}.
   */
  static String fingerprint(Path jar) {
    try {
      return Files.size(jar)
          + " bytes, modified "
          + Files.getLastModifiedTime(jar).to(java.util.concurrent.TimeUnit.SECONDS);
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** A jar with nothing but a manifest whose Class-Path is the given jar, under the temp folder. */
  static Path pointerJar(Path target) {
    String url = target.toAbsolutePath().toUri().toString();
    return manifestJar("classpath-" + Integer.toHexString(url.hashCode()) + ".jar", url);
  }

  /**
   * A jar with an empty manifest, staged for a job whose classes the cluster already holds (a Flink cluster
   * started by {@code scripts/cluster} from this very jar).
   */
  static Path emptyJar() {
    return manifestJar("empty.jar", null);
  }

  private static Path manifestJar(String name, String classPath) {
    Path file = Paths.get(System.getProperty("java.io.tmpdir"), "portable-streams", name);
    if (Files.isRegularFile(file)) {
      return file;
    }
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (classPath != null) {
      manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
    }
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), "classpath", ".tmp");
      try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(tmp), manifest)) {
        // The manifest is the whole content.
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return file;
  }

  /** True when the arguments set {@code --flag} ({@code --flag} alone or {@code --flag=VALUE}). */
  static boolean given(List<String> args, String flag) {
    return args.stream().anyMatch(a -> a.equals("--" + flag) || a.startsWith("--" + flag + "="));
  }

  private static String valueOf(List<String> args, String flag) {
    String value = null;
    for (String a : args) {
      if (a.startsWith("--" + flag + "=")) {
        value = a.substring(flag.length() + 3);
      }
    }
    return value;
  }

  /**
   * Flink's bundle time in streaming, ms, when the user sets none ({@code --maxBundleTimeMills}; the
   * runner's default is 1000). Beam 2.62's Flink operators hold their output watermark while a bundle is
   * open, and after a bundle finished by time they pass it on from a timer that steady input usually beats:
   * the watermark then moves only when a bundle reaches {@code --maxBundleSize} (1000) or at a checkpoint,
   * and every event-time result (windows, fraud alerts, joins) waits for it, in bursts. Ending bundles by
   * time more often gives that timer more chances: {@code fraud} at 150 events/s over 4 partitions, 10 s
   * checkpoints, delay from a transaction to its alert p50 3.6 s / p95 8.1 s with the runner's default, 0.9
   * s / 1.5 s with 100 ms, 0.6 s / 0.7 s with {@value} ms; in {@code scripts/bench --mode=streaming} (200
   * events/s, 5 s checkpoints) the p99 of Beam ÷ native Flink was 2.7× with 1000 ms, 2.4× with 100 ms, 1.13×
   * with {@value} ms (README, docs/bench-streaming.md, {@code WatermarkProgressTest}). The cost: about
   * 15-25% more CPU per event on {@code completed}'s backlog, the same with 20 and 100 ms within the noise.
   * The Kafka source's watermark interval follows unless {@code --autoWatermarkInterval} is given: a fifth of
   * this, at least 10 ms (200 ms with the runner's default). Not with {@code --exactlyOnce} to Kafka: its
   * results are written only once a checkpoint completes (stable input), so short bundles gain it nothing,
   * and they slowed its writer (one Kafka transaction per result): 4 000 events of {@code revenue} (1 453
   * results, 2 s checkpoints) took 190 s to be written with 20 ms bundles, 92 s with the runner's 1000 ms
   * (11 s at-least-once; both before the sink's shorter retry back-off, {@code TransactionalProducer}).
   */
  public static final long STREAMING_FLINK_MAX_BUNDLE_MILLIS = 20;

  /**
   * Streaming: every engine starts the job so that {@code run()} returns while it runs, unless the user
   * said otherwise (Direct {@code --blockOnRun=false}, Flink {@code --attachedMode=false}; Spark's
   * streaming {@code run()} already returns), so that {@link JobControl} can end it. Flink's bundles end
   * by time every {@link #STREAMING_FLINK_MAX_BUNDLE_MILLIS} ms unless the user sets {@code
   * --maxBundleTimeMills} or writes to Kafka exactly once.
   */
  void configureStreaming(PipelineOptions options, List<String> userArgs) {
    options.as(StreamingOptions.class).setStreaming(true);
    switch (this) {
      case DIRECT:
        if (!given(userArgs, "blockOnRun")) {
          options.as(DirectOptions.class).setBlockOnRun(false);
        }
        break;
      case FLINK:
        if (!given(userArgs, "attachedMode")) {
          options.as(FlinkPipelineOptions.class).setAttachedMode(false);
        }
        if (!given(userArgs, "maxBundleTimeMills") && !KafkaDelivery.exactlyOnceKafka(options.as(KafkaIoOptions.class))) {
          options.as(FlinkPipelineOptions.class).setMaxBundleTimeMills(STREAMING_FLINK_MAX_BUNDLE_MILLIS);
        }
        break;
      default:
        break;
    }
  }

  /**
   * An embedded Spark ({@code local[...]}) stages an empty jar unless the user gives {@code --filesToStage}:
   * its executor runs in this JVM, whose class path already holds every class. Beam's Spark runner skips
   * staging for {@code local} and {@code local[N]} but not for {@code local[*]} (its pattern takes digits
   * only), and Spark then serves the 370 MB fat jar to its own in-process executor, which copies it into a
   * temporary folder before the first task: 0.8 s of a 1 000-event job's 5.8 s here (engine log at INFO).
   * (An empty list would not do: Beam takes it for "not given" and stages the class path.)
   */
  void configureStaging(PipelineOptions options, List<String> userArgs) {
    if (this == SPARK
        && !isCluster(SPARK, options.as(SparkPipelineOptions.class).getSparkMaster())
        && !given(userArgs, "filesToStage")) {
      options.as(SparkPipelineOptions.class).setFilesToStage(List.of(emptyJar().toString()));
    }
  }

  /** Flink's checkpoint interval for a Kafka source when the user sets none (see {@link #configureKafkaSource}). */
  static final long KAFKA_CHECKPOINT_MILLIS = 5_000;

  /**
   * A streaming job reading Kafka commits the offsets it has read when the runner finalizes them. Flink
   * finalizes only when a checkpoint completes, so without checkpointing it would never commit: unless told
   * otherwise ({@code --checkpointingInterval}, {@code -1} for none), a Kafka source on Flink gets a
   * checkpoint every {@value #KAFKA_CHECKPOINT_MILLIS} ms, with bundles finished before each (results written
   * by the sink are flushed before the offsets that produced them are committed) and checkpoints written to
   * files of the pipeline's own folder, not to the JobManager's memory (limited to 5 MB a state), see
   * {@link Recovery}.
   */
  void configureKafkaSource(PipelineOptions options, List<String> userArgs) {
    if (this != FLINK || given(userArgs, "checkpointingInterval")) {
      return;
    }
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    flink.setCheckpointingInterval(KAFKA_CHECKPOINT_MILLIS);
    if (!given(userArgs, "finishBundleBeforeCheckpointing")) {
      flink.setFinishBundleBeforeCheckpointing(true);
    }
    // Where the checkpoints go and how long they are kept: Recovery.configure.
  }

  public static Engines fromArgs(List<String> args) {
    Engines engine = FLINK;
    for (String a : args) {
      if (a.equals("--runner")) {
        throw new UsageException("--runner needs a value: --runner=NAME, allowed: " + ALLOWED);
      }
      if (a.startsWith("--runner=")) {
        engine = parse(a.substring("--runner=".length()));
      }
    }
    return engine;
  }

  @Override
  public String toString() {
    return shortName.toLowerCase(Locale.ROOT);
  }
}
