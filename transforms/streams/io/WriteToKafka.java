package streams.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.kafka.common.serialization.StringSerializer;
import streams.model.Json;

/**
 * Writes JSON strings to a Kafka topic as UTF-8 values, keyed by the fields that identify the row, or with
 * no key. The key is the JSON object of those fields, in a fixed order, compact, with the values as they are
 * in the record: {@code {"user_id":"u-1","window_start":"2026-01-15T10:00:00.000Z"}} for a revenue pane,
 * {@code {"order_id":"o-1","payment_id":"p-1"}} for a join, {@code {"tx_id":"t-1"}} for a fraud alert,
 * {@code {"order_id":"o-1"}} for a completed order. One row, one key: every pane of a window has the same
 * key, so log compaction and an upserting consumer keep the latest pane of each window, and rows that differ
 * never share a key. JSON rather than a joined string ({@code u-1|2026-...}) because ids are free text from
 * the input: any separator may occur in them, JSON escaping cannot be confused, and every consumer can parse
 * it. Kafka keeps every update of a key in one partition, in order.
 *
 * <p>Delivery: at-least-once by default (a retried bundle is written again). {@link #exactlyOnce} uses
 * KafkaIO's exactly-once sink: {@code numShards} transactional writers, each committing its records with
 * its sequence number in consumer group {@code sinkGroupId}; the topic needs at least {@code numShards}
 * partitions (a shard keeps its state on partition {@code shard}; with fewer partitions the shards hang and
 * then fail with {@code Timeout expired ... while awaiting AddOffsetsToTxn}). That sink is a
 * {@code @RequiresStableInput} step: a runner must replay identical input after a failure, which takes
 * checkpointing; a runner without it refuses the pipeline, one without fault tolerance gives no guarantee.
 * Consumers see each record once only with {@code isolation.level=read_committed}.
 */
public final class WriteToKafka extends PTransform<PCollection<String>, PDone> {
  private final String bootstrapServers;
  private final String topic;
  private final List<String> keyFields;
  private final int numShards;
  private final String sinkGroupId;

  private WriteToKafka(
      String bootstrapServers, String topic, List<String> keyFields, int numShards, String sinkGroupId) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.keyFields = List.copyOf(keyFields);
    this.numShards = numShards;
    this.sinkGroupId = sinkGroupId;
  }

  /** Unkeyed records, at-least-once. */
  public static WriteToKafka to(String bootstrapServers, String topic) {
    return new WriteToKafka(bootstrapServers, topic, List.of(), 0, null);
  }

  /**
   * Keys each record by the JSON object of {@code fields} (see the class comment); no key when a field is
   * absent. No fields: no key.
   */
  public WriteToKafka keyedBy(List<String> fields) {
    return new WriteToKafka(bootstrapServers, topic, fields, numShards, sinkGroupId);
  }

  public WriteToKafka exactlyOnce(int numShards, String sinkGroupId) {
    if (numShards < 1) {
      throw new IllegalArgumentException("numShards must be at least 1, got " + numShards);
    }
    return new WriteToKafka(bootstrapServers, topic, keyFields, numShards, sinkGroupId);
  }

  @Override
  public PDone expand(PCollection<String> json) {
    PCollection<KV<String, String>> records =
        json.apply("KeyBy" + (keyFields.isEmpty() ? "Nothing" : "Fields"), ParDo.of(new KeyByFieldsFn(keyFields)))
            .setCoder(KvCoder.of(NullableCoder.of(StringUtf8Coder.of()), StringUtf8Coder.of()));
    KafkaIO.Write<String, String> write =
        KafkaIO.<String, String>write()
            .withBootstrapServers(bootstrapServers)
            .withTopic(topic)
            .withKeySerializer(StringSerializer.class)
            .withValueSerializer(StringSerializer.class);
    if (numShards > 0) {
      write = write.withEOS(numShards, sinkGroupId);
    }
    return records.apply("WriteKafka", write);
  }

  /**
   * {@code json -> KV({"f1":json.f1,...}, json)}; a missing field or unparseable JSON gives a null key (a
   * programming error of the pipeline: its results always carry their key fields).
   */
  static final class KeyByFieldsFn extends DoFn<String, KV<String, String>> {
    private final List<String> fields;

    KeyByFieldsFn(List<String> fields) {
      this.fields = List.copyOf(fields);
    }

    @ProcessElement
    public void process(@Element String json, OutputReceiver<KV<String, String>> out) {
      out.output(KV.of(key(fields, json), json));
    }

    static String key(List<String> fields, String json) {
      if (fields.isEmpty()) {
        return null;
      }
      try {
        JsonNode record = Json.MAPPER.readTree(json);
        ObjectNode key = Json.MAPPER.createObjectNode();
        for (String f : fields) {
          JsonNode value = record.get(f);
          if (value == null || value.isNull()) {
            return null;
          }
          key.set(f, value);
        }
        return Json.MAPPER.writeValueAsString(key);
      } catch (java.io.IOException e) {
        return null;
      }
    }
  }
}
