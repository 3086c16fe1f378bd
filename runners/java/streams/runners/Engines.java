package streams.runners;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.StreamingOptions;

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
   * The maximum heap of a run on the embedded Flink or Spark engine, unless the user gives -Xmx (through
   * JAVA_OPTS): measured at 1 000 000 events, it keeps the peak RSS under 1 GiB and is faster than the JVM
   * default (a quarter of the memory), see docs/performance.md. scripts/lib.sh applies the same value.
   */
  public static final String EMBEDDED_ENGINE_HEAP = "-Xmx768m";

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
        defaults = Map.of("flinkMaster", "[local]");
        break;
      case SPARK:
        defaults = Map.of("sparkMaster", "local[*]", "storageLevel", SPARK_STORAGE_LEVEL);
        break;
      default:
        defaults = Map.of();
    }
    defaults.forEach(
        (flag, value) -> {
          if (out.stream().noneMatch(a -> a.startsWith("--" + flag + "="))) {
            out.add("--" + flag + "=" + value);
          }
        });
    return out;
  }

  /**
   * Streaming: every engine starts the job so that {@code run()} returns while it runs, unless the user
   * said otherwise (Direct {@code --blockOnRun=false}, Flink {@code --attachedMode=false}; Spark's
   * streaming {@code run()} already returns), so that {@link JobControl} can end it.
   */
  void configureStreaming(PipelineOptions options, List<String> userArgs) {
    options.as(StreamingOptions.class).setStreaming(true);
    switch (this) {
      case DIRECT:
        if (userArgs.stream().noneMatch(a -> a.startsWith("--blockOnRun"))) {
          options.as(DirectOptions.class).setBlockOnRun(false);
        }
        break;
      case FLINK:
        if (userArgs.stream().noneMatch(a -> a.startsWith("--attachedMode"))) {
          options.as(FlinkPipelineOptions.class).setAttachedMode(false);
        }
        break;
      default:
        break;
    }
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
