package streams.io;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;

import java.util.List;
import org.junit.Test;
import streams.model.Json;

/**
 * The key of a result in Kafka is the JSON object of the fields that identify its row (README, "Streaming
 * through Kafka"): the panes of one window share it, different rows never do, and free-text ids cannot make
 * two keys equal.
 */
public class KafkaKeysTest {
  private static String key(ResultSchema schema, String json) {
    return WriteToKafka.KeyByFieldsFn.key(schema.keyFields(), json);
  }

  @Test
  public void eachResultIsKeyedByWhatIdentifiesItsRow() {
    assertEquals(List.of("user_id", "window_start"), ResultSchemas.USER_REVENUE.keyFields());
    assertEquals(List.of("order_id", "payment_id"), ResultSchemas.ORDER_PAYMENT.keyFields());
    assertEquals(List.of("tx_id"), ResultSchemas.FRAUD_ALERT.keyFields());
    assertEquals(List.of("order_id"), ResultSchemas.ORDER_METRIC.keyFields());
  }

  @Test
  public void revenuePanesOfOneWindowShareAKeyOtherWindowsDoNot() {
    String onTime =
        "{\"user_id\":\"u-1\",\"window_start\":\"2026-01-15T10:00:00.000Z\",\"window_end\":\"2026-01-15T11:00:00.000Z\","
            + "\"order_count\":2,\"total_amount\":15.50,\"timing\":\"ON_TIME\",\"pane_index\":0,\"is_final\":false}";
    String late = onTime.replace("\"order_count\":2", "\"order_count\":3").replace("ON_TIME", "LATE").replace("\"pane_index\":0", "\"pane_index\":1");
    String nextWindow =
        onTime.replace(
            "2026-01-15T10:00:00.000Z\",\"window_end\":\"2026-01-15T11:00:00.000Z",
            "2026-01-15T11:00:00.000Z\",\"window_end\":\"2026-01-15T12:00:00.000Z");
    assertEquals("{\"user_id\":\"u-1\",\"window_start\":\"2026-01-15T10:00:00.000Z\"}", key(ResultSchemas.USER_REVENUE, onTime));
    assertEquals(key(ResultSchemas.USER_REVENUE, onTime), key(ResultSchemas.USER_REVENUE, late));
    assertNotEquals(key(ResultSchemas.USER_REVENUE, onTime), key(ResultSchemas.USER_REVENUE, nextWindow));
  }

  @Test
  public void joinFraudAndCompletedKeys() {
    assertEquals(
        "{\"order_id\":\"o-1\",\"payment_id\":\"p-2\"}",
        key(ResultSchemas.ORDER_PAYMENT, "{\"order_id\":\"o-1\",\"payment_id\":\"p-2\",\"user_id\":\"u-1\"}"));
    assertEquals("{\"tx_id\":\"t-9\"}", key(ResultSchemas.FRAUD_ALERT, "{\"account_id\":\"a-1\",\"tx_id\":\"t-9\",\"count\":5}"));
    assertEquals("{\"order_id\":\"o-1\"}", key(ResultSchemas.ORDER_METRIC, "{\"order_id\":\"o-1\",\"user_id\":\"u-1\"}"));
  }

  /** Ids are free text: a separator or a quote inside an id never makes two different rows share a key. */
  @Test
  public void idsWithSeparatorsOrQuotesStayUnambiguous() throws Exception {
    String a = key(ResultSchemas.ORDER_PAYMENT, "{\"order_id\":\"o|1\",\"payment_id\":\"p\"}");
    String b = key(ResultSchemas.ORDER_PAYMENT, "{\"order_id\":\"o\",\"payment_id\":\"1|p\"}");
    assertNotEquals(a, b);
    String quoted = key(ResultSchemas.ORDER_METRIC, "{\"order_id\":\"o\\\",\\\"x\"}");
    assertEquals("o\",\"x", Json.MAPPER.readTree(quoted).get("order_id").asText());
  }

  @Test
  public void aRecordWithoutItsKeyFieldsHasNoKey() {
    assertNull(key(ResultSchemas.USER_REVENUE, "{\"user_id\":\"u-1\"}"));
    assertNull(WriteToKafka.KeyByFieldsFn.key(List.of(), "{\"a\":1}"));
  }
}
