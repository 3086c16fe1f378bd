package streams.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * Compact, deterministic coders for the results of {@code completed}, {@code fraud} and {@code join}, in
 * the style of {@link EventCoders}: strings as UTF-8, numbers as var-longs, no Java serialization.
 */
public final class ResultCoders {
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final VarLongCoder LONG = VarLongCoder.of();

  private ResultCoders() {}

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
