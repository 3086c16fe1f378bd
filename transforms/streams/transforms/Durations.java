package streams.transforms;

import org.joda.time.Duration;

/** Parses the ISO-8601 durations of the command line ({@code PT1H}, {@code -PT10S}) with a clear error. */
public final class Durations {
  private Durations() {}

  public static Duration parse(String flag, String value) {
    try {
      return Duration.millis(java.time.Duration.parse(value.trim()).toMillis());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "--" + flag + "=" + value + " is not an ISO-8601 duration (examples: PT1H, PT30S, -PT10S)");
    }
  }

  public static Duration parseNonNegative(String flag, String value) {
    Duration d = parse(flag, value);
    if (d.getMillis() < 0) {
      throw new IllegalArgumentException("--" + flag + "=" + value + " must not be negative");
    }
    return d;
  }

  public static Duration parsePositive(String flag, String value) {
    Duration d = parse(flag, value);
    if (d.getMillis() <= 0) {
      throw new IllegalArgumentException("--" + flag + "=" + value + " must be positive");
    }
    return d;
  }
}
