package streams.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * Compact, deterministic coders for the results of every pipeline, in
 * the style of {@link EventCoders}: strings as UTF-8, numbers as var-longs, no Java serialization.
 */
public final class ResultCoders {
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final VarLongCoder LONG = VarLongCoder.of();

  private ResultCoders() {}

  /** {@code revenue}'s panes: user, window bounds, count, exact cents, timing, pane index, last. */
  public static final class UserRevenueCoder extends AtomicCoder<UserRevenue> {
    private static final UserRevenueCoder INSTANCE = new UserRevenueCoder();

    public static UserRevenueCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(UserRevenue r, OutputStream out) throws IOException {
      STRING.encode(r.getUserId(), out);
      LONG.encode(r.getWindowStartMillis(), out);
      LONG.encode(r.getWindowEndMillis(), out);
      LONG.encode(r.getOrderCount(), out);
      LONG.encode(r.getTotalCents(), out);
      STRING.encode(r.getTiming(), out);
      LONG.encode(r.getPaneIndex(), out);
      out.write(r.isFinal() ? 1 : 0);
    }

    @Override
    public UserRevenue decode(InputStream in) throws IOException {
      String user = STRING.decode(in);
      long start = LONG.decode(in);
      long end = LONG.decode(in);
      long count = LONG.decode(in);
      long cents = LONG.decode(in);
      String timing = STRING.decode(in);
      long pane = LONG.decode(in);
      int last = in.read();
      if (last != 0 && last != 1) {
        throw new IOException("corrupt UserRevenue encoding: last-pane flag " + last);
      }
      return new UserRevenue(user, start, end, count, cents, timing, pane, last == 1);
    }

    @Override
    public void verifyDeterministic() {}
  }

  public static final class OrderMetricCoder extends AtomicCoder<OrderMetric> {
    private static final OrderMetricCoder INSTANCE = new OrderMetricCoder();

    public static OrderMetricCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(OrderMetric m, OutputStream out) throws IOException {
      STRING.encode(m.getOrderId(), out);
      STRING.encode(m.getUserId(), out);
      LONG.encode(m.getAmountCents(), out);
      LONG.encode(m.getCreatedAtMillis(), out);
    }

    @Override
    public OrderMetric decode(InputStream in) throws IOException {
      return new OrderMetric(STRING.decode(in), STRING.decode(in), LONG.decode(in), LONG.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }

  public static final class FraudAlertCoder extends AtomicCoder<FraudAlert> {
    private static final FraudAlertCoder INSTANCE = new FraudAlertCoder();

    public static FraudAlertCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(FraudAlert a, OutputStream out) throws IOException {
      STRING.encode(a.getAccountId(), out);
      STRING.encode(a.getTxId(), out);
      LONG.encode(a.getCreatedAtMillis(), out);
      LONG.encode(a.getCount(), out);
      LONG.encode(a.getBurstStartMillis(), out);
    }

    @Override
    public FraudAlert decode(InputStream in) throws IOException {
      return new FraudAlert(
          STRING.decode(in), STRING.decode(in), LONG.decode(in), LONG.decode(in), LONG.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }

  public static final class OrderPaymentCoder extends AtomicCoder<OrderPayment> {
    private static final OrderPaymentCoder INSTANCE = new OrderPaymentCoder();

    public static OrderPaymentCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(OrderPayment j, OutputStream out) throws IOException {
      STRING.encode(j.getOrderId(), out);
      STRING.encode(j.getPaymentId(), out);
      STRING.encode(j.getUserId(), out);
      LONG.encode(j.getOrderAmountCents(), out);
      LONG.encode(j.getPaymentAmountCents(), out);
      LONG.encode(j.getCreatedAtMillis(), out);
      LONG.encode(j.getPaidAtMillis(), out);
    }

    @Override
    public OrderPayment decode(InputStream in) throws IOException {
      return new OrderPayment(
          STRING.decode(in),
          STRING.decode(in),
          STRING.decode(in),
          LONG.decode(in),
          LONG.decode(in),
          LONG.decode(in),
          LONG.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
