package streams.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.spark.SparkPipelineOptions;
import org.apache.beam.sdk.PipelineRunner;
import org.apache.beam.sdk.io.FileSystemRegistrar;
import org.apache.beam.sdk.options.ApplicationNameOptions;
import org.apache.beam.sdk.options.ExperimentalOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsRegistrar;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.runners.PipelineRunnerRegistrar;
import org.junit.jupiter.api.Test;

/**
 * The fat jar registers only the options, runners and file systems the command line offers (runners/shade,
 * put in by the shade plugin in place of every dependency's list): each listed class is a registrar, and
 * together they give every engine of {@link Engines} its runner and its options.
 */
class ShadedRegistrarsTest {
  private static final Path DIR = Path.of("runners/shade");

  @Test
  void everyEngineHasItsRunner() throws Exception {
    Set<String> runners = new HashSet<>();
    for (PipelineRunnerRegistrar r : load(PipelineRunnerRegistrar.class)) {
      for (Class<? extends PipelineRunner<?>> c : r.getPipelineRunners()) {
        runners.add(c.getName());
      }
    }
    Set<String> engines =
        java.util.Arrays.stream(Engines.values()).map(e -> e.qualifiedName).collect(Collectors.toSet());
    runners.removeIf(n -> n.contains(".Test")); // Beam's test runners, registered with them
    assertEquals(engines, runners);
  }

  @Test
  void everyEngineHasItsOptionsAndBeamsCoreOptionsStay() throws Exception {
    Set<Class<?>> options = new HashSet<>();
    for (PipelineOptionsRegistrar r : load(PipelineOptionsRegistrar.class)) {
      r.getPipelineOptions().forEach(options::add);
    }
    for (Class<?> c :
        List.of(
            DirectOptions.class,
            FlinkPipelineOptions.class,
            SparkPipelineOptions.class,
            PipelineOptions.class,
            StreamingOptions.class,
            ApplicationNameOptions.class,
            ExperimentalOptions.class)) {
      assertTrue(options.contains(c), c.getName() + " is not registered by runners/shade");
    }
  }

  /**
   * Local files (and the class path, Beam's own) only: the Google Cloud Storage file system cost every run
   * its options' validation and no run reads gs://.
   */
  @Test
  void fileSystemsAreTheLocalOnes() throws Exception {
    Set<String> registrars = new HashSet<>();
    for (FileSystemRegistrar r : load(FileSystemRegistrar.class)) {
      registrars.add(r.getClass().getName());
    }
    assertEquals(
        Set.of(
            "org.apache.beam.sdk.io.LocalFileSystemRegistrar",
            "org.apache.beam.sdk.io.ClassLoaderFileSystem$ClassLoaderFileSystemRegistrar"),
        registrars);
  }

  private static <T> List<T> load(Class<T> service) throws IOException, ReflectiveOperationException {
    List<String> names =
        Files.readAllLines(DIR.resolve(service.getName())).stream()
            .map(String::trim)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .collect(Collectors.toList());
    assertTrue(!names.isEmpty(), "no registrar in " + service.getName());
    List<T> out = new java.util.ArrayList<>();
    for (String n : names) {
      Class<?> c = Class.forName(n);
      assertTrue(service.isAssignableFrom(c), n + " is not a " + service.getSimpleName());
      out.add(service.cast(c.getDeclaredConstructor().newInstance()));
    }
    return out;
  }
}
