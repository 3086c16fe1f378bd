package streams.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code scripts/run jobs|stop} before it reaches a cluster: every wrong or missing flag is one line that
 * says what is allowed, and a cluster that does not answer is one line naming its address. (The commands
 * against a running cluster are in {@code FlinkClusterFaultIT}, run by {@code scripts/test-cluster}.)
 */
class ClusterJobsTest {
  private static String refusal(String... args) {
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    String message = assertThrows(UsageException.class, () -> Cli.run(List.of(args), out)).getMessage();
    assertThat(message, not(containsString("\n")));
    return message;
  }

  @Test
  void flagsAreCheckedBeforeAnyRequest() {
    assertThat(refusal("jobs"), containsString("jobs needs --flinkMaster=HOST:PORT"));
    assertThat(refusal("stop", "--flinkMaster=127.0.0.1:1"), containsString("stop needs --savepointDir=DIR"));
    assertThat(
        refusal("stop", "--flinkMaster=127.0.0.1:1", "--savepointDir=/tmp/sp", "--timeout=5m"),
        containsString("--timeout=5m is not a duration; allowed: ISO-8601"));
    String unknown = refusal("jobs", "--flinkMaster=127.0.0.1:1", "--drain");
    assertThat(unknown, containsString("unknown option --drain for jobs; allowed: --flinkMaster=HOST:PORT"));
    assertThat(refusal("stop", "--bogus"), containsString("--savepointDir=DIR, --job=ID|NAME, --drain, --timeout=PT5M"));
    assertThat(refusal("jobs", "--flinkMaster=[local]"), containsString("is not a cluster"));
  }

  @Test
  void aClusterThatDoesNotAnswerIsOneLineWithItsAddress() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    int p = port;
    JobFailedException e =
        assertThrows(JobFailedException.class, () -> Cli.run(List.of("jobs", "--flinkMaster=127.0.0.1:" + p), out));
    assertThat(e.getMessage(), containsString("cannot reach the Flink cluster at http://127.0.0.1:" + port));
  }

  @Test
  void helpNamesEveryPipelineAndAPipelinesOwnOptions() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Cli.run(List.of("--help"), new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String help = bytes.toString(StandardCharsets.UTF_8);
    for (String pipeline : List.of("revenue", "completed", "fraud", "join")) {
      assertThat(help, containsString("  " + pipeline + " "));
    }
    assertThat(help, containsString("scripts/run jobs|stop --flinkMaster=HOST:PORT"));
    bytes.reset();
    Cli.run(List.of("revenue", "--help"), new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String revenue = bytes.toString(StandardCharsets.UTF_8);
    assertThat(revenue, containsString("scripts/run revenue: "));
    assertThat(revenue, containsString("--trigger"));
    assertThat(revenue, containsString("--restoreFrom"));
  }
}
