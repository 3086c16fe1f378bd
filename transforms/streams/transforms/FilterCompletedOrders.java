package streams.transforms;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import streams.model.Order;
import streams.model.OrderMetric;

/**
 * Keeps the orders whose status is {@code COMPLETED} and maps each to an {@link OrderMetric} (the
 * reference document's {@code filter} + {@code map}). Stateless: every element keeps its timestamp and
 * window, so it behaves the same in batch and streaming, late or not.
 */
public final class FilterCompletedOrders extends PTransform<PCollection<Order>, PCollection<OrderMetric>> {
  private FilterCompletedOrders() {}

  public static FilterCompletedOrders create() {
    return new FilterCompletedOrders();
  }

  @Override
  public PCollection<OrderMetric> expand(PCollection<Order> orders) {
    return orders
        .apply("KeepCompletedAsMetrics", ParDo.of(new ToOrderMetricFn()))
        .setCoder(OrderMetric.TYPE.coder());
  }

  static final class ToOrderMetricFn extends DoFn<Order, OrderMetric> {
    private final Counter results = Metrics.counter(MetricNames.NAMESPACE, MetricNames.RESULTS_OUT);

    @ProcessElement
    public void process(@Element Order order, OutputReceiver<OrderMetric> out) {
      if (order.status() == Order.Status.COMPLETED) {
        results.inc();
        out.output(OrderMetric.of(order));
      }
    }
  }
}
