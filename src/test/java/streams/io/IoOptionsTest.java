package streams.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import streams.model.OrderMetric;
import streams.model.UserRevenue;

/**
 * The IO options as a user types them ({@code --source}, {@code --sink}, Kafka and Parquet flags): typed,
 * validated, one clear line per mistake; and the Parquet record mapping (exact money, timestamps, query
 * conditions, window folders).
 */
class IoOptionsTest {
  private static KafkaIoOptions options(String... args) {
    return PipelineOptionsFactory.fromArgs(args).withValidation().as(KafkaIoOptions.class);
  }

  private static String error(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  void defaultsAreFilesInAndOut() {
    KafkaIoOptions o = options();
    assertEquals("file", o.getSource());
    assertEquals("files", o.getSink());
    assertEquals("PT5S", o.getMaxOutOfOrderness());
    assertFalse(ReadEvents.from(o, "events.jsonl").isKafka());
    assertEquals(SinkConfig.Kind.FILES, SinkConfig.from(o, "out").kind());
  }

  /** The consumer group: a stable default per pipeline and topics, --groupId and --startFrom as typed. */
  @Test
  void kafkaSourceIsAConsumerGroup() {
    KafkaSourceConfig c =
        KafkaSourceConfig.from(options("--source=kafka", "--bootstrapServers=h:1", "--topic=events", "--orderTopic=orders"));
    assertEquals("portable-streams.events,orders", c.groupId());
    assertEquals(KafkaSourceConfig.StartFrom.COMMITTED, c.startFrom());
    assertEquals(
        "portable-streams.revenue.events,orders", KafkaSourceConfig.defaultGroupId("revenue", List.of("events", "orders")));
    KafkaSourceConfig g =
        KafkaSourceConfig.from(
            options("--source=kafka", "--bootstrapServers=h:1", "--topic=events", "--groupId=billing", "--startFrom=Latest"));
    assertEquals("billing", g.groupId());
    assertEquals(KafkaSourceConfig.StartFrom.LATEST, g.startFrom());
    assertEquals(
        "--startFrom=beginning is not a start position; allowed: earliest, latest, committed",
        error(() -> KafkaSourceConfig.from(options("--source=kafka", "--bootstrapServers=h:1", "--topic=e", "--startFrom=beginning"))));
    assertEquals(
        "--groupId must not be empty",
        error(() -> KafkaSourceConfig.from(options("--source=kafka", "--bootstrapServers=h:1", "--topic=e", "--groupId= "))));
  }

  @Test
  void kafkaSource() {
    KafkaSourceConfig c =
        KafkaSourceConfig.from(
            options(
                "--source=kafka", "--bootstrapServers=127.0.0.1:9092", "--topic=events", "--orderTopic=orders",
                "--paymentTopic=events", "--maxOutOfOrderness=PT2S", "--idleTimeout=PT30S"));
    assertEquals(List.of("events", "orders"), c.topics());
    assertEquals(Duration.standardSeconds(2), c.maxOutOfOrderness());
    assertEquals(Duration.standardSeconds(30), c.idleTimeout());
    assertEquals(KafkaSourceConfig.ReadMode.UNBOUNDED, c.readMode());
    assertNull(c.maxReadTime());
  }

  @Test
  void boundedModeAlwaysHasATimeLimit() {
    KafkaSourceConfig c =
        KafkaSourceConfig.from(
            options("--bootstrapServers=h:1", "--topic=t", "--readMode=bounded", "--maxRecords=1000"));
    assertEquals(KafkaSourceConfig.ReadMode.BOUNDED, c.readMode());
    assertEquals(Long.valueOf(1000), c.maxRecords());
    assertEquals(Duration.standardMinutes(1), c.maxReadTime());
  }

  @Test
  void sourceMistakes() {
    assertThat(error(() -> ReadEvents.from(options("--source=kafak"), null)), containsString("--source=kafak is not a source; allowed: file, kafka"));
    assertThat(error(() -> ReadEvents.from(options(), null)), containsString("--source=file needs --input=PATH"));
    assertThat(error(() -> KafkaSourceConfig.from(options("--bootstrapServers=h:1"))), containsString("needs --topic=T"));
    assertThat(error(() -> KafkaSourceConfig.from(options("--topic=t"))), containsString("--bootstrapServers is required"));
    assertThat(
        error(() -> KafkaSourceConfig.from(options("--topic=t", "--bootstrapServers=h:1", "--maxOutOfOrderness=5s"))),
        containsString("--maxOutOfOrderness=5s is not an ISO-8601 duration"));
    assertThat(
        error(() -> KafkaSourceConfig.from(options("--topic=t", "--bootstrapServers=h:1", "--maxRecords=5"))),
        containsString("--maxRecords only applies to --readMode=bounded"));
    assertThat(
        error(() -> KafkaSourceConfig.from(options("--topic=t", "--bootstrapServers=h:1", "--readMode=batch"))),
        containsString("allowed: unbounded, toEnd, bounded"));
    assertThat(
        error(() -> ReadEvents.from(options("--source=kafka", "--topic=t", "--bootstrapServers=h:1", "--maxEventTimeJump=1h"), null)),
        containsString("--maxEventTimeJump=1h is not an ISO-8601 duration"));
    assertThat(
        error(() -> ReadEvents.from(options("--source=kafka", "--topic=t", "--bootstrapServers=h:1", "--maxEventTimeJump=PT0S"), null)),
        containsString("--maxEventTimeJump=PT0S must be positive"));
    assertTrue(ReadEvents.from(options("--source=kafka", "--topic=t", "--bootstrapServers=h:1", "--maxEventTimeJump=PT24H"), null).isKafka());
  }

  @Test
  void kafkaSink() {
    SinkConfig s =
        SinkConfig.from(
            options("--sink=kafka", "--bootstrapServers=h:1", "--outputTopic=revenue", "--exactlyOnce", "--numShards=3"),
            null);
    assertEquals("revenue-dead-letter", s.deadLetterTopic());
    assertTrue(s.exactlyOnce());
    assertEquals(3, s.numShards());
    assertEquals("streams-eos-revenue", s.sinkGroupId("revenue"));
    assertFalse(SinkConfig.from(options("--sink=kafka", "--bootstrapServers=h:1", "--outputTopic=r"), null).exactlyOnce());
  }

  @Test
  void sinkMistakes() {
    assertThat(error(() -> SinkConfig.from(options("--sink=hdfs"), "o")), containsString("--sink=hdfs is not a sink; allowed: files, kafka, parquet"));
    assertThat(error(() -> SinkConfig.from(options("--sink=kafka", "--bootstrapServers=h:1"), null)), containsString("--sink=kafka needs --outputTopic=T"));
    assertThat(error(() -> SinkConfig.from(options("--sink=parquet"), null)), containsString("--sink=parquet needs --output=DIR"));
    assertThat(error(() -> SinkConfig.from(options("--exactlyOnce"), "o")), containsString("--exactlyOnce applies to --sink=kafka only"));
    assertThat(
        error(() -> SinkConfig.from(options("--sink=kafka", "--bootstrapServers=h:1", "--outputTopic=r", "--deadLetterTopic=r"), null)),
        containsString("--deadLetterTopic must differ from --outputTopic"));
    assertThat(
        error(() -> SinkConfig.from(options("--sink=kafka", "--bootstrapServers=h:1", "--outputTopic=r", "--numShards=0"), null)),
        containsString("--numShards=0 must be at least 1"));
  }

  @Test
  void resultBecomesAnAvroRecordWithExactMoney() {
    UserRevenue r =
        new UserRevenue("u-1", Instant.parse("2026-01-15T10:00:00Z").getMillis(), Instant.parse("2026-01-15T11:00:00Z").getMillis(), 3, 1234567, "ON_TIME", 0, true);
    GenericRecord record = AvroRecords.of(UserRevenue.TYPE).apply(r);
    assertEquals(new BigDecimal("12345.67"), ParquetRows.value(record, "total_amount"));
    assertEquals(java.time.Instant.parse("2026-01-15T10:00:00Z"), ParquetRows.value(record, "window_start"));
    assertEquals(3L, ParquetRows.value(record, "order_count"));
    // Back to JSON: byte for byte the result the pipeline wrote.
    assertEquals(r.toJson(), ParquetRows.toJson(record));
  }

  @Test
  void anAmountBeyondTheMoneyColumnIsAnError() {
    AvroRecords<OrderMetric> metrics = AvroRecords.of(OrderMetric.TYPE);
    long largest = 999_999_999_999_999_999L; // 18 digits: 9999999999999999.99
    assertEquals(new BigDecimal("9999999999999999.99"), ParquetRows.value(metrics.apply(new OrderMetric("o", "u", largest, 0)), "amount"));
    assertEquals(new BigDecimal("-0.05"), ParquetRows.value(metrics.apply(new OrderMetric("o", "u", -5, 0)), "amount"));
    assertThat(
        error(() -> metrics.apply(new OrderMetric("o", "u", largest + 1, 0))),
        containsString("OrderMetric.amount: amount 10000000000000000.00 exceeds decimal(18,2)"));
  }

  @Test
  void whereConditionsCompareByColumnType() {
    UserRevenue r = new UserRevenue("u-10", 0, 3_600_000, 12, 9950, "LATE", 2, false);
    GenericRecord record = AvroRecords.of(UserRevenue.TYPE).apply(r);
    assertTrue(ParquetRows.Condition.parse("user_id=u-10").test(record));
    assertFalse(ParquetRows.Condition.parse("user_id=u-1").test(record));
    assertTrue(ParquetRows.Condition.parse("total_amount>99.49").test(record));
    assertTrue(ParquetRows.Condition.parse("total_amount<=99.50").test(record));
    assertTrue(ParquetRows.Condition.parse("order_count>9").test(record)); // numeric, not text ("12" < "9")
    assertTrue(ParquetRows.Condition.parse("window_start>=1970-01-01T00:00:00Z").test(record));
    assertFalse(ParquetRows.Condition.parse("window_start>1970-01-01T00:00:00Z").test(record));
    assertTrue(ParquetRows.Condition.parse("is_final!=true").test(record));
    assertFalse(ParquetRows.Condition.parse("no_such_column=1").test(record));
    assertThat(error(() -> ParquetRows.Condition.parse("total_amount>lots").test(record)), containsString("cannot be compared with total_amount (a number)"));
    assertThat(error(() -> ParquetRows.Condition.parse("total_amount~5")), containsString("is not a condition"));
  }

  @Test
  void windowFolderIsHiveStyleIsoInstant() {
    IntervalWindow w = new IntervalWindow(Instant.parse("2026-01-15T10:00:00Z"), Instant.parse("2026-01-15T11:00:00Z"));
    assertEquals("window_start=2026-01-15T10%3A00%3A00.000Z", WriteParquet.windowFolder(w));
  }
}
