package streams.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Attributes;
import org.junit.jupiter.api.Test;

/** What a job sent to a cluster is given: absolute paths, a pointer jar for a cluster on this machine. */
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
        List.of("--input=" + Paths.get("data/e.jsonl").toAbsolutePath().normalize(), "--output=gs://bucket/out", "--window=PT1M"),
        out);
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
}
