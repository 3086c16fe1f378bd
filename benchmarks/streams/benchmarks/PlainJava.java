package streams.benchmarks;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import streams.reference.CompletedModel;
import streams.reference.FraudModel;
import streams.reference.JoinModel;
import streams.reference.RevenueModel;

/**
 * The plain-Java reference of the cost of portability: the reference models (single-threaded loops over
 * the lines, Jackson's parser) run as a program, writing the same output lines as the pipelines with their
 * default options. {@code java -cp target/portable-streams.jar streams.benchmarks.PlainJava PIPELINE INPUT
 * OUTPUT_DIR}
 */
public final class PlainJava {
  private PlainJava() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: PlainJava revenue|completed|fraud|join INPUT OUTPUT_DIR");
      System.exit(2);
    }
    long start = System.nanoTime();
    List<String> lines = Files.readAllLines(Paths.get(args[1]), StandardCharsets.UTF_8);
    List<String> results = run(args[0], lines);
    Path dir = Files.createDirectories(Paths.get(args[2]));
    try (BufferedWriter out = Files.newBufferedWriter(dir.resolve("results-plain.jsonl"), StandardCharsets.UTF_8)) {
      for (String r : results) {
        out.write(r);
        out.write('\n');
      }
    }
    System.out.printf(Locale.ROOT, "plain-java %s: %d results, %.1f s%n", args[0], results.size(), (System.nanoTime() - start) / 1e9);
  }

  /** The pipeline's answer with its default options. */
  static List<String> run(String pipeline, List<String> lines) {
    switch (pipeline) {
      case "revenue":
        return RevenueModel.expected(lines, 3_600_000L);
      case "completed":
        return CompletedModel.expected(lines);
      case "fraud":
        return FraudModel.expected(lines, 5, 60_000L);
      case "join":
        return JoinModel.expected(lines, -10_000L, 300_000L);
      default:
        throw new IllegalArgumentException("unknown pipeline " + pipeline + "; allowed: revenue, completed, fraud, join");
    }
  }
}
