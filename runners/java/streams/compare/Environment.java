package streams.compare;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.spark.SparkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import streams.cli.Engines;

/** What the figures depend on: the machine, the versions, the JVM and each engine's settings. */
final class Environment {
  private Environment() {}

  /** Versions read from the artifacts themselves (the jar the runs use, or the test class path). */
  static Map<String, String> versions() {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("beam", property("META-INF/maven/org.apache.beam/beam-sdks-java-core/pom.properties", "version"));
    v.put("flink", property(".flink-runtime.version.properties", "project.version"));
    v.put("spark", property("META-INF/maven/org.apache.spark/spark-core_2.12/pom.properties", "version"));
    if (v.get("spark") == null) {
      v.put("spark", property("spark-version-info.properties", "version"));
    }
    v.put("scala (Flink, Spark)", property(".flink-runtime.version.properties", "scala.binary.version"));
    v.put("java", System.getProperty("java.runtime.version"));
    return v;
  }

  private static String property(String resource, String key) {
    try (InputStream in = Environment.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        return null;
      }
      Properties p = new Properties();
      p.load(in);
      String value = p.getProperty(key);
      return value == null ? null : value.trim();
    } catch (IOException e) {
      return null;
    }
  }

  /** The maximum heap the runs' JVM gets with these flags, asked from the JVM itself. */
  static Long maxHeapBytes(List<String> jvmFlags) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Launcher.javaBinary().toString());
    cmd.addAll(jvmFlags);
    cmd.add("-XX:+PrintFlagsFinal");
    cmd.add("-version");
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(30, TimeUnit.SECONDS);
      for (String line : text.split("\n")) {
        String[] f = line.trim().split("\\s+");
        if (f.length >= 4 && f[1].equals("MaxHeapSize")) {
          return Long.parseLong(f[3]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return null;
  }

  /** One engine setting as the runs use it, with what it means. */
  static final class Setting {
    public final String runner;
    public final String setting;
    public final String value;
    public final String note;

    Setting(String runner, String setting, Object value, String note) {
      this.runner = runner;
      this.setting = setting;
      this.value = String.valueOf(value);
      this.note = note;
    }
  }

  /**
   * The settings the runs use on each engine, read from the runners' own option defaults and from the
   * command line's engine defaults ({@link Engines#normalise}), so the report states what ran.
   */
  static List<Setting> engineSettings(List<Engines> engines) {
    int cores = Runtime.getRuntime().availableProcessors();
    List<Setting> s = new ArrayList<>();
    for (Engines e : engines) {
      String name = e.toString();
      for (String a : Engines.normalise(List.of(), e)) {
        if (!a.startsWith("--runner=")) {
          String flag = a.substring(2, a.indexOf('='));
          s.add(new Setting(name, flag, a.substring(a.indexOf('=') + 1), "the command line's embedded default"));
        }
      }
      switch (e) {
        case DIRECT:
          {
            DirectOptions o = PipelineOptionsFactory.create().as(DirectOptions.class);
            s.add(new Setting(name, "targetParallelism", o.getTargetParallelism(), "worker threads (max(cores, 3))"));
            s.add(
                new Setting(
                    name,
                    "enforceImmutability / enforceEncodability",
                    o.isEnforceImmutability() + " / " + o.isEnforceEncodability(),
                    "checks every element against the model's rules: a test runner, slow by design"));
            break;
          }
        case FLINK:
          {
            FlinkPipelineOptions o = PipelineOptionsFactory.create().as(FlinkPipelineOptions.class);
            // Bundle defaults depend on the mode: read them as a batch and as a streaming job would.
            FlinkPipelineOptions streaming = PipelineOptionsFactory.create().as(FlinkPipelineOptions.class);
            streaming.setStreaming(true);
            Integer par = o.getParallelism();
            s.add(
                new Setting(
                    name,
                    "parallelism",
                    par == null || par < 1 ? "default (" + cores + " = cores)" : par,
                    "task slots of the local mini-cluster"));
            s.add(
                new Setting(
                    name,
                    "maxBundleSize",
                    o.getMaxBundleSize() + " (batch) / " + streaming.getMaxBundleSize() + " (streaming)",
                    "elements per bundle"));
            s.add(
                new Setting(
                    name,
                    "maxBundleTimeMills",
                    o.getMaxBundleTimeMills()
                        + " (batch) / "
                        + Engines.STREAMING_FLINK_MAX_BUNDLE_MILLIS
                        + " (streaming, the command line's default)",
                    "ms before a bundle is closed"));
            s.add(new Setting(name, "objectReuse", o.getObjectReuse(), "false: elements are copied between operators"));
            s.add(new Setting(name, "executionModeForBatch", o.getExecutionModeForBatch(), "batch data exchange"));
            s.add(new Setting(name, "checkpointingInterval", o.getCheckpointingInterval(), "-1: no checkpoints"));
            break;
          }
        case SPARK:
          {
            SparkPipelineOptions o = PipelineOptionsFactory.create().as(SparkPipelineOptions.class);
            s.add(new Setting(name, "local[*] threads", cores, "Spark's default parallelism = cores"));
            s.add(
                new Setting(
                    name,
                    "bundleSize",
                    o.getBundleSize(),
                    "0: bounded sources split by Spark's default parallelism"));
            s.add(
                new Setting(
                    name,
                    "storageLevel",
                    Engines.SPARK_STORAGE_LEVEL,
                    "of cached datasets; the project's default (Spark runner's: " + o.getStorageLevel()
                        + ", which recomputes evicted partitions and counts their elements again)"));
            s.add(
                new Setting(
                    name, "batchIntervalMillis", o.getBatchIntervalMillis(), "micro-batch interval (streaming only)"));
            break;
          }
        default:
          break;
      }
    }
    return s;
  }
}
