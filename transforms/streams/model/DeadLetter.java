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
@DefaultCoder(RecordCoder.class)
public record DeadLetter(@Field("raw") String raw, @Field("error") String error) implements Serializable {
  public static final RecordType<DeadLetter> TYPE = RecordType.of(DeadLetter.class);

  /** The longest {@code raw} a dead letter keeps: 64 Ki characters. */
  public static final int MAX_RAW_CHARS = 64 * 1024;

  public DeadLetter {
    Objects.requireNonNull(raw, "raw");
    Objects.requireNonNull(error, "error");
  }

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

  public String toJson() {
    return TYPE.toJson(this);
  }
}
