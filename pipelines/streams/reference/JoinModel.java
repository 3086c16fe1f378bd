package streams.reference;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import streams.model.EventParser;
import streams.model.Order;
import streams.model.OrderPayment;
import streams.model.Payment;

/**
 * Reference model of {@code join} over a finite input (nothing is late): every (order record, payment
 * record) pair with the same {@code order_id} and {@code paid_at - created_at} within {@code [lower,
 * upper]}, bounds included.
 */
public final class JoinModel {
  private JoinModel() {}

  public static List<String> expected(Iterable<String> lines, long lowerMillis, long upperMillis) {
    Map<String, List<Order>> orders = new TreeMap<>();
    Map<String, List<Payment>> payments = new TreeMap<>();
    for (String line : lines) {
      try {
        Object event = EventParser.parse(line);
        if (event instanceof Order) {
          orders.computeIfAbsent(((Order) event).orderId(), k -> new ArrayList<>()).add((Order) event);
        } else if (event instanceof Payment) {
          payments.computeIfAbsent(((Payment) event).orderId(), k -> new ArrayList<>()).add((Payment) event);
        }
      } catch (EventParser.BadEventException e) {
        // dead letter: not an input of the model
      }
    }
    List<String> out = new ArrayList<>();
    orders.forEach(
        (orderId, os) -> {
          for (Order o : os) {
            for (Payment p : payments.getOrDefault(orderId, List.of())) {
              long d = p.paidAtMillis() - o.createdAtMillis();
              if (d >= lowerMillis && d <= upperMillis) {
                out.add(OrderPayment.of(o, p).toJson());
              }
            }
          }
        });
    return out;
  }
}
