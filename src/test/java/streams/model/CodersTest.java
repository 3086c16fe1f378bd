package streams.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.util.SerializableUtils;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.junit.jupiter.api.Test;

/**
 * The coders derived from the records' fields: every value decodes to itself, encodings are deterministic,
 * compact and laid out as documented, and each record's default coder is its own.
 */
class CodersTest {
  private static final Order ORDER = new Order("o-1", "u-é", 1250, Order.Status.COMPLETED, 1_768_471_200_000L);
  private static final Payment PAYMENT = new Payment("p-1", "o-1", 1250, 1_768_471_205_000L);

  @Test
  void userRevenueRoundTripsAndIsDeterministic() throws Exception {
    UserRevenue onTime = new UserRevenue("u-1", 0L, 3_600_000L, 3, 123_456_789_012L, "ON_TIME", 0, false);
    UserRevenue lastLate = new UserRevenue("u-2", -3_600_000L, 0L, 1, -5, "LATE", 4, true);
    for (UserRevenue r : new UserRevenue[] {onTime, lastLate}) {
      roundTrip(UserRevenue.TYPE.coder(), r);
    }
    // No Java serialization: a pane takes a few dozen bytes, not a serialized object graph.
    int bytes = CoderUtils.encodeToByteArray(UserRevenue.TYPE.coder(), onTime).length;
    assertTrue(bytes < 40, "encoded in " + bytes + " bytes");
  }

  @Test
  void resultAndEventCodersRoundTrip() throws Exception {
    roundTrip(OrderMetric.TYPE.coder(), OrderMetric.of(ORDER));
    roundTrip(OrderPayment.TYPE.coder(), OrderPayment.of(ORDER, PAYMENT));
    roundTrip(FraudAlert.TYPE.coder(), new FraudAlert("a-1", "t-9", 1_000L, 6, 0L));
    roundTrip(Order.TYPE.coder(), ORDER);
    roundTrip(Payment.TYPE.coder(), PAYMENT);
    roundTrip(Transaction.TYPE.coder(), new Transaction("t-1", "a-1", -1, Long.MAX_VALUE));
    roundTrip(DeadLetter.TYPE.coder(), DeadLetter.of("x".repeat(70_000), "too long"));
    roundTrip(LateEvent.TYPE.coder(), LateEvent.of(ORDER, 1_768_474_800_000L, "late"));
  }

  /** Strings with their UTF-8 length, numbers as var-longs, the enum's ordinal and booleans in one byte. */
  @Test
  void encodingIsFieldByFieldInDeclarationOrder() throws Exception {
    byte[] order = CoderUtils.encodeToByteArray(Order.TYPE.coder(), new Order("o", "ué", 300, Order.Status.PENDING, 1));
    assertArrayEquals(
        new byte[] {1, 'o', 3, 'u', (byte) 0xc3, (byte) 0xa9, (byte) 0xac, 0x02, 1, 1}, order);
    byte[] pane = CoderUtils.encodeToByteArray(UserRevenue.TYPE.coder(), new UserRevenue("u", 1, 2, 3, 4, "L", 5, true));
    assertArrayEquals(new byte[] {1, 'u', 1, 2, 3, 4, 1, 'L', 5, 1}, pane);
  }

  @Test
  void corruptInputIsACoderError() {
    byte[] badStatus = {1, 'o', 1, 'u', 1, 9, 1};
    assertThrows(CoderException.class, () -> CoderUtils.decodeFromByteArray(Order.TYPE.coder(), badStatus));
    byte[] badFlag = {1, 'u', 1, 2, 3, 4, 1, 'L', 5, 2};
    assertThrows(CoderException.class, () -> CoderUtils.decodeFromByteArray(UserRevenue.TYPE.coder(), badFlag));
  }

  /** {@code @DefaultCoder(RecordCoder.class)}: Beam infers each record's own coder, equal only to itself. */
  @Test
  void eachRecordsDefaultCoderIsItsOwn() throws Exception {
    CoderRegistry registry = CoderRegistry.createDefault();
    for (Class<? extends Record> type :
        List.of(Order.class, Payment.class, Transaction.class, OrderMetric.class, UserRevenue.class,
            FraudAlert.class, OrderPayment.class, DeadLetter.class, LateEvent.class)) {
      Coder<?> coder = registry.getCoder(TypeDescriptor.of(type));
      assertEquals(RecordType.of(type).coder(), coder);
      assertEquals(coder, SerializableUtils.clone(coder));
    }
    assertTrue(!Order.TYPE.coder().equals(Payment.TYPE.coder()));
  }

  private static <T> void roundTrip(Coder<T> coder, T value) throws Exception {
    CoderProperties.coderDecodeEncodeEqual(coder, value);
    CoderProperties.coderDeterministic(coder, value, value);
    CoderProperties.coderSerializable(coder);
  }
}
