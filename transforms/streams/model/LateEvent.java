package streams.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * A valid event that a pipeline did not use because it came later than allowed lateness: {@code
 * {"event":{...the event, as in the input contract...},"event_time":"...","watermark":"...","reason":"..."}}.
 * {@code watermark} is the input watermark of the step that judged it, when it judged it; the event was late
 * because {@code event_time} (or the end of its window) plus the allowed lateness was behind it. The {@code
 * event} object can be fed to a pipeline again as is.
 */
@DefaultCoder(LateEvent.LateEventCoder.class)
public final class LateEvent implements Serializable {
  private final String eventJson;
  private final long eventTimeMillis;
  private final long watermarkMillis;
  private final String reason;

  public LateEvent(String eventJson, long eventTimeMillis, long watermarkMillis, String reason) {
    this.eventJson = Objects.requireNonNull(eventJson, "eventJson");
    this.eventTimeMillis = eventTimeMillis;
    this.watermarkMillis = watermarkMillis;
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public static LateEvent of(Order o, long watermarkMillis, String reason) {
    ObjectNode n =
        Json.object()
            .put("type", "order")
            .put("order_id", o.getOrderId())
            .put("user_id", o.getUserId())
            .put("amount", Json.money(o.getAmountCents()))
            .put("status", o.getStatus().name())
            .put("created_at", Json.instant(o.getCreatedAtMillis()));
    return new LateEvent(n.toString(), o.getCreatedAtMillis(), watermarkMillis, reason);
  }

  public static LateEvent of(Payment p, long watermarkMillis, String reason) {
    ObjectNode n =
        Json.object()
            .put("type", "payment")
            .put("payment_id", p.getPaymentId())
            .put("order_id", p.getOrderId())
            .put("amount", Json.money(p.getAmountCents()))
            .put("paid_at", Json.instant(p.getPaidAtMillis()));
    return new LateEvent(n.toString(), p.getPaidAtMillis(), watermarkMillis, reason);
  }

  public static LateEvent of(Transaction t, long watermarkMillis, String reason) {
    ObjectNode n =
        Json.object()
            .put("type", "transaction")
            .put("tx_id", t.getTxId())
            .put("account_id", t.getAccountId())
            .put("amount", Json.money(t.getAmountCents()))
            .put("created_at", Json.instant(t.getCreatedAtMillis()));
    return new LateEvent(n.toString(), t.getCreatedAtMillis(), watermarkMillis, reason);
  }

  public String getEventJson() {
    return eventJson;
  }

  public long getEventTimeMillis() {
    return eventTimeMillis;
  }

  public long getWatermarkMillis() {
    return watermarkMillis;
  }

  public String getReason() {
    return reason;
  }

  public String toJson() {
    ObjectNode n = Json.object();
    try {
      n.set("event", Json.MAPPER.readTree(eventJson));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("late event JSON " + eventJson, e);
    }
    return n.put("event_time", Json.instant(eventTimeMillis))
        .put("watermark", Json.instant(watermarkMillis))
        .put("reason", reason)
        .toString();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof LateEvent)) {
      return false;
    }
    LateEvent that = (LateEvent) o;
    return eventTimeMillis == that.eventTimeMillis
        && watermarkMillis == that.watermarkMillis
        && eventJson.equals(that.eventJson)
        && reason.equals(that.reason);
  }

  @Override
  public int hashCode() {
    return Objects.hash(eventJson, eventTimeMillis, watermarkMillis, reason);
  }

  @Override
  public String toString() {
    return toJson();
  }

  /** Deterministic: the event's JSON, its time, the watermark, the reason. */
  public static final class LateEventCoder extends AtomicCoder<LateEvent> {
    private static final StringUtf8Coder TEXT = StringUtf8Coder.of();
    private static final VarLongCoder LONG = VarLongCoder.of();

    public static LateEventCoder of() {
      return new LateEventCoder();
    }

    @Override
    public void encode(LateEvent value, OutputStream out) throws IOException {
      TEXT.encode(value.eventJson, out);
      LONG.encode(value.eventTimeMillis, out);
      LONG.encode(value.watermarkMillis, out);
      TEXT.encode(value.reason, out);
    }

    @Override
    public LateEvent decode(InputStream in) throws IOException {
      return new LateEvent(TEXT.decode(in), LONG.decode(in), LONG.decode(in), TEXT.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
