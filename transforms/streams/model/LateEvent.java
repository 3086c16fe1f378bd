package streams.model;

import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;
import streams.model.RecordType.Kind;

/**
 * A valid event that a pipeline did not use because it came later than allowed lateness: {@code
 * {"event":{...the event, as in the input contract...},"event_time":"...","watermark":"...","reason":"..."}}.
 * {@code watermark} is the input watermark of the step that judged it, when it judged it; the event was late
 * because {@code event_time} (or the end of its window) plus the allowed lateness was behind it. The {@code
 * event} object can be fed to a pipeline again as is.
 */
@DefaultCoder(RecordCoder.class)
public record LateEvent(
    @Field(value = "event", kind = Kind.JSON) String eventJson,
    @Field(value = "event_time", kind = Kind.TIMESTAMP) long eventTimeMillis,
    @Field(value = "watermark", kind = Kind.TIMESTAMP) long watermarkMillis,
    @Field("reason") String reason)
    implements Serializable {
  public static final RecordType<LateEvent> TYPE = RecordType.of(LateEvent.class);

  public LateEvent {
    Objects.requireNonNull(eventJson, "eventJson");
    Objects.requireNonNull(reason, "reason");
  }

  public static LateEvent of(Order o, long watermarkMillis, String reason) {
    return new LateEvent(Order.TYPE.toJson(o), o.createdAtMillis(), watermarkMillis, reason);
  }

  public static LateEvent of(Payment p, long watermarkMillis, String reason) {
    return new LateEvent(Payment.TYPE.toJson(p), p.paidAtMillis(), watermarkMillis, reason);
  }

  public static LateEvent of(Transaction t, long watermarkMillis, String reason) {
    return new LateEvent(Transaction.TYPE.toJson(t), t.createdAtMillis(), watermarkMillis, reason);
  }

  public String toJson() {
    return TYPE.toJson(this);
  }
}
