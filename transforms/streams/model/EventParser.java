package streams.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Parses one JSON Lines event. Pure Java, no Beam: used by the {@code ParseEvents} transform, the
 * generator's round-trip checks and the tests' reference models.
 *
 * <p>Contract: {@code type} is {@code order}, {@code payment} or {@code transaction}; amounts are JSON
 * numbers or decimal strings with at most 2 decimals (held as exact cents); timestamps are ISO-8601 with
 * {@code Z} or an offset, or epoch milliseconds (number or digit string). Anything else raises {@link
 * BadEventException} with a message that says what was wrong.
 */
public final class EventParser {
  private EventParser() {}

  /** Why a line was rejected; the message goes into the dead letter. */
  public static final class BadEventException extends Exception {
    public BadEventException(String message) {
      super(message);
    }
  }

  /** Returns an {@link Order}, {@link Payment} or {@link Transaction}. */
  public static Object parse(String line) throws BadEventException {
    if (line == null || line.isBlank()) {
      throw new BadEventException("empty line");
    }
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      throw new BadEventException("invalid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new BadEventException("not a JSON object");
    }
    String type = text(node, "type");
    switch (type) {
      case "order":
        return new Order(
            text(node, "order_id"),
            text(node, "user_id"),
            cents(node, "amount"),
            status(node),
            millis(node, "created_at"));
      case "payment":
        return new Payment(
            text(node, "payment_id"),
            text(node, "order_id"),
            cents(node, "amount"),
            millis(node, "paid_at"));
      case "transaction":
        return new Transaction(
            text(node, "tx_id"),
            text(node, "account_id"),
            cents(node, "amount"),
            millis(node, "created_at"));
      default:
        throw new BadEventException(
            "unknown type '" + type + "' (expected order, payment or transaction)");
    }
  }

  private static JsonNode field(JsonNode node, String name) throws BadEventException {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      throw new BadEventException("missing field '" + name + "'");
    }
    return value;
  }

  private static String text(JsonNode node, String name) throws BadEventException {
    JsonNode value = field(node, name);
    if (!value.isTextual()) {
      throw new BadEventException(
          "field '" + name + "' must be a string, got " + value.getNodeType().name().toLowerCase());
    }
    if (value.textValue().isEmpty()) {
      throw new BadEventException("field '" + name + "' is empty");
    }
    return value.textValue();
  }

  private static Order.Status status(JsonNode node) throws BadEventException {
    String status = text(node, "status");
    try {
      return Order.Status.valueOf(status);
    } catch (IllegalArgumentException e) {
      throw new BadEventException(
          "field 'status' is '" + status + "' (expected COMPLETED, PENDING or CANCELLED)");
    }
  }

  /** Parses an amount into exact cents, refusing anything finer than a cent. */
  private static long cents(JsonNode node, String name) throws BadEventException {
    JsonNode value = field(node, name);
    BigDecimal amount;
    if (value.isNumber()) {
      amount = value.decimalValue();
    } else if (value.isTextual()) {
      try {
        amount = new BigDecimal(value.textValue().trim());
      } catch (NumberFormatException e) {
        throw new BadEventException("field '" + name + "' is not a decimal: '" + value.textValue() + "'");
      }
    } else {
      throw new BadEventException(
          "field '" + name + "' must be a number or a decimal string, got "
              + value.getNodeType().name().toLowerCase());
    }
    BigDecimal cents = amount.movePointRight(2);
    if (cents.stripTrailingZeros().scale() > 0) {
      throw new BadEventException(
          "field '" + name + "' has more than 2 decimals: " + amount.toPlainString());
    }
    try {
      return cents.longValueExact();
    } catch (ArithmeticException e) {
      throw new BadEventException("field '" + name + "' is out of range: " + amount.toPlainString());
    }
  }

  /** {@link #isoMillis}'s answer when the string is not in its fast form. */
  static final long NOT_FAST = Long.MIN_VALUE;

  /**
   * The epoch milliseconds of {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|±HH:mm)} with every field in range, the
   * form nearly every event has, without {@link OffsetDateTime#parse} (which took 15% of the CPU samples of a
   * batch run, docs/performance.md); {@link #NOT_FAST} for anything else, which the general parser
   * then takes, errors included. Same result as {@code OffsetDateTime.parse(s).toInstant().toEpochMilli()}
   * (fractions below the millisecond are dropped, as there); EventParserTest checks both agree.
   */
  static long isoMillis(String s) {
    int n = s.length();
    if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
        || s.charAt(16) != ':') {
      return NOT_FAST;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23
        || minute < 0 || minute > 59 || second < 0 || second > 59) {
      return NOT_FAST;
    }
    if (day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
      return NOT_FAST;
    }
    int i = 19;
    int millis = 0;
    if (i < n && s.charAt(i) == '.') {
      int start = ++i;
      while (i < n && i - start < 9 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        if (i - start < 3) {
          millis = millis * 10 + (s.charAt(i) - '0');
        }
        i++;
      }
      int count = i - start;
      if (count == 0) {
        return NOT_FAST;
      }
      for (int k = count; k < 3; k++) {
        millis *= 10;
      }
    }
    int offsetSeconds;
    if (i == n - 1 && s.charAt(i) == 'Z') {
      offsetSeconds = 0;
    } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
      int oh = digits(s, i + 1, 2);
      int om = digits(s, i + 4, 2);
      if (oh < 0 || oh > 17 || om < 0 || om > 59) {
        return NOT_FAST;
      }
      offsetSeconds = (s.charAt(i) == '-' ? -1 : 1) * (oh * 3600 + om * 60);
    } else {
      return NOT_FAST;
    }
    long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
    long epochSecond = epochDay * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
    return epochSecond * 1000L + millis;
  }

  /** The non-negative number of {@code count} ASCII digits at {@code from}, or -1. */
  private static int digits(String s, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static long millis(JsonNode node, String name) throws BadEventException {
    JsonNode value = field(node, name);
    if (value.isIntegralNumber() && value.canConvertToLong()) {
      return value.longValue();
    }
    if (value.isTextual()) {
      String s = value.textValue().trim();
      if (!s.isEmpty() && s.chars().allMatch(Character::isDigit) && s.length() <= 18) {
        return Long.parseLong(s);
      }
      long fast = isoMillis(s);
      if (fast != NOT_FAST) {
        return fast;
      }
      try {
        return OffsetDateTime.parse(s).toInstant().toEpochMilli();
      } catch (DateTimeParseException e) {
        throw new BadEventException(
            "field '" + name + "' is not an ISO-8601 timestamp or epoch milliseconds: '" + s + "'");
      }
    }
    throw new BadEventException(
        "field '" + name + "' must be an ISO-8601 string or epoch milliseconds, got "
            + value.getNodeType().name().toLowerCase());
  }
}
