package streams.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The one place where JSON, money and instants are formatted, so every output agrees byte for byte. */
public final class Json {
  /** The deepest nesting of arrays and objects a line may have (an event is one flat object). */
  public static final int MAX_NESTING_DEPTH = 64;

  /** The longest number, in characters: bounds the cost of parsing it (and of any amount string). */
  public static final int MAX_NUMBER_CHARS = 100;

  /**
   * Exact decimals (no double anywhere between the input text and the cents), and read limits that bound
   * what one line can cost: {@link #MAX_NESTING_DEPTH}, {@link #MAX_NUMBER_CHARS}, strings of at most 1 MiB.
   */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(MAX_NESTING_DEPTH)
                          .maxNumberLength(MAX_NUMBER_CHARS)
                          .maxStringLength(1 << 20)
                          .build())
                  .build())
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
          .build();

  private static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Json() {}

  /** Cents as a decimal with exactly two digits after the point: 1250 becomes 12.50. */
  public static BigDecimal money(long cents) {
    return BigDecimal.valueOf(cents, 2);
  }

  /** Epoch milliseconds as ISO-8601 UTC with milliseconds: {@code 2026-01-15T10:00:00.000Z}. */
  public static String instant(long epochMillis) {
    return ISO_MILLIS.format(Instant.ofEpochMilli(epochMillis));
  }

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }
}
