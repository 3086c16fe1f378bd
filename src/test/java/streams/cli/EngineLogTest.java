package streams.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Where the engines' lines go during a run, in this test's own JVM (Surefire forks one per class): the log
 * file's place, the engine lines and raw stderr text in it and not on the console, the console kept for the
 * command line's own messages, and old logs pruned to the newest {@link EngineLog#KEEP}. The whole quiet
 * console, as a user sees it, is {@code QuietConsoleTest}.
 */
class EngineLogTest {
  @TempDir Path tmp;

  @Test
  void theLogSitsNextToTheOutputFolderOrInLogDir() {
    Path out = tmp.resolve("output").resolve("revenue-flink");
    Path log = EngineLog.fileFor("revenue", Engines.FLINK, null, out.toString());
    assertEquals(tmp.resolve("output").resolve("logs"), log.getParent());
    assertTrue(log.getFileName().toString().matches("revenue-flink-\\d{8}-\\d{6}\\.log"), log.toString());
    Path chosen = EngineLog.fileFor("fraud", Engines.SPARK, tmp.resolve("mine").toString(), out.toString());
    assertEquals(tmp.resolve("mine"), chosen.getParent());
    assertTrue(chosen.getFileName().toString().startsWith("fraud-spark-"), chosen.toString());
  }

  @Test
  void engineLinesAndStderrGoToTheFileAndOldLogsArePruned() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("logs"));
    for (int i = 0; i < EngineLog.KEEP + 2; i++) {
      Files.writeString(dir.resolve(String.format("revenue-flink-20260101-0000%02d.log", i)), "old " + i);
    }
    Files.writeString(dir.resolve("completed-flink-20260101-000000.log"), "another pipeline's");
    Path file = dir.resolve("revenue-flink-20261202-010203.log");
    PrintStream stderr = System.err;
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    System.setErr(new PrintStream(console, true, StandardCharsets.UTF_8));
    try {
      EngineLog log = EngineLog.start(file, false);
      assertEquals(file, log.file());
      LoggerFactory.getLogger("org.apache.flink.runtime.SomeOperator").warn("an engine warning");
      System.err.println("text an engine printed to stderr");
      // Flink loads Pekko in a class loader of its own (with no parent); its lines go to the same file.
      try (URLClassLoader pekkoLoader = new URLClassLoader(new URL[0], null)) {
        org.apache.logging.log4j.LogManager.getContext(pekkoLoader, false)
            .getLogger("org.apache.pekko.actor.CoordinatedShutdown")
            .warn("a line from another class loader");
      }
      EngineLog.consoleErr().println("the command line's own line");
      log.failure("revenue failed", new IllegalStateException("the cause"));
    } finally {
      System.setErr(stderr);
    }
    String text = Files.readString(file, StandardCharsets.UTF_8);
    assertThat(text, containsString("WARN  [main] org.apache.flink.runtime.SomeOperator - an engine warning"));
    assertThat(text, containsString("stderr - text an engine printed to stderr"));
    assertThat(text, containsString("org.apache.pekko.actor.CoordinatedShutdown - a line from another class loader"));
    assertThat(text, containsString("revenue failed"));
    assertThat(text, containsString("java.lang.IllegalStateException: the cause"));
    String shown = console.toString(StandardCharsets.UTF_8);
    assertEquals("the command line's own line\n", shown.replace("\r", ""));
    assertThat(text, not(containsString("the command line's own line")));
    List<String> kept;
    try (Stream<Path> files = Files.list(dir)) {
      kept = files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("revenue-flink-")).sorted().collect(Collectors.toList());
    }
    assertEquals(EngineLog.KEEP, kept.size(), kept.toString());
    assertEquals("revenue-flink-20260101-000003.log", kept.get(0), "the oldest are deleted: " + kept);
    assertTrue(Files.exists(dir.resolve("completed-flink-20260101-000000.log")), "other pipelines' logs are left alone");
  }
}
