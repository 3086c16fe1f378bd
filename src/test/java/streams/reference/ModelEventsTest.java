package streams.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import streams.generate.EventGenerator;
import streams.model.EventParser;
import streams.testing.HostileCorpus;

/**
 * The models' own reading and writing of the contracts. Reading is checked against the production parser
 * over the hostile corpus (two implementations of one contract must accept the same lines, as the same
 * event types); writing against literal text.
 */
class ModelEventsTest {
  @Test
  void acceptsExactlyTheLinesTheProductionParserAccepts() {
    List<String> valid = new ArrayList<>();
    EventGenerator.builder().events(2_000).seed(3).badFraction(0.02).build().forEach(valid::add);
    HostileCorpus corpus = HostileCorpus.mix(valid, 3_000, 1, 14);
    List<String> disagreements = new ArrayList<>();
    int events = 0;
    for (byte[] bytes : corpus.bytes()) {
      String line = new String(bytes, StandardCharsets.UTF_8);
      String production;
      try {
        production = EventParser.parse(line).getClass().getSimpleName();
        events++;
      } catch (EventParser.BadEventException e) {
        production = "rejected";
      }
      Object event = ModelEvents.read(line);
      String model = event == null ? "rejected" : event.getClass().getSimpleName();
      if (!production.equals(model) && disagreements.size() < 5) {
        disagreements.add(production + " vs model " + model + ": " + line.substring(0, Math.min(200, line.length())));
      }
    }
    assertEquals(List.of(), disagreements);
    assertTrue(events > 1_900, "valid events: " + events);
  }

  @Test
  void readsTheContractsForms() {
    ModelEvents.Order o =
        (ModelEvents.Order)
            ModelEvents.read(
                "{\"type\":\"order\",\"order_id\":\"o-1\",\"user_id\":\"u-1\",\"amount\":\"1E+2\","
                    + "\"status\":\"PENDING\",\"created_at\":\"2026-01-15T12:00:00.5+02:00\"}");
    assertEquals(new ModelEvents.Order("o-1", "u-1", 10_000, "PENDING", 1_768_471_200_500L), o);
    assertEquals(
        new ModelEvents.Payment("p-1", "o-1", -5, 0),
        ModelEvents.read("{\"type\":\"payment\",\"payment_id\":\"p-1\",\"order_id\":\"o-1\",\"amount\":-0.05,\"paid_at\":\"0\"}"));
    assertNull(ModelEvents.read("{\"type\":\"payment\",\"payment_id\":\"p-1\",\"order_id\":\"o-1\",\"amount\":0.001,\"paid_at\":0}"));
    assertNull(ModelEvents.read("{\"type\":\"payment\",\"payment_id\":\"p-1\",\"order_id\":\"o-1\",\"amount\":1,\"paid_at\":-1}"));
  }

  @Test
  void writesMoneyWithTwoDecimalsAndInstantsWithMillisecondsInUtc() {
    assertEquals("{\"a\":0.00,\"b\":-0.05,\"c\":12.50,\"d\":-9999999999999999.99}",
        ModelJson.line("a", ModelJson.money(0), "b", ModelJson.money(-5), "c", ModelJson.money(1250),
            "d", ModelJson.money(-999_999_999_999_999_999L)));
    assertEquals("1970-01-01T00:00:00.000Z", ModelJson.instant(0));
    assertEquals("2026-01-15T10:00:00.123Z", ModelJson.instant(1_768_471_200_123L));
    assertEquals("9999-12-31T23:59:59.999Z", ModelJson.instant(ModelEvents.MAX_MILLIS));
    assertEquals("+10000-01-01T00:00:00.000Z", ModelJson.instant(ModelEvents.MAX_MILLIS + 1));
    assertEquals("{\"id\":\"o-\\\"1\\u0000\",\"n\":3,\"f\":true}", ModelJson.line("id", "o-\"1\u0000", "n", 3L, "f", true));
  }
}
