package streams.reference;

import java.util.ArrayList;
import java.util.List;
import streams.model.EventParser;
import streams.model.Order;
import streams.model.OrderMetric;

/** Reference model of {@code completed} over a finite input: one metric per COMPLETED order record. */
public final class CompletedModel {
  private CompletedModel() {}

  public static List<String> expected(Iterable<String> lines) {
    List<String> out = new ArrayList<>();
    for (String line : lines) {
      Object event;
      try {
        event = EventParser.parse(line);
      } catch (EventParser.BadEventException e) {
        continue;
      }
      if (event instanceof Order && ((Order) event).status() == Order.Status.COMPLETED) {
        out.add(OrderMetric.of((Order) event).toJson());
      }
    }
    return out;
  }
}
