package streams.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The JSON form derived from a record's fields: literal lines for every type, and, for random and hostile
 * values, the same bytes as the same object built as a Jackson tree (money with exactly two decimals,
 * instants ISO-8601 UTC with milliseconds).
 */
class RecordTypeTest {
  private static final long T10 = 1_768_471_200_000L; // 2026-01-15T10:00:00Z

  @Test
  void literalLines() {
    assertEquals(
        "{\"user_id\":\"u-1\",\"window_start\":\"2026-01-15T10:00:00.000Z\",\"window_end\":\"2026-01-15T11:00:00.000Z\","
            + "\"order_count\":2,\"total_amount\":15.50,\"timing\":\"ON_TIME\",\"pane_index\":0,\"is_final\":false}",
        new UserRevenue("u-1", T10, T10 + 3_600_000L, 2, 1550, "ON_TIME", 0, false).toJson());
    assertEquals(
        "{\"order_id\":\"o-1\",\"user_id\":\"u-1\",\"amount\":0.05,\"created_at\":\"2026-01-15T10:00:00.000Z\"}",
        new OrderMetric("o-1", "u-1", 5, T10).toJson());
    assertEquals(
        "{\"account_id\":\"a-1\",\"tx_id\":\"t-9\",\"created_at\":\"2026-01-15T10:00:00.001Z\",\"count\":6,"
            + "\"burst_start\":\"1970-01-01T00:00:00.000Z\"}",
        new FraudAlert("a-1", "t-9", T10 + 1, 6, 0).toJson());
    assertEquals(
        "{\"order_id\":\"o-1\",\"payment_id\":\"p-1\",\"user_id\":\"u-1\",\"order_amount\":-12.00,"
            + "\"payment_amount\":12.00,\"created_at\":\"2026-01-15T10:00:00.000Z\",\"paid_at\":\"2026-01-15T10:00:05.000Z\"}",
        new OrderPayment("o-1", "p-1", "u-1", -1200, 1200, T10, T10 + 5000).toJson());
    assertEquals("{\"raw\":\"{\\\"a\\\":\\\"b\\\"\",\"error\":\"invalid JSON: x\"}", new DeadLetter("{\"a\":\"b\"", "invalid JSON: x").toJson());
    Order order = new Order("o-1", "u-1", 1250, Order.Status.PENDING, T10);
    assertEquals(
        "{\"type\":\"order\",\"order_id\":\"o-1\",\"user_id\":\"u-1\",\"amount\":12.50,\"status\":\"PENDING\","
            + "\"created_at\":\"2026-01-15T10:00:00.000Z\"}",
        Order.TYPE.toJson(order));
    assertEquals(
        "{\"event\":{\"type\":\"order\",\"order_id\":\"o-1\",\"user_id\":\"u-1\",\"amount\":12.50,\"status\":\"PENDING\","
            + "\"created_at\":\"2026-01-15T10:00:00.000Z\"},\"event_time\":\"2026-01-15T10:00:00.000Z\","
            + "\"watermark\":\"2026-01-15T11:00:00.000Z\",\"reason\":\"too late\"}",
        LateEvent.of(order, T10 + 3_600_000L, "too late").toJson());
    assertEquals(
        "{\"type\":\"payment\",\"payment_id\":\"p-1\",\"order_id\":\"o-1\",\"amount\":1.00,\"paid_at\":\"2026-01-15T10:00:00.000Z\"}",
        Payment.TYPE.toJson(new Payment("p-1", "o-1", 100, T10)));
    assertEquals(
        "{\"type\":\"transaction\",\"tx_id\":\"t-1\",\"account_id\":\"a-1\",\"amount\":0.00,\"created_at\":\"2026-01-15T10:00:00.000Z\"}",
        Transaction.TYPE.toJson(new Transaction("t-1", "a-1", 0, T10)));
  }

  /** The same bytes as a Jackson tree of the same fields, for random amounts, instants and hostile text. */
  @Test
  void sameBytesAsAJacksonTree() {
    Random random = new Random(14);
    List<String> texts =
        List.of("", "u-1", "é✓😀", "quote\" back\\slash", "tab\tnewline\ncontrol\u0001", "line\u2028sep", "</script>", "o|1,\"x\"");
    for (int i = 0; i < 5_000; i++) {
      String a = texts.get(random.nextInt(texts.size()));
      String b = texts.get(random.nextInt(texts.size())) + i;
      long cents = i % 7 == 0 ? Long.MAX_VALUE - random.nextInt(3) : random.nextLong() % 10_000_000_000L;
      long millis = random.nextLong() % 4_000_000_000_000L;
      long count = random.nextInt(1000) - 10;
      UserRevenue r = new UserRevenue(a, millis, millis + 1, count, cents, b, count, i % 2 == 0);
      ObjectNode tree =
          Json.object()
              .put("user_id", a)
              .put("window_start", Json.instant(millis))
              .put("window_end", Json.instant(millis + 1))
              .put("order_count", count)
              .put("total_amount", BigDecimal.valueOf(cents, 2))
              .put("timing", b)
              .put("pane_index", count)
              .put("is_final", i % 2 == 0);
      assertEquals(tree.toString(), r.toJson());
      OrderPayment p = new OrderPayment(b, a, a + b, cents, -cents, millis, millis);
      ObjectNode pTree =
          Json.object()
              .put("order_id", b)
              .put("payment_id", a)
              .put("user_id", a + b)
              .put("order_amount", BigDecimal.valueOf(cents, 2))
              .put("payment_amount", BigDecimal.valueOf(-cents, 2))
              .put("created_at", Json.instant(millis))
              .put("paid_at", Json.instant(millis));
      assertEquals(pTree.toString(), p.toJson());
      assertEquals(Json.object().put("order_id", b).put("payment_id", a).toString(), OrderPayment.TYPE.kafkaKey(p));
    }
  }

  /** A record type is checked when it is made: every component named, and of a kind its Java type allows. */
  @Test
  void aComponentWithoutFieldOrOfTheWrongKindIsRefused() {
    assertThrows(IllegalStateException.class, () -> RecordType.of(Unnamed.class));
    assertThrows(IllegalStateException.class, () -> RecordType.of(MoneyAsText.class));
    assertThrows(IllegalStateException.class, () -> RecordType.of(TwiceNamed.class));
  }

  record Unnamed(@Field("a") String a, long b) {}

  record MoneyAsText(@Field(value = "amount", kind = RecordType.Kind.MONEY) String amount) {}

  record TwiceNamed(@Field("a") String a, @Field("a") String b) {}
}
