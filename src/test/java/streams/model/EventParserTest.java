package streams.model;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class EventParserTest {
  private static final long T = 1_768_471_200_000L; // 2026-01-15T10:00:00Z

  @Test
  void parsesTheThreeEventTypes() throws Exception {
    assertEquals(
        new Order("o-1", "u-1", 1250, Order.Status.COMPLETED, T),
        EventParser.parse(
            "{\"type\":\"order\",\"order_id\":\"o-1\",\"user_id\":\"u-1\",\"amount\":12.50,"
                + "\"status\":\"COMPLETED\",\"created_at\":\"2026-01-15T10:00:00.000Z\"}"));
    assertEquals(
        new Payment("p-1", "o-1", 1250, T + 60_000),
        EventParser.parse(
            "{\"type\":\"payment\",\"payment_id\":\"p-1\",\"order_id\":\"o-1\",\"amount\":12.50,"
                + "\"paid_at\":\"2026-01-15T10:01:00Z\"}"));
    assertEquals(
        new Transaction("t-1", "a-1", 999, T),
        EventParser.parse(
            "{\"type\":\"transaction\",\"tx_id\":\"t-1\",\"account_id\":\"a-1\",\"amount\":9.99,"
                + "\"created_at\":\"2026-01-15T10:00:00Z\"}"));
  }

  @Test
  void theSameTextParsedTwiceInARowOnOneThreadIsParsedOnce() throws Exception {
    String line = "{\"type\":\"order\",\"order_id\":\"o-1\",\"user_id\":\"u-1\",\"amount\":12.5,"
        + "\"status\":\"COMPLETED\",\"created_at\":\"2026-01-15T10:00:00Z\"}";
    Object first = EventParser.parse(line);
    // Equal text in another String, as the Kafka read's event-time policy and ParseEvents each decode it.
    assertSame(first, EventParser.parse(new String(line.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)));
    Object other = EventParser.parse(line.replace("o-1", "o-2"));
    assertEquals("o-2", ((Order) other).orderId());
    String bad = line.replace("12.5", "12.505");
    for (int i = 0; i < 2; i++) {
      try {
        EventParser.parse(bad);
        fail("a rejected line is rejected again: " + bad);
      } catch (EventParser.BadEventException expected) {
        assertThat(expected.getMessage(), containsString("decimals"));
      }
    }
    assertEquals(first, EventParser.parse(line));
  }

  @Test
  void amountsAreExactCentsFromNumbersAndStrings() throws Exception {
    assertEquals(1, cents("0.01"));
    assertEquals(1, cents("\"0.01\""));
    assertEquals(1250, cents("\"12.5\""));
    assertEquals(1200, cents("12"));
    assertEquals(1250, cents("12.500"));
    // 0.1 + 0.2 style values stay exact.
    assertEquals(30, cents("0.30"));
    assertEquals(123456789012345L, cents("1234567890123.45"));
    assertEquals(-500, cents("-5.00"));
  }

  @Test
  void timestampsAcceptIsoWithZOrOffsetAndEpochMillis() throws Exception {
    assertEquals(T, createdAt("\"2026-01-15T10:00:00Z\""));
    assertEquals(T, createdAt("\"2026-01-15T10:00:00.000Z\""));
    assertEquals(T, createdAt("\"2026-01-15T12:00:00+02:00\""));
    assertEquals(T, createdAt("\"2026-01-15T11:00+01:00\""));
    assertEquals(T, createdAt(Long.toString(T)));
    assertEquals(T, createdAt("\"" + T + "\""));
  }

  @Test
  void rejectsInvalidJson() {
    assertRejected("{\"type\":\"order\",", "invalid JSON");
    assertRejected("not json", "invalid JSON");
    assertRejected("", "empty line");
    assertRejected("[1,2]", "not a JSON object");
    assertRejected("42", "not a JSON object");
  }

  @Test
  void rejectsMissingFields() {
    assertRejected("{\"order_id\":\"o-1\"}", "missing field 'type'");
    assertRejected(
        "{\"type\":\"order\",\"order_id\":\"o-1\",\"amount\":1,\"status\":\"PENDING\",\"created_at\":1}",
        "missing field 'user_id'");
    assertRejected(
        "{\"type\":\"payment\",\"payment_id\":\"p\",\"order_id\":\"o\",\"amount\":1}",
        "missing field 'paid_at'");
    assertRejected(
        "{\"type\":\"transaction\",\"tx_id\":\"t\",\"account_id\":null,\"amount\":1,\"created_at\":1}",
        "missing field 'account_id'");
  }

  @Test
  void rejectsWrongTypes() {
    assertRejected(order("\"order_id\":7"), "field 'order_id' must be a string, got number");
    assertRejected(order("\"amount\":true"), "field 'amount' must be a number or a decimal string");
    assertRejected(order("\"created_at\":{}"), "field 'created_at' must be an ISO-8601 string");
    assertRejected("{\"type\":5}", "field 'type' must be a string");
    assertRejected(order("\"user_id\":\"\""), "field 'user_id' is empty");
  }

  @Test
  void rejectsUnknownTypeAndStatus() {
    assertRejected("{\"type\":\"refund\"}", "unknown type 'refund'");
    assertRejected(order("\"status\":\"SHIPPED\""), "field 'status' is 'SHIPPED'");
  }

  @Test
  void rejectsUnparseableAmounts() {
    assertRejected(order("\"amount\":12.345"), "more than 2 decimals");
    assertRejected(order("\"amount\":\"12.345\""), "more than 2 decimals");
    assertRejected(order("\"amount\":\"twelve\""), "not a decimal");
    assertRejected(order("\"amount\":1e30"), "out of range");
  }

  @Test
  void rejectsUnparseableTimestamps() {
    assertRejected(order("\"created_at\":\"yesterday\""), "not an ISO-8601 timestamp");
    assertRejected(order("\"created_at\":\"2026-01-15 10:00:00\""), "not an ISO-8601 timestamp");
    assertRejected(order("\"created_at\":\"2026-01-15T10:00:00\""), "not an ISO-8601 timestamp");
    assertRejected(order("\"created_at\":1.5"), "must be an ISO-8601 string or epoch milliseconds");
  }

  @Test
  void fastTimestampPathAgreesWithOffsetDateTime() {
    java.util.Random random = new java.util.Random(7);
    String[] fractions = {"", ".5", ".46", ".463", ".4639", ".463912345"};
    String[] offsets = {"Z", "+02:00", "-05:30", "+00:00", "-00:00", "+17:59", "+14:00"};
    int fast = 0;
    for (int k = 0; k < 20_000; k++) {
      String s =
          String.format(
              java.util.Locale.ROOT,
              "%04d-%02d-%02dT%02d:%02d:%02d%s%s",
              random.nextInt(10_000),
              1 + random.nextInt(12),
              1 + random.nextInt(31),
              random.nextInt(24),
              random.nextInt(60),
              random.nextInt(60),
              fractions[random.nextInt(fractions.length)],
              offsets[random.nextInt(offsets.length)]);
      long expected;
      try {
        expected = java.time.OffsetDateTime.parse(s).toInstant().toEpochMilli();
      } catch (java.time.format.DateTimeParseException e) {
        assertEquals(EventParser.NOT_FAST, EventParser.isoMillis(s), s); // e.g. 31 February
        continue;
      }
      long actual = EventParser.isoMillis(s);
      if (actual != EventParser.NOT_FAST) {
        fast++;
        assertEquals(expected, actual, s);
      }
    }
    assertThat("most valid timestamps take the fast path", fast, org.hamcrest.Matchers.greaterThan(15_000));
    // Other valid forms go to the general parser and still parse.
    for (String s : new String[] {"2026-01-15T10:00:00.Z", "2026-01-15t10:00:00z", "2026-01-15T10:00:00+18:00",
        "2026-01-15T10:00:00+02:00:30", "2026-01-15T10:00Z"}) {
      assertEquals(EventParser.NOT_FAST, EventParser.isoMillis(s), s);
    }
  }

  @Test
  void deadLetterJsonKeepsTheRawLine() {
    DeadLetter d = new DeadLetter("{\"a\":\"b\"", "invalid JSON: x");
    assertEquals("{\"raw\":\"{\\\"a\\\":\\\"b\\\"\",\"error\":\"invalid JSON: x\"}", d.toJson());
  }

  // ---- hostile input: each case with its exact reason, and each limit at its edge ----

  private static final String RANGE = "1970-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z";

  @Test
  void timestampsOutsideYears1970To9999AreRejected() {
    assertReason(order("\"created_at\":9300000000000000"),
        "field 'created_at' is outside the supported range " + RANGE + ": '9300000000000000'");
    assertReason(order("\"created_at\":\"+999999999-12-31T23:59:59Z\""),
        "field 'created_at' is outside the supported range " + RANGE + ": '+999999999-12-31T23:59:59Z'");
    assertReason(order("\"created_at\":\"-290309-01-01T00:00:00Z\""),
        "field 'created_at' is outside the supported range " + RANGE + ": '-290309-01-01T00:00:00Z'");
    assertReason(order("\"created_at\":\"1969-12-31T23:59:59.999Z\""),
        "field 'created_at' is outside the supported range " + RANGE + ": '1969-12-31T23:59:59.999Z'");
    assertReason(order("\"created_at\":\"9999-12-31T23:59:59-00:01\""),
        "field 'created_at' is outside the supported range " + RANGE + ": '9999-12-31T23:59:59-00:01'");
    assertReason(order("\"created_at\":-1"),
        "field 'created_at' is outside the supported range " + RANGE + ": '-1'");
    assertReason(order("\"created_at\":99999999999999999999"),
        "field 'created_at' is outside the supported range " + RANGE + ": '99999999999999999999'");
    assertReason(order("\"created_at\":\"99999999999999999999\""),
        "field 'created_at' is outside the supported range " + RANGE + ": '99999999999999999999'");
    assertReason(payment("\"paid_at\":253402300800000"),
        "field 'paid_at' is outside the supported range " + RANGE + ": '253402300800000'");
  }

  @Test
  void theEdgesOfTheTimestampRangeAreAccepted() throws Exception {
    assertEquals(0L, createdAt("\"1970-01-01T00:00:00Z\""));
    assertEquals(0L, createdAt("0"));
    assertEquals(EventParser.MAX_EVENT_MILLIS, createdAt("\"9999-12-31T23:59:59.999Z\""));
    assertEquals(EventParser.MAX_EVENT_MILLIS, createdAt("253402300799999"));
    assertEquals(EventParser.MAX_EVENT_MILLIS, createdAt("\"10000-01-01T00:59:59.999+01:00\"".replace("10000", "+10000")));
    assertEquals("9999-12-31T23:59:59.999Z", Json.instant(EventParser.MAX_EVENT_MILLIS));
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void amountsOf10To16OrMoreAreRejectedWithoutExpandingTheExponent() throws Exception {
    String why = " (the absolute value must be below 10^16)";
    assertReason(order("\"amount\":\"1e2147483647\""), "field 'amount' is out of range: 1e2147483647" + why);
    assertReason(order("\"amount\":\"1e500000000\""), "field 'amount' is out of range: 1e500000000" + why);
    assertReason(order("\"amount\":\"-1e500000000\""), "field 'amount' is out of range: -1e500000000" + why);
    assertReason(order("\"amount\":90000000000000000.00"), "field 'amount' is out of range: 90000000000000000.00" + why);
    assertReason(order("\"amount\":10000000000000000"), "field 'amount' is out of range: 10000000000000000" + why);
    assertReason(order("\"amount\":\"-10000000000000000.00\""),
        "field 'amount' is out of range: -10000000000000000.00" + why);
    assertReason(order("\"amount\":1e30"), "field 'amount' is out of range: 1E+30" + why);
    // JSON numbers beyond a double: Jackson keeps them as an infinite double, never as a decimal.
    assertReason(order("\"amount\":1e2147483647"), "field 'amount' is out of range: beyond 1.8e308" + why);
    assertReason(order("\"amount\":1e500000000"), "field 'amount' is out of range: beyond 1.8e308" + why);
    assertReason(order("\"amount\":-1e400"), "field 'amount' is out of range: beyond 1.8e308" + why);
    // Tiny values: more than 2 decimals, judged from the scale alone.
    assertReason(order("\"amount\":\"1e-500000000\""), "field 'amount' has more than 2 decimals: 1e-500000000");
    assertReason(order("\"amount\":1e-2147483647"), "field 'amount' has more than 2 decimals: 1E-2147483647");
    assertReason(order("\"amount\":0e-2147483648"),
        "invalid JSON: Value \"0e-2147483648\" can not be represented as `java.math.BigDecimal`, reason: Scale out of range.");
    assertReason(order("\"amount\":\"1e2147483648\""), "field 'amount' is not a decimal: '1e2147483648'");
    // The largest amounts that fit DECIMAL(18,2).
    assertEquals(999_999_999_999_999_999L, cents("9999999999999999.99"));
    assertEquals(-999_999_999_999_999_999L, cents("\"-9999999999999999.99\""));
    assertEquals(0, cents("\"0e-2147483647\""));
    assertEquals(10_000, cents("1E+2"));
  }

  @Test
  void amountsWithMoreThan2DecimalsAreRejected() {
    assertReason(order("\"amount\":12.345"), "field 'amount' has more than 2 decimals: 12.345");
    assertReason(order("\"amount\":\"0.001\""), "field 'amount' has more than 2 decimals: 0.001");
    assertReason(order("\"amount\":12.5e-3"), "field 'amount' has more than 2 decimals: 0.0125");
  }

  @Test
  void numbersLongerThanTheLimitAreRejectedBeforeParsing() throws Exception {
    String digits = "1".repeat(Json.MAX_NUMBER_CHARS + 1);
    assertReason(order("\"amount\":\"" + digits + "\""),
        "field 'amount' is 101 characters long, over the limit of 100 for a number: '"
            + "1".repeat(64) + "... (101 characters)'");
    assertReason(order("\"amount\":" + digits),
        "invalid JSON: Number length (101) exceeds the maximum length (100)");
    assertEquals(100, cents("\"" + "0".repeat(Json.MAX_NUMBER_CHARS - 1) + "1\""));
  }

  @Test
  void invalidUtf8IsRejected() {
    byte[] bytes = order("\"user_id\":\"u-XX\"").getBytes(StandardCharsets.UTF_8);
    int at = new String(bytes, StandardCharsets.UTF_8).indexOf("XX");
    bytes[at] = (byte) 0xC3; // a lead byte followed by an ASCII byte: not UTF-8
    bytes[at + 1] = (byte) 0x28;
    String decoded = new String(bytes, StandardCharsets.UTF_8); // as TextIO and the Kafka source decode
    assertReason(decoded, "invalid UTF-8: the line holds U+FFFD, the replacement of bytes that are not UTF-8");
    assertReason(order("\"order_id\":\"o-\uFFFD\""),
        "invalid UTF-8: the line holds U+FFFD, the replacement of bytes that are not UTF-8");
  }

  @Test
  void textFieldsMustBeValidUnicodeOfAtMost256Characters() throws Exception {
    assertReason(order("\"user_id\":\"u-\\ud800\""), "field 'user_id' is not valid Unicode: an unpaired surrogate");
    assertReason(order("\"order_id\":\"\\udc00o\""), "field 'order_id' is not valid Unicode: an unpaired surrogate");
    assertReason(order("\"user_id\":\"" + "u".repeat(257) + "\""),
        "field 'user_id' is 257 characters long, over the limit of 256");
    assertReason("{\"type\":\"" + "x".repeat(300_000) + "\"}",
        "field 'type' is 300000 characters long, over the limit of 256");
    Order ok = (Order) EventParser.parse(order("\"user_id\":\"" + "u".repeat(256) + "\""));
    assertEquals(256, ok.userId().length());
    Order emoji = (Order) EventParser.parse(order("\"user_id\":\"u-\\ud83d\\ude00\u00e9\""));
    assertEquals("u-\uD83D\uDE00\u00e9", emoji.userId());
  }

  @Test
  void linesOver1MiBAreRejectedAndTheLimitIsInclusive() throws Exception {
    String base = order("\"user_id\":\"u-1\"");
    String padding = ",\"pad\":\"\"}";
    int room = EventParser.MAX_LINE_BYTES - (base.length() - 1 + padding.length());
    String atLimit = base.substring(0, base.length() - 1) + ",\"pad\":\"" + "p".repeat(room) + "\"}";
    assertEquals(EventParser.MAX_LINE_BYTES, atLimit.getBytes(StandardCharsets.UTF_8).length);
    assertEquals("u-1", ((Order) EventParser.parse(atLimit)).userId());
    String over = atLimit.replace("\"pad\":\"p", "\"pad\":\"pp");
    assertReason(over, "line is 1048577 bytes, over the limit of 1048576 bytes (1 MiB)");
    // Counted in bytes: 600 000 two-byte characters are 1.2 MB.
    assertReason(order("\"user_id\":\"" + "\u00e9".repeat(600_000) + "\""),
        "line is " + (base.length() - 3 + 1_200_000) + " bytes, over the limit of 1048576 bytes (1 MiB)");
  }

  @Test
  void deepNestingIsRejected() throws Exception {
    String ok = "[".repeat(Json.MAX_NESTING_DEPTH - 1) + "]".repeat(Json.MAX_NESTING_DEPTH - 1);
    assertEquals("u-1", ((Order) EventParser.parse(order("\"user_id\":\"u-1\"").replace("}", ",\"x\":" + ok + "}"))).userId());
    String deep = "[".repeat(Json.MAX_NESTING_DEPTH) + "]".repeat(Json.MAX_NESTING_DEPTH);
    assertReason(order("\"user_id\":\"u-1\"").replace("}", ",\"x\":" + deep + "}"),
        "invalid JSON: Depth (65) exceeds the maximum allowed nesting depth (64)");
    assertReason("[".repeat(1_000_000), "invalid JSON: Depth (65) exceeds the maximum allowed nesting depth (64)");
  }

  @Test
  void reasonsQuoteAtMost64CharactersOfAValue() {
    String junk = "y".repeat(10_000);
    assertReason(order("\"created_at\":\"" + junk + "\""),
        "field 'created_at' is not an ISO-8601 timestamp or epoch milliseconds: '" + "y".repeat(64)
            + "... (10000 characters)'");
  }

  @Test
  void aDeadLetterKeepsAtMost64KiCharactersOfItsLineAndSaysSo() {
    String line = "z".repeat(2 * 1024 * 1024);
    DeadLetter d = DeadLetter.of(line, "line is 2097152 bytes, over the limit of 1048576 bytes (1 MiB)");
    assertEquals(DeadLetter.MAX_RAW_CHARS, d.raw().length());
    assertEquals(
        "line is 2097152 bytes, over the limit of 1048576 bytes (1 MiB); raw holds the first 65536 of the"
            + " line's 2097152 characters",
        d.error());
    DeadLetter small = DeadLetter.of("{", "invalid JSON: x");
    assertEquals("{", small.raw());
    assertEquals("invalid JSON: x", small.error());
  }

  @Test
  void everyEventTypeHasItsEventTime() throws Exception {
    assertEquals(T, EventParser.eventTimeMillis(EventParser.parse(order("\"user_id\":\"u\""))));
    assertEquals(T, EventParser.eventTimeMillis(EventParser.parse(payment("\"paid_at\":" + T))));
  }

  private static String payment(String override) {
    String key = override.substring(0, override.indexOf(':') + 1);
    String base =
        "{\"type\":\"payment\",\"payment_id\":\"p-1\",\"order_id\":\"o-1\",\"amount\":12.50,"
            + "\"paid_at\":\"2026-01-15T10:00:00Z\"}";
    return base.replaceFirst(
        java.util.regex.Pattern.quote(key) + "(\"[^\"]*\"|[^,}]*)", java.util.regex.Matcher.quoteReplacement(override));
  }

  private static void assertReason(String line, String reason) {
    try {
      Object parsed = EventParser.parse(line);
      fail("accepted " + EventParser.shown(line) + " as " + parsed);
    } catch (EventParser.BadEventException e) {
      assertEquals(reason, e.getMessage());
    }
  }

  private static String order(String override) {
    String key = override.substring(0, override.indexOf(':') + 1);
    String base =
        "{\"type\":\"order\",\"order_id\":\"o-1\",\"user_id\":\"u-1\",\"amount\":12.50,"
            + "\"status\":\"COMPLETED\",\"created_at\":\"2026-01-15T10:00:00Z\"}";
    return base.replaceFirst(
        java.util.regex.Pattern.quote(key) + "(\"[^\"]*\"|[^,}]*)", java.util.regex.Matcher.quoteReplacement(override));
  }

  private static long cents(String amount) throws Exception {
    return ((Order) EventParser.parse(order("\"amount\":" + amount))).amountCents();
  }

  private static long createdAt(String ts) throws Exception {
    return ((Order) EventParser.parse(order("\"created_at\":" + ts))).createdAtMillis();
  }

  private static void assertRejected(String line, String reason) {
    try {
      Object parsed = EventParser.parse(line);
      fail("accepted " + line + " as " + parsed);
    } catch (EventParser.BadEventException e) {
      assertThat(e.getMessage(), containsString(reason));
    }
  }
}
