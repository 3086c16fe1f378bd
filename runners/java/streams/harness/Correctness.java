package streams.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import streams.io.OutputDirs;

/**
 * The check of a run against its reference model, for {@code scripts/compare} and {@code scripts/bench}.
 * Compares what a run wrote ({@code DIR/*.jsonl}, {@code DIR/dead-letter/*.jsonl}) with the reference
 * model's expected lines, as multisets of exact lines. A result whose key (e.g. user and window) is both
 * expected and written, but with other values, counts as <em>different</em>; the rest are <em>missing</em>
 * (expected, not written) or <em>unexpected</em> (written, not expected).
 */
public final class Correctness {
  private static final ObjectMapper JSON = new ObjectMapper();
  public static final int EXAMPLES = 3;

  /** The verdict of one run. */
  public static final class Verdict {
    /** True when results and dead letters equal the model's; null when the pipeline has no model. */
    public Boolean equal;
    public String model;
    public long expectedResults;
    public long actualResults;
    public long missing;
    public long unexpected;
    public long different;
    public long expectedDeadLetters;
    public long actualDeadLetters;
    /** A few examples of each kind of difference. */
    public List<String> examples = new ArrayList<>();
  }

  private Correctness() {}

  public static Verdict noModel() {
    Verdict v = new Verdict();
    v.model = "none registered (streams.pipelines.Pipelines)";
    return v;
  }

  /**
   * @param expected the model's result lines, sorted
   * @param keyFields the JSON fields that identify one result
   * @param expectedDeadLetters the lines the parser rejects, or -1 when the run writes no dead letters
   */
  public static Verdict check(
      String model, List<String> expected, List<String> keyFields, long expectedDeadLetters, Path outputDir)
      throws IOException {
    Verdict v = new Verdict();
    v.model = model;
    List<String> actual = jsonLines(outputDir);
    v.expectedResults = expected.size();
    v.actualResults = actual.size();
    v.expectedDeadLetters = expectedDeadLetters;
    v.actualDeadLetters =
        expectedDeadLetters < 0 ? -1 : jsonLines(outputDir.resolve(OutputDirs.DEAD_LETTER_DIR)).size();

    List<String> missing = new ArrayList<>();
    List<String> unexpected = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < expected.size() || j < actual.size()) {
      int c =
          i == expected.size() ? 1 : j == actual.size() ? -1 : expected.get(i).compareTo(actual.get(j));
      if (c == 0) {
        i++;
        j++;
      } else if (c < 0) {
        missing.add(expected.get(i++));
      } else {
        unexpected.add(actual.get(j++));
      }
    }

    // Pair missing and unexpected lines that share a key: those are the same result with other values.
    Map<String, Deque<String>> unexpectedByKey = new LinkedHashMap<>();
    for (String u : unexpected) {
      unexpectedByKey.computeIfAbsent(key(u, keyFields), k -> new ArrayDeque<>()).add(u);
    }
    List<String> differentExamples = new ArrayList<>();
    List<String> stillMissing = new ArrayList<>();
    for (String m : missing) {
      Deque<String> same = unexpectedByKey.get(key(m, keyFields));
      if (same != null && !same.isEmpty()) {
        String got = same.poll();
        v.different++;
        if (differentExamples.size() < EXAMPLES) {
          differentExamples.add("different: expected " + m + " got " + got);
        }
      } else {
        stillMissing.add(m);
      }
    }
    List<String> stillUnexpected = new ArrayList<>();
    unexpectedByKey.values().forEach(stillUnexpected::addAll);
    v.missing = stillMissing.size();
    v.unexpected = stillUnexpected.size();
    v.examples.addAll(differentExamples);
    stillMissing.stream().limit(EXAMPLES).forEach(m -> v.examples.add("missing: " + m));
    stillUnexpected.stream().limit(EXAMPLES).forEach(u -> v.examples.add("unexpected: " + u));
    if (v.expectedDeadLetters != v.actualDeadLetters) {
      v.examples.add(
          "dead letters: expected " + v.expectedDeadLetters + ", written " + v.actualDeadLetters);
    }
    v.equal = v.missing == 0 && v.unexpected == 0 && v.different == 0 && v.expectedDeadLetters == v.actualDeadLetters;
    return v;
  }

  private static String key(String line, List<String> keyFields) {
    if (keyFields.isEmpty()) {
      return line;
    }
    try {
      JsonNode node = JSON.readTree(line);
      StringBuilder sb = new StringBuilder();
      for (String f : keyFields) {
        sb.append(node.path(f).asText()).append('\u0000');
      }
      return sb.toString();
    } catch (IOException e) {
      return line; // not JSON: only an identical line matches
    }
  }

  /** Every non-empty line of {@code dir/*.jsonl}, sorted; empty when the folder does not exist. */
  public static List<String> jsonLines(Path dir) throws IOException {
    List<String> lines = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return lines;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.jsonl")) {
      for (Path f : files) {
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          if (!line.isEmpty()) {
            lines.add(line);
          }
        }
      }
    }
    Collections.sort(lines);
    return lines;
  }
}
