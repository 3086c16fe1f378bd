package streams.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import streams.reference.RevenueModel;
import streams.testing.OutputFiles;

/**
 * The resident client of a Flink cluster ({@link ClientDaemon}) speaks its protocol as {@code scripts/run}
 * does (scripts/lib.sh, run_on_cluster_client): a command it takes runs as in a JVM of its own (same lines,
 * same exit code, same results), one at a time; what it does not take it refuses in one line, so that the
 * caller starts a JVM. Here on the Direct runner, in this JVM (ClusterIT runs it with a Flink cluster).
 */
class ClientDaemonTest {
  @TempDir static Path TMP;
  private static final String CWD = "/the/working/dir";
  private static final String JAR = "123 bytes, modified 456";
  private static ClientDaemon daemon;
  private static Path input;

  @BeforeAll
  static void start() throws IOException {
    daemon = new ClientDaemon(0, CWD, JAR);
    Thread t = new Thread(daemon::serve, "test-daemon");
    t.setDaemon(true);
    t.start();
    input = Cli.generatedInput(300, 7, new PrintStream(OutputStream.nullOutputStream()));
  }

  @AfterAll
  static void stop() throws IOException {
    daemon.close();
  }

  /** Sends one request and returns every reply line. */
  private static List<String> send(String cwd, String jar, String... args) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), daemon.port());
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
      OutputStream out = s.getOutputStream();
      StringBuilder request = new StringBuilder(cwd + "\n" + jar + "\n" + args.length + "\n");
      for (String a : args) {
        request.append(a).append('\n');
      }
      out.write(request.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      return in.lines().collect(Collectors.toList());
    }
  }

  private static List<String> kind(List<String> reply, char kind) {
    return reply.stream().filter(l -> l.startsWith(kind + " ")).map(l -> l.substring(2)).collect(Collectors.toList());
  }

  @Test
  void aRunGivesTheLinesTheExitCodeAndTheResultsOfItsOwnJvm() throws IOException {
    Path output = TMP.resolve("revenue");
    List<String> reply =
        send(
            CWD, JAR, "revenue", "--runner=direct", "--input=" + input, "--output=" + output, "--window=PT5M",
            "--logDir=" + TMP.resolve("logs"));
    assertEquals("a", reply.get(0), String.join("\n", reply));
    assertEquals("x 0", reply.get(reply.size() - 1), String.join("\n", reply));
    List<String> out = kind(reply, 'o');
    assertThat(out.get(0), startsWith("revenue on direct: reading " + input));
    assertThat(String.join("\n", out), containsString("revenue on direct: DONE, 300 events in"));
    assertThat(out, hasItem("results: " + output + " (*.jsonl)"));
    List<String> expected = RevenueModel.expected(Files.readAllLines(input), 5 * 60_000L);
    expected.sort(null);
    assertEquals(expected, OutputFiles.jsonLines(output), "the results equal the model's");
  }

  @Test
  void aMistakeIsOneErrorLineAndExitCodeTwo() throws IOException {
    List<String> reply = send(CWD, JAR, "revenue", "--runner=storm");
    assertEquals("x 2", reply.get(reply.size() - 1));
    assertThat(kind(reply, 'e').get(0), startsWith("error: --runner=storm is not a runner; allowed:"));
  }

  @Test
  void whatItDoesNotTakeIsRefusedInOneLine() throws IOException {
    assertThat(send("/elsewhere", JAR, "revenue").get(0), startsWith("r another working directory"));
    assertThat(send(CWD, "other jar", "revenue").get(0), startsWith("r another jar"));
    assertThat(send(CWD, JAR, "revenue", "--source=kafka").get(0), startsWith("r a streaming run"));
    assertThat(send(CWD, JAR, "revenue", "--streaming").get(0), startsWith("r a streaming run"));
    assertEquals(List.of("r malformed request"), sendRaw("only a line\n"));
  }

  @Test
  void aSecondCommandWhileOneRunsIsRefusedAsBusy() throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), daemon.port());
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
      String[] args = {
        "revenue", "--runner=direct", "--input=" + input, "--output=" + TMP.resolve("busy"), "--logDir=" + TMP.resolve("logs")
      };
      StringBuilder request = new StringBuilder(CWD + "\n" + JAR + "\n" + args.length + "\n");
      for (String a : args) {
        request.append(a).append('\n');
      }
      s.getOutputStream().write(request.toString().getBytes(StandardCharsets.UTF_8));
      s.getOutputStream().flush();
      assertEquals("a", in.readLine(), "the first command is taken");
      assertEquals(List.of("r busy with another command"), send(CWD, JAR, "revenue", "--runner=storm"));
      List<String> rest = in.lines().collect(Collectors.toList());
      assertEquals("x 0", rest.get(rest.size() - 1), String.join("\n", rest));
    }
    assertThat(send(CWD, JAR, "revenue", "--runner=storm").get(0), startsWith("a"));
    assertTrue(Files.isDirectory(TMP.resolve("busy")));
  }

  private static List<String> sendRaw(String text) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), daemon.port());
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
      s.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
      s.shutdownOutput();
      return in.lines().collect(Collectors.toList());
    }
  }
}
