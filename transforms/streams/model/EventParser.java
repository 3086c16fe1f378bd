package streams.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
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
 *
 * <p>Limits, each checked before the work it bounds, so that no line can cost unbounded time or memory
 * or produce a value that a later step cannot hold (README, "Event contract"):
 *
 * <ul>
 *   <li>a line is at most {@link #MAX_LINE_BYTES} bytes of UTF-8 and holds no U+FFFD (the character that
 *       replaces bytes that are not UTF-8 when files and Kafka values are decoded);
 *   <li>JSON nests at most {@link Json#MAX_NESTING_DEPTH} levels and a number has at most {@link
 *       Json#MAX_NUMBER_CHARS} characters (Jackson's {@code StreamReadConstraints});
 *   <li>a text field is at most {@link #MAX_TEXT_CHARS} characters of valid Unicode (no unpaired
 *       surrogate from a {@code \\uD800} escape);
 *   <li>an amount is below {@link #MAX_AMOUNT_EXCLUSIVE} (10^16) in absolute value, so that it fits {@code
 *       DECIMAL(18,2)}, with at most 2 decimals; it is judged from its precision and scale, never by
 *       expanding an exponent ({@code 1e500000000} costs nothing);
 *   <li>an event time lies in years 1970 to 9999 ({@link #MIN_EVENT_MILLIS} to {@link #MAX_EVENT_MILLIS}):
 *       far inside Beam's timestamp range, so window ends, allowed lateness and timers never leave it,
 *       and every instant prints as a 4-digit ISO-8601 year.
 * </ul>
 */
public final class EventParser {
  private EventParser() {}

  /** The longest line that can be an event: 1 MiB of UTF-8. */
  public static final int MAX_LINE_BYTES = 1 << 20;

  /** The longest text field (ids, type, status), in characters. */
  public static final int MAX_TEXT_CHARS = 256;

  /** Amounts are below this in absolute value: 10^16, the first value {@code DECIMAL(18,2)} cannot hold. */
  public static final BigDecimal MAX_AMOUNT_EXCLUSIVE = BigDecimal.TEN.pow(16);

  /** The earliest event time: 1970-01-01T00:00:00.000Z. */
  public static final long MIN_EVENT_MILLIS = 0L;

  /** The latest event time: 9999-12-31T23:59:59.999Z. */
  public static final long MAX_EVENT_MILLIS = 253_402_300_799_999L;

  /** How much of a rejected value a reason quotes. */
  private static final int SHOWN_CHARS = 64;

  /** How much of Jackson's message a reason keeps (Jackson quotes at most 256 characters of a token). */
  private static final int MESSAGE_CHARS = 400;

  private static final String RANGE =
      Json.instant(MIN_EVENT_MILLIS) + " to " + Json.instant(MAX_EVENT_MILLIS);

  /** Why a line was rejected; the message goes into the dead letter. */
  public static final class BadEventException extends Exception {
    public BadEventException(String message) {
      super(message);
    }
  }

  /**
   * The last line this thread parsed into an event, and the event. A Kafka read parses each record twice in
   * a row on one thread: its event-time policy for the record's timestamp, then {@code ParseEvents}, chained
   * behind it (a streaming runner runs a source and the steps chained to it on the source's thread, a
   * micro-batch runner pulls a partition's records through its fused steps one at a time). The second parse of the same text is then one string
   * comparison. Events are immutable, so sharing one is safe; a rejected line is not kept.
   */
  private static final ThreadLocal<Parsed> LAST = ThreadLocal.withInitial(Parsed::new);

  private static final class Parsed {
    String line;
    Object event;
  }

  /** Returns an {@link Order}, {@link Payment} or {@link Transaction}. */
  public static Object parse(String line) throws BadEventException {
    Parsed last = LAST.get();
    if (line != null && line.equals(last.line)) {
      return last.event;
    }
    Object event = parseLine(line);
    last.line = line;
    last.event = event;
    return event;
  }

  private static Object parseLine(String line) throws BadEventException {
    if (line == null || line.isBlank()) {
      throw new BadEventException("empty line");
    }
    // A char is at most 3 bytes of UTF-8: only a line over a third of the limit needs counting.
    if (line.length() > MAX_LINE_BYTES / 3) {
      long bytes = utf8Length(line);
      if (bytes > MAX_LINE_BYTES) {
        throw new BadEventException(
            "line is " + bytes + " bytes, over the limit of " + MAX_LINE_BYTES + " bytes (1 MiB)");
      }
    }
    if (line.indexOf('\uFFFD') >= 0) {
      throw new BadEventException(
          "invalid UTF-8: the line holds U+FFFD, the replacement of bytes that are not UTF-8");
    }
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      throw new BadEventException("invalid JSON: " + shown(e.getOriginalMessage(), MESSAGE_CHARS));
    } catch (RuntimeException e) {
      // Jackson lets a few number errors through unwrapped, e.g. NumberFormatException for 0e-2147483648.
      throw new BadEventException("invalid JSON: " + shown(String.valueOf(e.getMessage()), MESSAGE_CHARS));
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
            "unknown type '" + shown(type) + "' (expected order, payment or transaction)");
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
    String text = value.textValue();
    if (text.isEmpty()) {
      throw new BadEventException("field '" + name + "' is empty");
    }
    if (text.length() > MAX_TEXT_CHARS) {
      throw new BadEventException(
          "field '" + name + "' is " + text.length() + " characters long, over the limit of " + MAX_TEXT_CHARS);
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new BadEventException("field '" + name + "' is not valid Unicode: an unpaired surrogate");
      }
    }
    return text;
  }

  private static Order.Status status(JsonNode node) throws BadEventException {
    String status = text(node, "status");
    try {
      return Order.Status.valueOf(status);
    } catch (IllegalArgumentException e) {
      throw new BadEventException(
          "field 'status' is '" + shown(status) + "' (expected COMPLETED, PENDING or CANCELLED)");
    }
  }

  /**
   * Parses an amount into exact cents, refusing anything finer than a cent or of 10^16 or more. The value is
   * judged by its precision and scale (both cheap, whatever the exponent) before any arithmetic, and a
   * reason quotes the input text or BigDecimal's scientific form, never a plain expansion.
   */
  private static long cents(JsonNode node, String name) throws BadEventException {
    JsonNode value = field(node, name);
    BigDecimal amount;
    String shown;
    if (value.isNumber()) {
      if (!value.isBigDecimal() && !value.isIntegralNumber()) {
        // Jackson keeps a float that overflows a double (1e400) as an infinite double.
        throw new BadEventException(
            "field '" + name + "' is out of range: beyond 1.8e308 (the absolute value must be below 10^16)");
      }
      amount = value.decimalValue();
      shown = amount.toString();
    } else if (value.isTextual()) {
      String text = value.textValue().trim();
      shown = shown(text);
      if (text.length() > Json.MAX_NUMBER_CHARS) {
        throw new BadEventException(
            "field '" + name + "' is " + text.length() + " characters long, over the limit of "
                + Json.MAX_NUMBER_CHARS + " for a number: '" + shown + "'");
      }
      try {
        amount = new BigDecimal(text);
      } catch (NumberFormatException e) {
        throw new BadEventException("field '" + name + "' is not a decimal: '" + shown + "'");
      }
    } else {
      throw new BadEventException(
          "field '" + name + "' must be a number or a decimal string, got "
              + value.getNodeType().name().toLowerCase());
    }
    if (amount.signum() == 0) {
      return 0;
    }
    // |amount| >= 10^16 exactly when it has more than 16 digits before the point: precision - scale > 16.
    if ((long) amount.precision() - amount.scale() > 16) {
      throw new BadEventException(
          "field '" + name + "' is out of range: " + shown + " (the absolute value must be below 10^16)");
    }
    // Scale is now at least precision - 16, and precision at most MAX_NUMBER_CHARS: stripping is cheap.
    BigDecimal exact = amount.stripTrailingZeros();
    if (exact.scale() > 2) {
      throw new BadEventException("field '" + name + "' has more than 2 decimals: " + shown);
    }
    return exact.movePointRight(2).longValueExact();
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
    if (value.isIntegralNumber()) {
      if (!value.canConvertToLong() || !inRange(value.longValue())) {
        throw outOfRange(name, value.asText());
      }
      return value.longValue();
    }
    if (value.isTextual()) {
      String s = value.textValue().trim();
      if (!s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9')) {
        if (s.length() > 18 || !inRange(Long.parseLong(s))) {
          throw outOfRange(name, s);
        }
        return Long.parseLong(s);
      }
      long fast = isoMillis(s);
      if (fast != NOT_FAST) {
        if (!inRange(fast)) {
          throw outOfRange(name, s);
        }
        return fast;
      }
      Instant instant;
      try {
        instant = OffsetDateTime.parse(s).toInstant();
      } catch (DateTimeParseException e) {
        throw new BadEventException(
            "field '" + name + "' is not an ISO-8601 timestamp or epoch milliseconds: '" + shown(s) + "'");
      }
      // Compared as instants: toEpochMilli() overflows for years near +-999999999.
      if (instant.isBefore(Instant.ofEpochMilli(MIN_EVENT_MILLIS))
          || instant.isAfter(Instant.ofEpochMilli(MAX_EVENT_MILLIS))) {
        throw outOfRange(name, s);
      }
      return instant.toEpochMilli();
    }
    throw new BadEventException(
        "field '" + name + "' must be an ISO-8601 string or epoch milliseconds, got "
            + value.getNodeType().name().toLowerCase());
  }

  private static boolean inRange(long millis) {
    return millis >= MIN_EVENT_MILLIS && millis <= MAX_EVENT_MILLIS;
  }

  private static BadEventException outOfRange(String name, String value) {
    return new BadEventException(
        "field '" + name + "' is outside the supported range " + RANGE + ": '" + shown(value) + "'");
  }

  /** The event time of a parsed event: {@code created_at} of orders and transactions, {@code paid_at}. */
  public static long eventTimeMillis(Object event) {
    if (event instanceof Order) {
      return ((Order) event).createdAtMillis();
    }
    if (event instanceof Payment) {
      return ((Payment) event).paidAtMillis();
    }
    return ((Transaction) event).createdAtMillis();
  }

  /** The bytes of {@code s} in UTF-8: 1 to 3 a character, 4 a surrogate pair (2 a surrogate). */
  static long utf8Length(String s) {
    long bytes = s.length();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        bytes += c < 0x800 || Character.isSurrogate(c) ? 1 : 2;
      }
    }
    return bytes;
  }

  /** {@code s}, or its first characters and its length when it is long: a reason stays short. */
  static String shown(String s) {
    return shown(s, SHOWN_CHARS);
  }

  private static String shown(String s, int max) {
    if (s.length() <= max) {
      return s;
    }
    int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
    return s.substring(0, end) + "... (" + s.length() + " characters)";
  }
}
