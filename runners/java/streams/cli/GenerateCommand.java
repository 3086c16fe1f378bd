package streams.cli;

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
 * deterministic events (same seed, same bytes) in arrival order; {@code --to-kafka
 * --bootstrapServers=H:P [--topic=events] [--rate=EVENTS_PER_S]} appends them to a Kafka topic instead,
 * in the same order, at the given rate, with a progress line.
 */
@Command(
    name = "scripts/generate",
    mixinStandardHelpOptions = true,
    description =
        "Writes deterministic generated events (JSON Lines, arrival order) to a file (--out) or to a Kafka"
            + " topic (--to-kafka).")
final class GenerateCommand implements Callable<Integer> {
  @Option(names = "--events", description = "Number of lines (default ${DEFAULT-VALUE}).", defaultValue = "100000")
  long events;

  @Option(names = "--seed", description = "Random seed (default ${DEFAULT-VALUE}).", defaultValue = "42")
  long seed;

  @Option(names = "--out", description = "Output file (required unless --to-kafka).")
  Path out;

  @Option(names = "--to-kafka", description = "Append the events to --topic on --bootstrapServers instead of a file.")
  boolean toKafka;

  @Option(names = "--bootstrapServers", paramLabel = "H:P", description = "--to-kafka: the broker, e.g. 127.0.0.1:9092.")
  String bootstrapServers;

  @Option(names = "--topic", description = "--to-kafka: the topic (default ${DEFAULT-VALUE}).", defaultValue = "events")
  String topic;

  @Option(
      names = "--partitions",
      description =
          "--to-kafka: partitions of the topic if it does not exist yet; it is created with broker"
              + " timestamps (LogAppendTime) (default ${DEFAULT-VALUE}).",
      defaultValue = "4")
  int partitions;

  @Option(
      names = "--accounts",
      description = "Accounts the transactions are spread over (default ${DEFAULT-VALUE}); fraud keeps state per account.",
      defaultValue = "2000")
  int accounts;

  @Option(
      names = "--rate",
      paramLabel = "EVENTS_PER_S",
      description = "--to-kafka: events per second; 0 sends as fast as the broker takes them (default ${DEFAULT-VALUE}).",
      defaultValue = "0")
  double rate;

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
              .accounts(accounts)
              .build();
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      return 2;
    }
    if (toKafka) {
      return replay(generator);
    }
    if (out == null) {
      System.err.println("error: --out=FILE is required (or --to-kafka --bootstrapServers=H:P)");
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

  private int replay(EventGenerator generator) {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      System.err.println("error: --to-kafka needs --bootstrapServers=H:P (scripts/kafka start prints it)");
      return 2;
    }
    if (rate < 0 || partitions < 1) {
      System.err.println("error: --rate must be >= 0 and --partitions >= 1");
      return 2;
    }
    try {
      KafkaReplay.createTopics(bootstrapServers, partitions, List.of(topic));
      console.printf(
          Locale.ROOT,
          "sending %d events (seed %d) to %s on %s at %s%n",
          events, seed, topic, bootstrapServers, rate > 0 ? String.format(Locale.ROOT, "%.0f events/s", rate) : "full speed");
      KafkaReplay.Stats stats = new KafkaReplay(bootstrapServers, topic).replay(generator, events, rate, console);
      console.printf(
          Locale.ROOT,
          "sent %d events to %s in %.1f s (%.0f events/s), all acknowledged%n",
          stats.sent, topic, stats.seconds, stats.rate());
      return 0;
    } catch (IllegalStateException e) {
      System.err.println("error: " + e.getMessage());
      return 1;
    }
  }
}
