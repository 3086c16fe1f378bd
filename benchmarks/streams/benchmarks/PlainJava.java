package streams.benchmarks;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import streams.pipelines.Pipelines;

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
      System.err.println("usage: PlainJava " + String.join("|", Pipelines.names()) + " INPUT OUTPUT_DIR");
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

  /** The pipeline's answer with its default options: its reference model. */
  static List<String> run(String pipeline, List<String> lines) {
    return Pipelines.named(pipeline)
        .expected(lines, List.of())
        .orElseThrow(() -> new IllegalArgumentException("pipeline " + pipeline + " has no reference model"));
  }
}
