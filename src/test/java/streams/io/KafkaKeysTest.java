package streams.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import streams.model.DeadLetter;
import streams.model.FraudAlert;
import streams.model.Json;
import streams.model.LateEvent;
import streams.model.OrderMetric;
import streams.model.OrderPayment;
import streams.model.UserRevenue;

/**
 * The key of a result in Kafka is the JSON object of the fields that identify its row (README, "Streaming
 * through Kafka"): the panes of one window share it, different rows never do, and free-text ids cannot make
 * two keys equal.
 */
class KafkaKeysTest {
  private static final long T10 = 1_768_471_200_000L; // 2026-01-15T10:00:00Z
  private static final long HOUR = 3_600_000L;

  @Test
  void eachResultIsKeyedByWhatIdentifiesItsRow() {
    assertEquals(List.of("user_id", "window_start"), UserRevenue.TYPE.keyFields());
    assertEquals(List.of("order_id", "payment_id"), OrderPayment.TYPE.keyFields());
    assertEquals(List.of("tx_id"), FraudAlert.TYPE.keyFields());
    assertEquals(List.of("order_id"), OrderMetric.TYPE.keyFields());
    assertEquals(List.of(), DeadLetter.TYPE.keyFields());
    assertEquals(List.of(), LateEvent.TYPE.keyFields());
  }

  @Test
  void revenuePanesOfOneWindowShareAKeyOtherWindowsDoNot() {
    UserRevenue onTime = new UserRevenue("u-1", T10, T10 + HOUR, 2, 1550, "ON_TIME", 0, false);
    UserRevenue late = new UserRevenue("u-1", T10, T10 + HOUR, 3, 1800, "LATE", 1, true);
    UserRevenue nextWindow = new UserRevenue("u-1", T10 + HOUR, T10 + 2 * HOUR, 2, 1550, "ON_TIME", 0, false);
    assertEquals(
        "{\"user_id\":\"u-1\",\"window_start\":\"2026-01-15T10:00:00.000Z\"}", UserRevenue.TYPE.kafkaKey(onTime));
    assertEquals(UserRevenue.TYPE.kafkaKey(onTime), UserRevenue.TYPE.kafkaKey(late));
    assertNotEquals(UserRevenue.TYPE.kafkaKey(onTime), UserRevenue.TYPE.kafkaKey(nextWindow));
  }

  @Test
  void joinFraudAndCompletedKeys() {
    assertEquals(
        "{\"order_id\":\"o-1\",\"payment_id\":\"p-2\"}",
        OrderPayment.TYPE.kafkaKey(new OrderPayment("o-1", "p-2", "u-1", 100, 100, T10, T10 + 5)));
    assertEquals("{\"tx_id\":\"t-9\"}", FraudAlert.TYPE.kafkaKey(new FraudAlert("a-1", "t-9", T10, 5, T10 - 9)));
    assertEquals("{\"order_id\":\"o-1\"}", OrderMetric.TYPE.kafkaKey(new OrderMetric("o-1", "u-1", 1250, T10)));
  }

  /** Ids are free text: a separator or a quote inside an id never makes two different rows share a key. */
  @Test
  void idsWithSeparatorsOrQuotesStayUnambiguous() throws Exception {
    String a = OrderPayment.TYPE.kafkaKey(new OrderPayment("o|1", "p", "u", 1, 1, T10, T10));
    String b = OrderPayment.TYPE.kafkaKey(new OrderPayment("o", "1|p", "u", 1, 1, T10, T10));
    assertNotEquals(a, b);
    String quoted = OrderMetric.TYPE.kafkaKey(new OrderMetric("o\",\"x", "u", 1, T10));
    assertEquals("o\",\"x", Json.MAPPER.readTree(quoted).get("order_id").asText());
  }

  @Test
  void deadLettersAndLateEventsHaveNoKey() {
    assertNull(DeadLetter.TYPE.kafkaKey(new DeadLetter("{", "invalid JSON")));
    assertNull(LateEvent.TYPE.kafkaKey(new LateEvent("{}", T10, T10 + HOUR, "late")));
  }
}
