package streams.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The JVM flags (heap, JIT) of a run on each engine, read from {@code engine-flags.tsv}, the table that
 * {@code scripts/run} reads too (scripts/lib.sh): the one place these settings are decided.
 * {@code scripts/compare} and {@code scripts/bench} give their runs what {@code scripts/run} would.
 */
public final class EngineJvmFlags {
  /** One row of the table. Limits are -1 when there is none. */
  public record Rule(String kind, String runner, String mode, long maxInputBytes, long maxEvents, String flag) {
    boolean applies(String kind, Engines engine, boolean streaming, long inputBytes, long events) {
      if (!this.kind.equals(kind) || !runner.equals(engine.toString())) {
        return false;
      }
      if (!mode.equals("any") && !mode.equals(streaming ? "streaming" : "batch")) {
        return false;
      }
      if (inputBytes >= 0) {
        return maxInputBytes < 0 || inputBytes <= maxInputBytes;
      }
      if (events >= 0) {
        return maxEvents < 0 || events <= maxEvents;
      }
      return maxInputBytes < 0 && maxEvents < 0; // a size that cannot be known: limited rows do not apply
    }
  }

  public static final String HEAP = "heap";
  public static final String JIT = "jit";
  /** The generated input of a run without --input or --events (StreamsOptions' default). */
  private static final long DEFAULT_EVENTS = 100_000;

  public static final List<Rule> RULES = load();

  private EngineJvmFlags() {}

  /**
   * The flags a run of the command line with {@code cliArgs} gets, when started from a JVM with {@code
   * jvmFlags} (a kind those flags set already is left to them).
   */
  public static List<String> forRun(List<String> jvmFlags, List<String> cliArgs) {
    Engines engine;
    try {
      engine = Engines.fromArgs(cliArgs);
    } catch (RuntimeException e) {
      return List.of(); // a bad --runner: the command line itself says what is allowed
    }
    boolean streaming = false;
    long inputBytes = -1;
    long events = DEFAULT_EVENTS;
    boolean input = false;
    for (String a : cliArgs) {
      if (a.equals("--source=kafka") || a.equals("--streaming") || a.equals("--streaming=true")) {
        streaming = true;
      } else if (a.startsWith("--input=")) {
        input = true;
        try {
          inputBytes = Files.size(Paths.get(a.substring("--input=".length())));
        } catch (IOException | RuntimeException e) {
          inputBytes = -1;
        }
      } else if (a.startsWith("--events=")) {
        try {
          events = Long.parseLong(a.substring("--events=".length()));
        } catch (NumberFormatException e) {
          events = -1;
        }
      }
    }
    return forEngine(engine, streaming, inputBytes, input ? -1 : events, jvmFlags);
  }

  /** The flags of a run on {@code engine} over an input of that size (or that many generated events). */
  public static List<String> forEngine(
      Engines engine, boolean streaming, long inputBytes, long events, List<String> jvmFlags) {
    List<String> out = new ArrayList<>();
    for (String kind : List.of(HEAP, JIT)) {
      if (setsItself(kind, jvmFlags)) {
        continue;
      }
      for (Rule r : RULES) {
        if (r.applies(kind, engine, streaming, inputBytes, events)) {
          out.add(r.flag);
        }
      }
    }
    return out;
  }

  /** True when the flags already decide that kind of setting. */
  public static boolean setsItself(String kind, List<String> jvmFlags) {
    return jvmFlags.stream()
        .anyMatch(
            f ->
                kind.equals(HEAP)
                    ? f.startsWith("-Xmx")
                    : f.contains("TieredStopAtLevel") || f.contains("TieredCompilation"));
  }

  /** The table's rules in words, for the reports: "heap -Xmx768m on flink (any mode); ...". */
  public static String describe(String kind) {
    List<String> parts = new ArrayList<>();
    for (Rule r : RULES) {
      if (!r.kind.equals(kind)) {
        continue;
      }
      String limit =
          r.maxInputBytes >= 0
              ? String.format(
                  Locale.ROOT,
                  ", input up to %d MiB (or %,d generated events)",
                  (r.maxInputBytes + 1) >> 20,
                  r.maxEvents)
              : "";
      parts.add(
          "`" + r.flag + "` on " + r.runner + (r.mode.equals("any") ? "" : " " + r.mode + " runs") + limit);
    }
    return String.join("; ", parts);
  }

  private static List<Rule> load() {
    try (InputStream in = EngineJvmFlags.class.getResourceAsStream("/engine-flags.tsv")) {
      if (in == null) {
        throw new IllegalStateException("engine-flags.tsv is not on the class path");
      }
      List<Rule> rules = new ArrayList<>();
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t");
        if (f.length != 6) {
          throw new IllegalStateException("engine-flags.tsv: 6 tab-separated columns expected: " + line);
        }
        rules.add(new Rule(f[0], f[1], f[2], limit(f[3]), limit(f[4]), f[5]));
      }
      return List.copyOf(rules);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long limit(String s) {
    return s.equals("-") ? -1 : Long.parseLong(s);
  }
}
