package streams.model;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import org.junit.Test;

public class EventParserTest {
  private static final long T = 1_768_471_200_000L; // 2026-01-15T10:00:00Z

  @Test
  public void parsesTheThreeEventTypes() throws Exception {
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
  public void amountsAreExactCentsFromNumbersAndStrings() throws Exception {
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
  public void timestampsAcceptIsoWithZOrOffsetAndEpochMillis() throws Exception {
    assertEquals(T, createdAt("\"2026-01-15T10:00:00Z\""));
    assertEquals(T, createdAt("\"2026-01-15T10:00:00.000Z\""));
    assertEquals(T, createdAt("\"2026-01-15T12:00:00+02:00\""));
    assertEquals(T, createdAt("\"2026-01-15T11:00+01:00\""));
    assertEquals(T, createdAt(Long.toString(T)));
    assertEquals(T, createdAt("\"" + T + "\""));
  }

  @Test
  public void rejectsInvalidJson() {
    assertRejected("{\"type\":\"order\",", "invalid JSON");
    assertRejected("not json", "invalid JSON");
    assertRejected("", "empty line");
    assertRejected("[1,2]", "not a JSON object");
    assertRejected("42", "not a JSON object");
  }

  @Test
  public void rejectsMissingFields() {
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
  public void rejectsWrongTypes() {
    assertRejected(order("\"order_id\":7"), "field 'order_id' must be a string, got number");
    assertRejected(order("\"amount\":true"), "field 'amount' must be a number or a decimal string");
    assertRejected(order("\"created_at\":{}"), "field 'created_at' must be an ISO-8601 string");
    assertRejected("{\"type\":5}", "field 'type' must be a string");
    assertRejected(order("\"user_id\":\"\""), "field 'user_id' is empty");
  }

  @Test
  public void rejectsUnknownTypeAndStatus() {
    assertRejected("{\"type\":\"refund\"}", "unknown type 'refund'");
    assertRejected(order("\"status\":\"SHIPPED\""), "field 'status' is 'SHIPPED'");
  }

  @Test
  public void rejectsUnparseableAmounts() {
    assertRejected(order("\"amount\":12.345"), "more than 2 decimals");
    assertRejected(order("\"amount\":\"12.345\""), "more than 2 decimals");
    assertRejected(order("\"amount\":\"twelve\""), "not a decimal");
    assertRejected(order("\"amount\":1e30"), "out of range");
  }

  @Test
  public void rejectsUnparseableTimestamps() {
    assertRejected(order("\"created_at\":\"yesterday\""), "not an ISO-8601 timestamp");
    assertRejected(order("\"created_at\":\"2026-01-15 10:00:00\""), "not an ISO-8601 timestamp");
    assertRejected(order("\"created_at\":\"2026-01-15T10:00:00\""), "not an ISO-8601 timestamp");
    assertRejected(order("\"created_at\":1.5"), "must be an ISO-8601 string or epoch milliseconds");
  }

  @Test
  public void fastTimestampPathAgreesWithOffsetDateTime() {
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
        assertEquals(s, EventParser.NOT_FAST, EventParser.isoMillis(s)); // e.g. 31 February
        continue;
      }
      long actual = EventParser.isoMillis(s);
      if (actual != EventParser.NOT_FAST) {
        fast++;
        assertEquals(s, expected, actual);
      }
    }
    assertThat("most valid timestamps take the fast path", fast, org.hamcrest.Matchers.greaterThan(15_000));
    // Other valid forms go to the general parser and still parse.
    for (String s : new String[] {"2026-01-15T10:00:00.Z", "2026-01-15t10:00:00z", "2026-01-15T10:00:00+18:00",
        "2026-01-15T10:00:00+02:00:30", "2026-01-15T10:00Z"}) {
      assertEquals(s, EventParser.NOT_FAST, EventParser.isoMillis(s));
    }
  }

  @Test
  public void deadLetterJsonKeepsTheRawLine() {
    DeadLetter d = new DeadLetter("{\"a\":\"b\"", "invalid JSON: x");
    assertEquals("{\"raw\":\"{\\\"a\\\":\\\"b\\\"\",\"error\":\"invalid JSON: x\"}", d.toJson());
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
    return ((Order) EventParser.parse(order("\"amount\":" + amount))).getAmountCents();
  }

  private static long createdAt(String ts) throws Exception {
    return ((Order) EventParser.parse(order("\"created_at\":" + ts))).getCreatedAtMillis();
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
