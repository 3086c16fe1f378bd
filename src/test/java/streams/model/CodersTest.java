package streams.model;

import static org.junit.Assert.assertTrue;

import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.Test;

/** The hand-written coders: every value decodes to itself, encodings are deterministic and compact. */
public class CodersTest {
  private static final Order ORDER = new Order("o-1", "u-é", 1250, Order.Status.COMPLETED, 1_768_471_200_000L);
  private static final Payment PAYMENT = new Payment("p-1", "o-1", 1250, 1_768_471_205_000L);

  @Test
  public void userRevenueRoundTripsAndIsDeterministic() throws Exception {
    UserRevenue onTime = new UserRevenue("u-1", 0L, 3_600_000L, 3, 123_456_789_012L, "ON_TIME", 0, false);
    UserRevenue lastLate = new UserRevenue("u-2", -3_600_000L, 0L, 1, -5, "LATE", 4, true);
    for (UserRevenue r : new UserRevenue[] {onTime, lastLate}) {
      CoderProperties.coderDecodeEncodeEqual(ResultCoders.UserRevenueCoder.of(), r);
      CoderProperties.coderDeterministic(ResultCoders.UserRevenueCoder.of(), r, r);
    }
    // No Java serialization: a pane takes a few dozen bytes, not a serialized object graph.
    int bytes = CoderUtils.encodeToByteArray(ResultCoders.UserRevenueCoder.of(), onTime).length;
    assertTrue("encoded in " + bytes + " bytes", bytes < 40);
  }

  @Test
  public void resultAndEventCodersRoundTrip() throws Exception {
    roundTrip(ResultCoders.OrderMetricCoder.of(), OrderMetric.of(ORDER));
    roundTrip(ResultCoders.OrderPaymentCoder.of(), OrderPayment.of(ORDER, PAYMENT));
    roundTrip(ResultCoders.FraudAlertCoder.of(), new FraudAlert("a-1", "t-9", 1_000L, 6, 0L));
    roundTrip(EventCoders.OrderCoder.of(), ORDER);
    roundTrip(EventCoders.PaymentCoder.of(), PAYMENT);
  }

  private static <T> void roundTrip(Coder<T> coder, T value) throws Exception {
    CoderProperties.coderDecodeEncodeEqual(coder, value);
    CoderProperties.coderDeterministic(coder, value, value);
  }
}
