package streams.runners;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import streams.generate.EventGenerator;
import streams.transforms.Durations;

/**
 * {@code scripts/generate --events=N --seed=S --out=FILE [--disorder=PT5S] [--late-fraction=F]}: writes
 * deterministic events (same seed, same bytes) in arrival order.
 */
@Command(
    name = "scripts/generate",
    mixinStandardHelpOptions = true,
    description = "Writes deterministic generated events (JSON Lines, arrival order).")
final class GenerateCommand implements Callable<Integer> {
  @Option(names = "--events", description = "Number of lines (default ${DEFAULT-VALUE}).", defaultValue = "100000")
  long events;

  @Option(names = "--seed", description = "Random seed (default ${DEFAULT-VALUE}).", defaultValue = "42")
  long seed;

  @Option(names = "--out", required = true, description = "Output file.")
  Path out;

  @Option(
      names = "--disorder",
      description = "Maximum arrival delay of on-time events, ISO-8601 (default ${DEFAULT-VALUE}).",
      defaultValue = "PT5S")
  String disorder;

  @Option(
      names = "--late-fraction",
      description = "Fraction of events delayed 1-20 min more (default ${DEFAULT-VALUE}).",
      defaultValue = "0.01")
  double lateFraction;

  @Option(
      names = "--bad-fraction",
      description = "Fraction of malformed lines (default ${DEFAULT-VALUE}).",
      defaultValue = "0.001")
  double badFraction;

  private PrintStream console = System.out;

  static int run(List<String> args, PrintStream out) {
    GenerateCommand command = new GenerateCommand();
    command.console = out;
    return new CommandLine(command).execute(args.toArray(new String[0]));
  }

  @Override
  public Integer call() throws IOException {
    EventGenerator generator;
    try {
      generator =
          EventGenerator.builder()
              .events(events)
              .seed(seed)
              .disorderMillis(Durations.parseNonNegative("disorder", disorder).getMillis())
              .lateFraction(lateFraction)
              .badFraction(badFraction)
              .build();
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      return 2;
    }
    long start = System.nanoTime();
    generator.writeTo(out);
    console.printf(
        Locale.ROOT,
        "generated %d events (seed %d) into %s in %.1f s%n",
        events,
        seed,
        out,
        (System.nanoTime() - start) / 1e9);
    return 0;
  }
}
