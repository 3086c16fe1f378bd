package streams.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The folders show the architecture: {@code runners/ → pipelines/ → transforms/}, and only {@code
 * runners/} knows that an engine exists.
 */
class LayeringTest {
  private static final Pattern ENGINE = Pattern.compile("(?i)\\b(flink|spark)");

  private static List<String> violations(String folder, Pattern forbidden) throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Paths.get(folder))) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
        List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
          if (forbidden.matcher(lines.get(i)).find()) {
            found.add(f + ":" + (i + 1) + ": " + lines.get(i).trim());
          }
        }
      }
    }
    return found;
  }

  @Test
  void noEngineNameInPipelinesOrTransforms() throws IOException {
    assertEquals(List.of(), violations("pipelines", ENGINE));
    assertEquals(List.of(), violations("transforms", ENGINE));
  }

  @Test
  void dependenciesRunOneWay() throws IOException {
    assertEquals(List.of(), violations("transforms", Pattern.compile("^import (static )?streams\\.(pipelines|cli|compare|benchmarks)\\.")));
    assertEquals(List.of(), violations("pipelines", Pattern.compile("^import (static )?streams\\.(cli|compare|benchmarks)\\.")));
    // Nothing outside runners/ imports a runner class.
    Pattern runnerImport = Pattern.compile("^import (static )?org\\.apache\\.beam\\.runners\\.");
    assertEquals(List.of(), violations("transforms", runnerImport));
    assertEquals(List.of(), violations("pipelines", runnerImport));
  }

  /**
   * The reference models read events and write results with their own code: a change to the production
   * parser or formatter cannot change what the tests expect.
   */
  @Test
  void referenceModelsShareNoCodeWithWhatTheyCheck() throws IOException {
    assertEquals(
        List.of(),
        violations("pipelines/streams/reference", Pattern.compile("^import (static )?streams\\.(model|transforms|io|pipelines)\\.")));
  }

  @Test
  void theCheckItselfCatchesAnEngineName() {
    assertEquals(true, ENGINE.matcher("// runs on Flink".toLowerCase(Locale.ROOT)).find());
  }
}
