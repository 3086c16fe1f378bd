package streams.io;

import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import streams.model.Order;
import streams.model.Payment;
import streams.model.Transaction;

/**
 * The record types the sinks write: results (keyed in Kafka by the fields that identify a row; columns in Parquet), dead
 * letters, and the validated events of the archive. Column names are the JSON field names of the event
 * contract and of the results.
 */
public final class ResultSchemas {
  private ResultSchemas() {}

  /** {@code revenue}: {@code {"user_id","window_start","window_end","order_count","total_amount","timing","pane_index","is_final"}}. */
  public static final ResultSchema USER_REVENUE =
      ResultSchema.named("UserRevenue")
          .keyedBy("user_id", "window_start")
          .string("user_id")
          .timestamp("window_start")
          .timestamp("window_end")
          .longField("order_count")
          .money("total_amount")
          .string("timing")
          .longField("pane_index")
          .bool("is_final");

  /** {@code completed}: {@code {"order_id","user_id","amount","created_at"}}. */
  public static final ResultSchema ORDER_METRIC =
      ResultSchema.named("OrderMetric")
          .keyedBy("order_id")
          .string("order_id")
          .string("user_id")
          .money("amount")
          .timestamp("created_at");

  /** {@code fraud}: {@code {"account_id","tx_id","created_at","count","burst_start"}}. */
  public static final ResultSchema FRAUD_ALERT =
      ResultSchema.named("FraudAlert")
          .keyedBy("tx_id")
          .string("account_id")
          .string("tx_id")
          .timestamp("created_at")
          .longField("count")
          .timestamp("burst_start");

  /** {@code join}: {@code {"order_id","payment_id","user_id","order_amount","payment_amount","created_at","paid_at"}}. */
  public static final ResultSchema ORDER_PAYMENT =
      ResultSchema.named("OrderPayment")
          .keyedBy("order_id", "payment_id")
          .string("order_id")
          .string("payment_id")
          .string("user_id")
          .money("order_amount")
          .money("payment_amount")
          .timestamp("created_at")
          .timestamp("paid_at");

  /** {@code {"raw","error"}}. */
  public static final ResultSchema DEAD_LETTER = ResultSchema.named("DeadLetter").string("raw").string("error");

  /** The event itself stays the JSON text of the input contract, so it can be read in again as is. */
  public static final ResultSchema LATE_EVENT =
      ResultSchema.named("LateEvent")
          .string("event")
          .timestamp("event_time")
          .timestamp("watermark")
          .string("reason");

  public static final ResultSchema ORDER =
      ResultSchema.named("Order")
          .keyedBy("order_id")
          .string("order_id")
          .string("user_id")
          .money("amount")
          .string("status")
          .timestamp("created_at");

  public static final ResultSchema PAYMENT =
      ResultSchema.named("Payment")
          .keyedBy("payment_id")
          .string("payment_id")
          .string("order_id")
          .money("amount")
          .timestamp("paid_at");

  public static final ResultSchema TRANSACTION =
      ResultSchema.named("Transaction")
          .keyedBy("tx_id")
          .string("tx_id")
          .string("account_id")
          .money("amount")
          .timestamp("created_at");

  static GenericRecord order(Order o) {
    GenericRecord r = new GenericData.Record(ORDER.avroSchema());
    r.put("order_id", o.getOrderId());
    r.put("user_id", o.getUserId());
    r.put("amount", ResultSchema.moneyBytes(o.getAmountCents()));
    r.put("status", o.getStatus().name());
    r.put("created_at", o.getCreatedAtMillis());
    return r;
  }

  static GenericRecord payment(Payment p) {
    GenericRecord r = new GenericData.Record(PAYMENT.avroSchema());
    r.put("payment_id", p.getPaymentId());
    r.put("order_id", p.getOrderId());
    r.put("amount", ResultSchema.moneyBytes(p.getAmountCents()));
    r.put("paid_at", p.getPaidAtMillis());
    return r;
  }

  static GenericRecord transaction(Transaction t) {
    GenericRecord r = new GenericData.Record(TRANSACTION.avroSchema());
    r.put("tx_id", t.getTxId());
    r.put("account_id", t.getAccountId());
    r.put("amount", ResultSchema.moneyBytes(t.getAmountCents()));
    r.put("created_at", t.getCreatedAtMillis());
    return r;
  }
}
