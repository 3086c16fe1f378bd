package streams.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * Compact, deterministic coders for the events: strings as UTF-8, numbers as var-longs. No Java
 * serialization and no reflection on the hot path, and the same bytes on every runner.
 */
public final class EventCoders {
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final VarLongCoder LONG = VarLongCoder.of();

  private EventCoders() {}

  public static final class OrderCoder extends AtomicCoder<Order> {
    private static final OrderCoder INSTANCE = new OrderCoder();

    public static OrderCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(Order o, OutputStream out) throws IOException {
      STRING.encode(o.getOrderId(), out);
      STRING.encode(o.getUserId(), out);
      LONG.encode(o.getAmountCents(), out);
      out.write(o.getStatus().ordinal());
      LONG.encode(o.getCreatedAtMillis(), out);
    }

    @Override
    public Order decode(InputStream in) throws IOException {
      String orderId = STRING.decode(in);
      String userId = STRING.decode(in);
      long cents = LONG.decode(in);
      int status = in.read();
      if (status < 0) {
        throw new IOException("truncated order");
      }
      return new Order(orderId, userId, cents, Order.Status.values()[status], LONG.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }

  public static final class PaymentCoder extends AtomicCoder<Payment> {
    private static final PaymentCoder INSTANCE = new PaymentCoder();

    public static PaymentCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(Payment p, OutputStream out) throws IOException {
      STRING.encode(p.getPaymentId(), out);
      STRING.encode(p.getOrderId(), out);
      LONG.encode(p.getAmountCents(), out);
      LONG.encode(p.getPaidAtMillis(), out);
    }

    @Override
    public Payment decode(InputStream in) throws IOException {
      return new Payment(STRING.decode(in), STRING.decode(in), LONG.decode(in), LONG.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }

  public static final class TransactionCoder extends AtomicCoder<Transaction> {
    private static final TransactionCoder INSTANCE = new TransactionCoder();

    public static TransactionCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(Transaction t, OutputStream out) throws IOException {
      STRING.encode(t.getTxId(), out);
      STRING.encode(t.getAccountId(), out);
      LONG.encode(t.getAmountCents(), out);
      LONG.encode(t.getCreatedAtMillis(), out);
    }

    @Override
    public Transaction decode(InputStream in) throws IOException {
      return new Transaction(STRING.decode(in), STRING.decode(in), LONG.decode(in), LONG.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }

  public static final class DeadLetterCoder extends AtomicCoder<DeadLetter> {
    private static final DeadLetterCoder INSTANCE = new DeadLetterCoder();

    public static DeadLetterCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(DeadLetter d, OutputStream out) throws IOException {
      STRING.encode(d.getRaw(), out);
      STRING.encode(d.getError(), out);
    }

    @Override
    public DeadLetter decode(InputStream in) throws IOException {
      return new DeadLetter(STRING.decode(in), STRING.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
