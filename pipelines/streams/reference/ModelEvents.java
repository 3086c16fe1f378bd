package streams.reference;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * The reference models' own reading of the event contract (README, "Event contract"), written apart from
 * the production parser so that the two can disagree: a JSON object with {@code type} order, payment or
 * transaction; text fields non-empty, at most 256 characters, valid Unicode; amounts as JSON numbers or
 * decimal strings, below 10^16 in absolute value, at most 2 decimals; times as ISO-8601 with an offset, or
 * epoch milliseconds, within years 1970 to 9999; lines at most 1 MiB of UTF-8 without U+FFFD, JSON nested at
 * most 64 deep, numbers at most 100 characters. Only whether a line is an event, and which, matters here:
 * a rejected line is {@code null}, without a reason.
 *
 * <p>Plain and slow on purpose: times go through {@link OffsetDateTime#parse}, amounts through {@link
 * BigDecimal} comparisons.
 */
final class ModelEvents {
  private ModelEvents() {}

  static final long MAX_MILLIS = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();
  private static final BigDecimal LIMIT = new BigDecimal("1E16");
  private static final Set<String> STATUSES = Set.of("COMPLETED", "PENDING", "CANCELLED");

  private static final ObjectMapper READER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(64)
                          .maxNumberLength(100)
                          .maxStringLength(1 << 20)
                          .build())
                  .build())
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
          .build();

  /** An order as the models see it. */
  record Order(String orderId, String userId, long cents, String status, long createdAt) {}

  /** A payment as the models see it. */
  record Payment(String paymentId, String orderId, long cents, long paidAt) {}

  /** A transaction as the models see it. */
  record Transaction(String txId, String accountId, long cents, long createdAt) {}

  /** Thrown inside the reader for any breach of the contract. */
  private static final class Rejected extends Exception {
    Rejected() {
      super(null, null, false, false);
    }
  }

  /** An {@link Order}, {@link Payment} or {@link Transaction}; {@code null} when the line is not an event. */
  static Object read(String line) {
    try {
      return event(line);
    } catch (Rejected e) {
      return null;
    }
  }

  private static Object event(String line) throws Rejected {
    if (line == null || line.isBlank() || utf8Bytes(line) > (1 << 20) || line.indexOf('\uFFFD') >= 0) {
      throw new Rejected();
    }
    JsonNode node;
    try {
      node = READER.readTree(line);
    } catch (Exception e) {
      throw new Rejected();
    }
    if (node == null || !node.isObject()) {
      throw new Rejected();
    }
    switch (text(node, "type")) {
      case "order":
        String orderId = text(node, "order_id");
        String userId = text(node, "user_id");
        long cents = cents(node.get("amount"));
        String status = text(node, "status");
        if (!STATUSES.contains(status)) {
          throw new Rejected();
        }
        return new Order(orderId, userId, cents, status, millis(node.get("created_at")));
      case "payment":
        return new Payment(
            text(node, "payment_id"), text(node, "order_id"), cents(node.get("amount")), millis(node.get("paid_at")));
      case "transaction":
        return new Transaction(
            text(node, "tx_id"), text(node, "account_id"), cents(node.get("amount")), millis(node.get("created_at")));
      default:
        throw new Rejected();
    }
  }

  private static String text(JsonNode node, String name) throws Rejected {
    JsonNode v = node.get(name);
    if (v == null || !v.isTextual() || v.textValue().isEmpty() || v.textValue().length() > 256) {
      throw new Rejected();
    }
    String s = v.textValue();
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      if (Character.getType(cp) == Character.SURROGATE) {
        throw new Rejected(); // a lone surrogate: codePointAt pairs every valid pair
      }
      i += Character.charCount(cp);
    }
    return s;
  }

  private static long cents(JsonNode v) throws Rejected {
    BigDecimal amount;
    if (v != null && v.isTextual()) {
      String s = v.textValue().trim();
      if (s.length() > 100) {
        throw new Rejected();
      }
      try {
        amount = new BigDecimal(s);
      } catch (NumberFormatException e) {
        throw new Rejected();
      }
    } else if (v != null && (v.isIntegralNumber() || v.isBigDecimal())) {
      amount = v.decimalValue();
    } else {
      throw new Rejected(); // missing, null, boolean, object, or a float beyond a double's range
    }
    if (amount.signum() == 0) {
      return 0;
    }
    // compareTo looks at the exponents first: 1e500000000 is judged without being expanded.
    if (amount.abs().compareTo(LIMIT) >= 0) {
      throw new Rejected();
    }
    BigDecimal exact = amount.stripTrailingZeros();
    if (exact.scale() > 2) {
      throw new Rejected();
    }
    return exact.scaleByPowerOfTen(2).longValueExact();
  }

  private static long millis(JsonNode v) throws Rejected {
    long millis;
    if (v != null && v.isIntegralNumber()) {
      if (!v.canConvertToLong()) {
        throw new Rejected();
      }
      millis = v.longValue();
    } else if (v != null && v.isTextual()) {
      String s = v.textValue().trim();
      if (!s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9')) {
        if (s.length() > 18) {
          throw new Rejected();
        }
        millis = Long.parseLong(s);
      } else {
        Instant instant;
        try {
          instant = OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
          throw new Rejected();
        }
        if (instant.isBefore(Instant.EPOCH) || instant.isAfter(Instant.ofEpochMilli(MAX_MILLIS))) {
          throw new Rejected();
        }
        millis = instant.toEpochMilli();
      }
    } else {
      throw new Rejected();
    }
    if (millis < 0 || millis > MAX_MILLIS) {
      throw new Rejected();
    }
    return millis;
  }

  /** UTF-8 length as the line would be written: a lone surrogate as 2 bytes, like the CESU form's half. */
  private static long utf8Bytes(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      n += cp < 0x80 ? 1 : cp < 0x800 || Character.getType(cp) == Character.SURROGATE ? 2 : cp < 0x10000 ? 3 : 4;
      i += Character.charCount(cp);
    }
    return n;
  }
}
