package streams.model;

import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;

/** A line that could not be parsed: {@code {"raw": "<the line>", "error": "<what was wrong>"}}. */
@DefaultCoder(EventCoders.DeadLetterCoder.class)
public final class DeadLetter implements Serializable {
  private final String raw;
  private final String error;

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
