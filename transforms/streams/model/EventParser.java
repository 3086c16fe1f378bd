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
