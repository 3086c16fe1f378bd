package streams.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import streams.io.AvroRecords;
import streams.model.Order;
import streams.transforms.SumRevenuePerUser.CountAndSum;
import streams.transforms.SumRevenuePerUser.CountAndSumFn;

/**
 * Revenue totals never overflow and never depend on the order in which a runner adds and merges: the sum is
 * exact ({@code hi * 10^18 + cents}); a total that {@code DECIMAL(18,2)} cannot hold is written as its bound.
 */
class CountAndSumTest {
  /** The largest amount an event may have: 9999999999999999.99. */
  private static final long MAX = 999_999_999_999_999_999L;

  private final CountAndSumFn fn = new CountAndSumFn();

  private static Order order(long cents) {
    return new Order("o", "u", cents, Order.Status.COMPLETED, 0);
  }

  private CountAndSum sum(List<Long> amounts) {
    CountAndSum acc = fn.createAccumulator();
    for (long a : amounts) {
      acc = fn.addInput(acc, order(a));
    }
    return acc;
  }

  @Test
  void manyOrdersOfTheLargestAmountSaturateInsteadOfFailing() {
    CountAndSum acc = sum(Collections.nCopies(1_000, MAX)); // Math.addExact threw at the 10th
    assertEquals(1_000, acc.count);
    assertFalse(acc.fits());
    assertEquals(MAX, acc.writtenCents());
    CountAndSum negative = sum(Collections.nCopies(3, -MAX));
    assertEquals(-MAX, negative.writtenCents());
    // The saturated totals are what the Parquet column holds at most (it refuses anything larger).
    AvroRecords.moneyBytes(acc.writtenCents());
    AvroRecords.moneyBytes(negative.writtenCents());
  }

  @Test
  void totalsUpToTheBoundAreExact() {
    CountAndSum acc = sum(List.of(MAX - 5, 5L));
    assertTrue(acc.fits());
    assertEquals(MAX, acc.writtenCents());
    CountAndSum over = sum(List.of(MAX - 5, 6L));
    assertFalse(over.fits());
    assertEquals(MAX, over.writtenCents());
  }

  @Test
  void theTotalDoesNotDependOnTheOrderOfAddsAndMerges() {
    // +MAX six times, -MAX six times and 1.00: exactly 1.00, although partial sums leave DECIMAL(18,2).
    List<Long> amounts = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      amounts.add(MAX);
      amounts.add(-MAX);
    }
    amounts.add(100L);
    Random random = new Random(3);
    for (int round = 0; round < 200; round++) {
      Collections.shuffle(amounts, random);
      int cut = random.nextInt(amounts.size());
      CountAndSum merged =
          fn.mergeAccumulators(List.of(sum(amounts.subList(0, cut)), sum(amounts.subList(cut, amounts.size()))));
      assertEquals(13, merged.count);
      assertTrue(merged.fits());
      assertEquals(100L, merged.writtenCents());
    }
  }

  @Test
  void theAccumulatorCoderKeepsTheCarry() throws Exception {
    CountAndSum acc = sum(Collections.nCopies(12, MAX));
    SumRevenuePerUser.CountAndSumCoder coder = new SumRevenuePerUser.CountAndSumCoder();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    coder.encode(acc, bytes);
    CountAndSum back = coder.decode(new ByteArrayInputStream(bytes.toByteArray()));
    assertEquals(acc.count, back.count);
    assertEquals(acc.hi, back.hi);
    assertEquals(acc.cents, back.cents);
    CountAndSum all = fn.mergeAccumulators(List.of(back, sum(Collections.nCopies(12, -MAX))));
    assertEquals(0L, all.writtenCents());
  }
}
