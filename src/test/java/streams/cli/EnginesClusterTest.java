package streams.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Attributes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a job sent to a cluster is given: absolute paths, a pointer jar for a cluster on this machine, and on
 * Flink the detached mode (the command line watches the job itself).
 */
class EnginesClusterTest {
  @Test
  void mastersThatAreClusters() {
    assertFalse(Engines.isCluster(Engines.FLINK, "[local]"));
    assertTrue(Engines.isCluster(Engines.FLINK, "127.0.0.1:18081"));
    assertFalse(Engines.isCluster(Engines.SPARK, "local[*]"));
    assertTrue(Engines.isCluster(Engines.SPARK, "spark://127.0.0.1:17077"));
    assertFalse(Engines.isCluster(Engines.DIRECT, "anything"));
    assertEquals(Engines.SPARK, Engines.parse("SparkRunner"));
    assertThrows(UsageException.class, () -> Engines.parse("storm"));
  }

  @Test
  void pathsBecomeAbsoluteAndSchemesAreLeftAlone() {
    List<String> args = List.of("--input=data/e.jsonl", "--output=gs://bucket/out", "--window=PT1M");
    List<String> out = Engines.forCluster(args, Engines.FLINK, "10.0.0.5:8081");
    assertEquals(
        List.of(
            "--input=" + Paths.get("data/e.jsonl").toAbsolutePath().normalize(), "--output=gs://bucket/out", "--window=PT1M",
            "--attachedMode=false"),
        out);
    assertEquals(
        List.of("--attachedMode=true"),
        Engines.forCluster(List.of("--attachedMode=true"), Engines.FLINK, "10.0.0.5:8081"),
        "the user's choice stays");
    assertEquals(
        List.of("--output=gs://bucket/out"),
        Engines.forCluster(List.of("--output=gs://bucket/out"), Engines.SPARK, "spark://10.0.0.5:7077"),
        "a Spark job is not told about Flink's attached mode");
  }

  @Test
  void thePointerJarNamesTheFatJarInItsManifest() throws Exception {
    Path target = Paths.get("target", "some-fat.jar").toAbsolutePath();
    Path pointer = Engines.pointerJar(target);
    try (JarFile jar = new JarFile(pointer.toFile())) {
      assertEquals(target.toUri().toString(), jar.getManifest().getMainAttributes().get(Attributes.Name.CLASS_PATH));
    }
    assertEquals(pointer, Engines.pointerJar(target), "made once, then reused");
  }

  /**
   * A job stages an empty jar only when its own jar's fingerprint equals what scripts/cluster recorded of the
   * jar it preloaded: the shell's and the command line's texts must be the same, and differ for another jar.
   */
  @Test
  void theFingerprintIsTheOneScriptsClusterRecords(@TempDir Path tmp) throws Exception {
    Path jar = Files.write(tmp.resolve("a.jar"), new byte[1234]);
    Files.setLastModifiedTime(jar, FileTime.fromMillis(1_796_214_103_456L));
    assertEquals("1234 bytes, modified 1796214103", Engines.fingerprint(jar));
    ProcessBuilder pb =
        new ProcessBuilder("bash", "-c", "source scripts/lib.sh && jar_fingerprint \"$1\"", "fp", jar.toString())
            .redirectErrorStream(true);
    Process p = pb.start();
    String shell = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertEquals(0, p.waitFor(), shell);
    assertEquals(Engines.fingerprint(jar), shell);
    Files.write(jar, new byte[1235]);
    assertNotEquals(shell, Engines.fingerprint(jar), "a rebuilt jar does not match");
  }

  /** An embedded Spark stages the empty jar, not the 370 MB fat jar it would copy to its own executor. */
  @Test
  void anEmbeddedSparkStagesAnEmptyJarUnlessTold() {
    org.apache.beam.runners.spark.SparkPipelineOptions local =
        org.apache.beam.sdk.options.PipelineOptionsFactory.fromArgs("--sparkMaster=local[*]")
            .as(org.apache.beam.runners.spark.SparkPipelineOptions.class);
    Engines.SPARK.configureStaging(local, List.of("--runner=spark"));
    assertEquals(List.of(Engines.emptyJar().toString()), local.getFilesToStage());

    org.apache.beam.runners.spark.SparkPipelineOptions told =
        org.apache.beam.sdk.options.PipelineOptionsFactory.fromArgs("--sparkMaster=local[*]", "--filesToStage=/x.jar")
            .as(org.apache.beam.runners.spark.SparkPipelineOptions.class);
    Engines.SPARK.configureStaging(told, List.of("--filesToStage=/x.jar"));
    assertEquals(List.of("/x.jar"), told.getFilesToStage(), "the user's choice stays");

    org.apache.beam.runners.spark.SparkPipelineOptions cluster =
        org.apache.beam.sdk.options.PipelineOptionsFactory.fromArgs("--sparkMaster=spark://10.0.0.5:7077")
            .as(org.apache.beam.runners.spark.SparkPipelineOptions.class);
    Engines.SPARK.configureStaging(cluster, List.of());
    assertEquals(null, cluster.getFilesToStage(), "a cluster's staging is forCluster's business");
  }
}
