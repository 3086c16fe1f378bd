package streams.cli;

import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.joda.time.Duration;
import streams.pipelines.StreamsOptions;
import streams.transforms.Durations;

/** Parsing of the command line's flags into options and typed values; a mistake is a {@link UsageException}. */
final class Flags {
  private Flags() {}

  static <O extends StreamsOptions> O parseOptions(List<String> args, Class<O> optionsClass) {
    for (String a : args) {
      if (!a.startsWith("--")) {
        throw new UsageException(
            "unexpected argument '" + a + "'; options look like --name=value (scripts/run --help)");
      }
    }
    try {
      return PipelineOptionsFactory.fromArgs(args.toArray(new String[0]))
          .withValidation()
          .as(optionsClass);
    } catch (IllegalArgumentException e) {
      throw new UsageException(describeOptionError(e.getMessage(), args));
    }
  }

  private static final java.util.regex.Pattern NOT_A_VALUE =
      java.util.regex.Pattern.compile("Cannot deserialize value of type `([^`]+)` from String \"(.*?)\"");

  /** Turns Beam's option errors into one line naming the flag (the flag's value from {@code args}). */
  static String describeOptionError(String message, List<String> args) {
    java.util.regex.Matcher m = NOT_A_VALUE.matcher(message == null ? "" : message);
    if (m.find()) {
      String type = m.group(1).replaceFirst("^java\\.lang\\.", "");
      String value = m.group(2);
      String allowed =
          type.equalsIgnoreCase("long") || type.equals("int") || type.equals("Integer")
              ? "a whole number"
              : type.equalsIgnoreCase("double") || type.equalsIgnoreCase("float")
                  ? "a number"
                  : type.equalsIgnoreCase("boolean") ? "true or false" : "a " + type;
      for (String a : args) {
        int eq = a.indexOf('=');
        if (eq > 0 && a.substring(eq + 1).equals(value)) {
          return a + " is not " + allowed + "; " + a.substring(0, eq) + " takes " + allowed;
        }
      }
      return "\"" + value + "\" is not " + allowed + " (the option takes " + allowed + ")";
    }
    String unknown = unknownOption(message);
    Engines run = runnerOf(args);
    if (unknown != null && run != null) {
      for (Engines engine : Engines.values()) {
        if (engine != run && EngineOptionsRegistrar.isOptionOf(engine, unknown)) {
          return "--" + unknown + " is an option of the " + engine + " runner; this run is on " + run
              + " (scripts/run <pipeline> --help lists the options)";
        }
      }
    }
    return describeOptionError(message);
  }

  /** The option Beam's message says no registered interface has, or null. */
  private static String unknownOption(String message) {
    String marker = "missing a property named '";
    int i = message == null ? -1 : message.indexOf(marker);
    return i < 0 ? null : message.substring(i + marker.length(), message.indexOf('\'', i + marker.length()));
  }

  private static Engines runnerOf(List<String> args) {
    try {
      return Engines.fromArgs(args);
    } catch (UsageException e) {
      return null;
    }
  }

  /** Turns Beam's option errors into one line naming the flag. */
  static String describeOptionError(String message) {
    String unknown = unknownOption(message);
    if (unknown != null) {
      return "unknown option --" + unknown + " (scripts/run <pipeline> --help lists the options)";
    }
    return message == null ? "invalid option" : message.split("\n")[0];
  }

  /** {@code --stop}: true for drain, false for cancel. */
  static boolean parseStop(String value) {
    String v = value == null ? "drain" : value.trim().toLowerCase(Locale.ROOT);
    switch (v) {
      case "drain":
        return true;
      case "cancel":
        return false;
      default:
        throw new UsageException("--stop=" + value + " is not a way to stop; allowed: drain, cancel");
    }
  }

  /** A positive ISO-8601 duration, or null when the flag is not given. */
  static Duration optionalDuration(String flag, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    return duration(flag, value);
  }

  /** A positive ISO-8601 duration. */
  static Duration duration(String flag, String value) {
    try {
      return Durations.parsePositive(flag, value);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /** The value of {@code --name=value} in raw arguments (the last one), or null. */
  static String rawValue(List<String> args, String name) {
    String value = null;
    for (String a : args) {
      if (a.startsWith("--" + name + "=")) {
        value = a.substring(name.length() + 3);
      }
    }
    return value;
  }

  /** True when a boolean flag is set in raw arguments ({@code --name} or {@code --name=true}). */
  static boolean rawFlag(List<String> args, String name) {
    boolean set = false;
    for (String a : args) {
      if (a.equals("--" + name)) {
        set = true;
      } else if (a.startsWith("--" + name + "=")) {
        set = Boolean.parseBoolean(a.substring(name.length() + 3).trim());
      }
    }
    return set;
  }
}
