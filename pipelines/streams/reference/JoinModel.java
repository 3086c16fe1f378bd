package streams.reference;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import streams.reference.ModelEvents.Order;
import streams.reference.ModelEvents.Payment;

/**
 * Reference model of {@code join} over a finite input (nothing is late): every (order record, payment
 * record) pair with the same {@code order_id} and {@code paid_at - created_at} within {@code [lower,
 * upper]}, bounds included, {@code
 * {"order_id","payment_id","user_id","order_amount","payment_amount","created_at","paid_at"}}. Reads and
 * writes with its own code.
 */
public final class JoinModel {
  private JoinModel() {}

  public static List<String> expected(Iterable<String> lines, long lowerMillis, long upperMillis) {
    Map<String, List<Order>> orders = new TreeMap<>();
    Map<String, List<Payment>> payments = new TreeMap<>();
    for (String line : lines) {
      Object event = ModelEvents.read(line);
      if (event instanceof Order o) {
        orders.computeIfAbsent(o.orderId(), k -> new ArrayList<>()).add(o);
      } else if (event instanceof Payment p) {
        payments.computeIfAbsent(p.orderId(), k -> new ArrayList<>()).add(p);
      }
    }
    List<String> out = new ArrayList<>();
    orders.forEach(
        (orderId, os) -> {
          for (Order o : os) {
            for (Payment p : payments.getOrDefault(orderId, List.of())) {
              long d = p.paidAt() - o.createdAt();
              if (d >= lowerMillis && d <= upperMillis) {
                out.add(
                    ModelJson.line(
                        "order_id", o.orderId(),
                        "payment_id", p.paymentId(),
                        "user_id", o.userId(),
                        "order_amount", ModelJson.money(o.cents()),
                        "payment_amount", ModelJson.money(p.cents()),
                        "created_at", ModelJson.instant(o.createdAt()),
                        "paid_at", ModelJson.instant(p.paidAt())));
              }
            }
          }
        });
    return out;
  }
}
