package streams.reference;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The reference models' own writing of the output contract, apart from the production formatting: one flat
 * JSON object per line, fields in the documented order, money as a JSON number with exactly two decimals
 * ({@code 12.50}, {@code -0.05}, {@code 0.00}), instants as ISO-8601 UTC strings with milliseconds ({@code
 * 2026-01-15T10:00:00.000Z}). Jackson only escapes the strings.
 */
final class ModelJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ModelJson() {}

  /** A line of {@code name, value} pairs; values are String (quoted), Long, Boolean or {@link Raw}. */
  static String line(Object... fieldsAndValues) {
    ObjectNode node = MAPPER.createObjectNode();
    for (int i = 0; i < fieldsAndValues.length; i += 2) {
      String name = (String) fieldsAndValues[i];
      Object v = fieldsAndValues[i + 1];
      if (v instanceof String) {
        node.put(name, (String) v);
      } else if (v instanceof Long) {
        node.put(name, (Long) v);
      } else if (v instanceof Boolean) {
        node.put(name, (Boolean) v);
      } else if (v instanceof Raw) {
        node.putRawValue(name, new RawValue(((Raw) v).json));
      } else {
        throw new IllegalArgumentException(name + ": " + v);
      }
    }
    return node.toString();
  }

  /** A JSON number written as is. */
  static final class Raw {
    final String json;

    Raw(String json) {
      this.json = json;
    }
  }

  /** Cents as a JSON number with two decimals: 1250 is 12.50, -5 is -0.05. */
  static Raw money(long cents) {
    String digits = Long.toString(Math.abs(cents));
    if (cents == Long.MIN_VALUE) {
      digits = "9223372036854775808";
    }
    while (digits.length() < 3) {
      digits = "0" + digits;
    }
    int point = digits.length() - 2;
    return new Raw((cents < 0 ? "-" : "") + digits.substring(0, point) + "." + digits.substring(point));
  }

  /** Epoch milliseconds as {@code yyyy-MM-ddTHH:mm:ss.SSSZ} in UTC; a year after 9999 with a {@code +}. */
  static String instant(long millis) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(millis, 1000), 0, ZoneOffset.UTC);
    StringBuilder sb = new StringBuilder(25);
    if (t.getYear() > 9999) {
      sb.append('+'); // ISO-8601 expanded year: the end of a window in the last hour of 9999
    }
    pad(sb, t.getYear(), 4).append('-');
    pad(sb, t.getMonthValue(), 2).append('-');
    pad(sb, t.getDayOfMonth(), 2).append('T');
    pad(sb, t.getHour(), 2).append(':');
    pad(sb, t.getMinute(), 2).append(':');
    pad(sb, t.getSecond(), 2).append('.');
    return pad(sb, (int) Math.floorMod(millis, 1000L), 3).append('Z').toString();
  }

  private static StringBuilder pad(StringBuilder sb, int value, int width) {
    String digits = Integer.toString(value);
    for (int i = digits.length(); i < width; i++) {
      sb.append('0');
    }
    return sb.append(digits);
  }
}
