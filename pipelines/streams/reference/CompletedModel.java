package streams.reference;

import java.util.ArrayList;
import java.util.List;

/**
 * Reference model of {@code completed} over a finite input: one metric per COMPLETED order record,
 * {@code {"order_id","user_id","amount","created_at"}}. Reads and writes with its own code ({@link
 * ModelEvents}, {@link ModelJson}), not the pipeline's.
 */
public final class CompletedModel {
  private CompletedModel() {}

  public static List<String> expected(Iterable<String> lines) {
    List<String> out = new ArrayList<>();
    for (String line : lines) {
      if (ModelEvents.read(line) instanceof ModelEvents.Order o && o.status().equals("COMPLETED")) {
        out.add(
            ModelJson.line(
                "order_id", o.orderId(),
                "user_id", o.userId(),
                "amount", ModelJson.money(o.cents()),
                "created_at", ModelJson.instant(o.createdAt())));
      }
    }
    return out;
  }
}
