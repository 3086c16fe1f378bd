package streams.transforms;

import java.util.Locale;

/**
 * How windowed aggregates are emitted, named after the output modes of streaming SQL engines and mapped
 * onto Beam triggers and accumulation modes.
 *
 * <ul>
 *   <li>{@code final} (default): one ON_TIME pane when the watermark passes the end of the window, then one
 *       LATE pane per late element while the window is within allowed lateness, each carrying the
 *       accumulated total. Data later than that is dropped.
 *   <li>{@code update}: as {@code final}, plus EARLY speculative panes every {@code earlyFiring} of
 *       processing time while the window is open (accumulated values), so a consumer upserts by (key,
 *       window).
 *   <li>{@code complete}: a complete output mode rewrites the whole result table and never drops late data.
 *       Beam cannot re-emit keys that did not change, so the equivalent is {@code update} with unbounded
 *       allowed lateness: every pane carries the full accumulated value, late data is never dropped, and
 *       state is kept until the input ends (as a complete output mode keeps it: mind the size).
 * </ul>
 *
 * <p>With bounded input the watermark jumps to the end once all data is read, so every mode emits exactly
 * one ON_TIME pane per key and window.
 */
public enum OutputMode {
  FINAL,
  UPDATE,
  COMPLETE;

  public static OutputMode parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException(
          "--trigger=" + value + " is not a trigger mode; allowed: final, update, complete");
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
