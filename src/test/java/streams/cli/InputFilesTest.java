package streams.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Input files as the command line sees them: sizes of a glob, a missing input in one line, generated inputs cached. */
class InputFilesTest {
  @TempDir Path tmp;

  @Test
  void globsAreSizedAndAMissingInputIsOneLine() throws Exception {
    Files.writeString(tmp.resolve("a.jsonl"), "12345\n");
    Files.writeString(tmp.resolve("b.jsonl"), "123\n");
    assertEquals(10, InputFiles.totalBytes(tmp.resolve("*.jsonl").toString()));
    assertEquals(
        java.util.Set.of(tmp.resolve("a.jsonl"), tmp.resolve("b.jsonl")),
        java.util.Set.copyOf(InputFiles.localFiles(tmp.resolve("*.jsonl").toString())));
    InputFiles.requireExists(tmp.resolve("a.jsonl").toString());
    UsageException e =
        assertThrows(UsageException.class, () -> InputFiles.requireExists(tmp.resolve("none-*.jsonl").toString()));
    assertEquals("--input=" + tmp.resolve("none-*.jsonl") + " matches no file", e.getMessage());
  }

  @Test
  void generatedInputsAreWrittenOnceAndReused() throws Exception {
    String before = System.getProperty("java.io.tmpdir");
    System.setProperty("java.io.tmpdir", tmp.toString());
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
      Path first = InputFiles.generated(50, 3, print);
      assertEquals(tmp.resolve("portable-streams").resolve("events-50-seed3.jsonl"), first);
      assertEquals(50, Files.readAllLines(first).size());
      assertThat(out.toString(StandardCharsets.UTF_8), containsString("no --input: generating 50 events (seed 3)"));
      out.reset();
      long modified = Files.getLastModifiedTime(first).toMillis();
      assertEquals(first, InputFiles.generated(50, 3, print));
      assertEquals("", out.toString(StandardCharsets.UTF_8), "the cached file is reused silently");
      assertEquals(modified, Files.getLastModifiedTime(first).toMillis());
      assertTrue(Files.exists(first));
    } finally {
      System.setProperty("java.io.tmpdir", before);
    }
  }
}
