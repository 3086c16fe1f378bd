package streams.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import streams.generate.EventGenerator;

/**
 * {@code scripts/run --metricsPort}: a job started through {@link Cli#run} serves its counters in
 * Prometheus text format while it runs, and once it has ended the endpoint's counts are the summary's.
 * On the Direct runner (batch and streaming); the Flink and Spark runs are in {@code scripts/metrics-demo}.
 */
class MetricsEndpointTest {
  @TempDir static Path TMP;

  private static final Pattern SAMPLE =
      Pattern.compile("^(streams_\\w+_total)\\{pipeline=\"(\\w+)\",runner=\"(\\w+)\"\\} (\\S+)$");
  private static final Pattern SUMMARY =
      Pattern.compile(
          "on direct: DONE, (\\d+) events in, (\\d+) results out, (\\d+) dead letters, (\\d+) late,");
  private static final Pattern ENDPOINT = Pattern.compile("metrics: (http://127\\.0\\.0\\.1:\\d+/metrics) ");

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void batchJobServesTheSummaryCounts() throws Exception {
    Path input = TMP.resolve("batch.jsonl");
    EventGenerator.builder().events(400).seed(11).build().writeTo(input);
    checkRun("completed", "--input=" + input, "--output=" + Files.createDirectory(TMP.resolve("batch")));
  }

  @Test
  void streamingJobServesTheSummaryCounts() throws Exception {
    Path input = TMP.resolve("streaming.jsonl");
    EventGenerator.builder().events(200).seed(12).build().writeTo(input);
    checkRun("revenue", "--streaming", "--window=PT5M", "--input=" + input, "--output=" + Files.createDirectory(TMP.resolve("streaming")));
  }

  @Test
  void aPortInUseIsAUsageError() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      ByteArrayOutputStream console = new ByteArrayOutputStream();
      try {
        Cli.run(
            List.of("completed", "--runner=direct", "--input=/dev/null", "--output=" + Files.createDirectory(TMP.resolve("taken")),
                "--metricsPort=" + taken.getLocalPort()),
            new PrintStream(console, true, StandardCharsets.UTF_8));
        fail("a taken port must be refused");
      } catch (UsageException e) {
        assertThat(e.getMessage(), containsString("--metricsPort=" + taken.getLocalPort() + ": the port is in use"));
      }
    }
  }

  /**
   * Runs the pipeline with an endpoint on a free port that lingers until scraped; scrapes it while the job
   * runs (the values can only grow towards the final ones) and after the summary (equal to it).
   */
  private static void checkRun(String pipeline, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(pipeline, "--runner=direct", "--metricsPort=0", "--metricsLinger=PT2M"));
    command.addAll(List.of(args));
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
    AtomicInteger code = new AtomicInteger(-1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread run =
        new Thread(
            () -> {
              try {
                code.set(Cli.run(command, out));
              } catch (Throwable t) {
                failure.set(t);
              }
            },
            "cli-run");
    run.start();

    long deadline = System.currentTimeMillis() + 180_000;
    URI endpoint = null;
    Matcher summary = null;
    List<Map<String, Long>> whileRunning = new ArrayList<>();
    while (summary == null && System.currentTimeMillis() < deadline && failure.get() == null) {
      String text = console.toString(StandardCharsets.UTF_8);
      if (endpoint == null) {
        Matcher m = ENDPOINT.matcher(text);
        if (m.find()) {
          endpoint = URI.create(m.group(1));
        }
      }
      Matcher s = SUMMARY.matcher(text);
      if (s.find()) {
        summary = s;
      } else if (endpoint != null) {
        whileRunning.add(scrape(endpoint, pipeline));
      }
      Thread.sleep(200);
    }
    assertEquals(null, failure.get(), "the run failed: " + failure.get());
    assertNotNull(endpoint, "no endpoint line in:\n" + console);
    assertNotNull(summary, "no summary within 3 minutes:\n" + console);

    Map<String, Long> last;
    try {
      last = scrape(endpoint, pipeline);
    } catch (IOException closed) {
      // The job ended between the last look at the console and the last scrape, and that scrape, the
      // first after the end, released the linger: it holds the final counts.
      last = whileRunning.remove(whileRunning.size() - 1);
    }
    assertEquals(Long.parseLong(summary.group(1)), (long) last.get("streams_events_in_total"));
    assertEquals(Long.parseLong(summary.group(2)), (long) last.get("streams_results_out_total"));
    assertEquals(Long.parseLong(summary.group(3)), (long) last.get("streams_dead_letters_total"));
    assertEquals(Long.parseLong(summary.group(4)), (long) last.get("streams_late_dropped_total"));
    assertThat(last.get("streams_events_in_total"), greaterThan(0L));
    assertThat("scraped while the job ran", whileRunning.size(), greaterThan(0));
    Map<String, Long> end = last;
    for (Map<String, Long> earlier : whileRunning) {
      earlier.forEach((name, value) -> assertThat(name, value, lessThanOrEqualTo(end.getOrDefault(name, 0L))));
    }

    // The final scrape released the linger: the command ends and the port is closed.
    run.join(60_000);
    assertTrue(!run.isAlive(), "the command line still runs after the final counts were scraped");
    assertEquals(0, code.get());
    try {
      scrape(endpoint, pipeline);
      fail("the endpoint still answers after the run");
    } catch (IOException expected) {
      // Closed.
    }
  }

  /** The endpoint's samples by name; every one of them labelled with the pipeline and the runner. */
  private static Map<String, Long> scrape(URI endpoint, String pipeline) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
    assertThat(response.headers().firstValue("Content-Type").orElse(""), containsString("text/plain"));
    Map<String, Long> samples = new TreeMap<>();
    for (String line : response.body().split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      assertTrue(m.matches(), "not a streams counter sample: " + line);
      assertEquals(pipeline, m.group(2));
      assertEquals("direct", m.group(3));
      double value = Double.parseDouble(m.group(4));
      assertEquals(Math.rint(value), value, 0.0, "a whole count: " + line);
      samples.put(m.group(1), (long) value);
    }
    assertTrue(samples.keySet().containsAll(
        List.of("streams_events_in_total", "streams_results_out_total", "streams_dead_letters_total", "streams_late_dropped_total")), "the summary's counters are always served: " + samples);
    return samples;
  }
}
