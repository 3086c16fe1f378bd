package streams.model;

import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * A line that could not be parsed: {@code {"raw": "<the line>", "error": "<what was wrong>"}}.
 *
 * <p>{@link #of} keeps at most {@link #MAX_RAW_CHARS} characters of the line and then says so in the
 * error, so that a dead letter is never itself huge: escaped as JSON it stays well under the 1 MB a Kafka
 * record may have by default, whatever the line held.
 */
@DefaultCoder(EventCoders.DeadLetterCoder.class)
public final class DeadLetter implements Serializable {
  /** The longest {@code raw} a dead letter keeps: 64 Ki characters. */
  public static final int MAX_RAW_CHARS = 64 * 1024;

  private final String raw;
  private final String error;

  /** The dead letter of {@code line}: the whole line, or its first {@link #MAX_RAW_CHARS} characters. */
  public static DeadLetter of(String line, String error) {
    if (line.length() <= MAX_RAW_CHARS) {
      return new DeadLetter(line, error);
    }
    int end = Character.isHighSurrogate(line.charAt(MAX_RAW_CHARS - 1)) ? MAX_RAW_CHARS - 1 : MAX_RAW_CHARS;
    return new DeadLetter(
        line.substring(0, end),
        error + "; raw holds the first " + end + " of the line's " + line.length() + " characters");
  }

  public DeadLetter(String raw, String error) {
    this.raw = Objects.requireNonNull(raw, "raw");
    this.error = Objects.requireNonNull(error, "error");
  }

  public String getRaw() {
    return raw;
  }

  public String getError() {
    return error;
  }

  public String toJson() {
    return Json.object().put("raw", raw).put("error", error).toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeadLetter
        && raw.equals(((DeadLetter) o).raw)
        && error.equals(((DeadLetter) o).error);
  }

  @Override
  public int hashCode() {
    return Objects.hash(raw, error);
  }

  @Override
  public String toString() {
    return toJson();
  }
}
