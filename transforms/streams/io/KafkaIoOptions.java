package streams.io;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The options of the IO edges: where events come from ({@code --source}) and where results go ({@code
 * --sink}), with Kafka's watermark, delivery and bounded-read settings and the Parquet archive. Durations
 * are ISO-8601 strings (parsed by {@code streams.transforms.Durations}); {@link KafkaSourceConfig} and
 * {@link SinkConfig} turn them into typed, validated values.
 *
 * <p>Example: {@code --source=kafka --bootstrapServers=127.0.0.1:9092 --topic=events
 * --maxOutOfOrderness=PT5S --idleTimeout=PT10S --sink=kafka --outputTopic=revenue --exactlyOnce
 * --numShards=2}
 */
public interface KafkaIoOptions extends PipelineOptions {
  // ---- source ----

  @Description("Where events come from: file (--input, bounded) or kafka (--bootstrapServers, --topic).")
  @Default.String("file")
  String getSource();

  void setSource(String value);

  @Description("Kafka bootstrap servers, host:port[,host:port...] (source and sink).")
  String getBootstrapServers();

  void setBootstrapServers(String value);

  @Description("Kafka topic holding the JSON events of every type (one event a message, UTF-8).")
  String getTopic();

  void setTopic(String value);

  @Description("Kafka topic of the order events, if they have their own (read as well as --topic).")
  String getOrderTopic();

  void setOrderTopic(String value);

  @Description("Kafka topic of the payment events, if they have their own (read as well as --topic).")
  String getPaymentTopic();

  void setPaymentTopic(String value);

  @Description("Kafka topic of the transaction events, if they have their own (read as well as --topic).")
  String getTransactionTopic();

  void setTransactionTopic(String value);

  @Description(
      "Bounded out-of-orderness of the Kafka source, ISO-8601: the watermark of a partition is the"
          + " highest event time read from it minus this.")
  @Default.String("PT5S")
  String getMaxOutOfOrderness();

  void setMaxOutOfOrderness(String value);

  @Description(
      "A Kafka partition that has been read to its end and received nothing for this long (ISO-8601) is"
          + " idle: it stops holding the watermark back and follows the most advanced partition.")
  @Default.String("PT10S")
  String getIdleTimeout();

  void setIdleTimeout(String value);

  @Description(
      "Consumer group of the Kafka source: its committed offsets are where --startFrom=committed resumes,"
          + " and the source commits the offsets of what it has read once the runner has finalized it"
          + " (on some runners: when a checkpoint completes, see the README). Default: portable-streams.<pipeline>.<topic>[,<topic>...] (the"
          + " pipeline's name and its input topics).")
  String getGroupId();

  void setGroupId(String value);

  @Description(
      "Where the Kafka source starts reading when it has no checkpoint: committed (default: the consumer"
          + " group's committed offsets; a partition the group has none for starts at its earliest offset),"
          + " earliest (every partition from its beginning) or latest (only messages appended after the job"
          + " started). Offsets are committed in every mode.")
  @Default.String("committed")
  String getStartFrom();

  void setStartFrom(String value);

  @Description(
      "An event more than this (ISO-8601) ahead of its Kafka partition's event time and of the wall clock"
          + " is a dead letter instead of moving the watermark there.")
  @Default.String("PT1H")
  String getMaxEventTimeJump();

  void setMaxEventTimeJump(String value);

  @Description(
      "unbounded (default: a streaming job that runs until stopped), toEnd (a streaming job over what the"
          + " topics hold when it starts: it ends by itself once every partition is read to that end, every"
          + " window closed) or bounded (a labelled batch mode: reads at most --maxRecords records or for"
          + " --maxReadTime, then ends; no late data).")
  @Default.String("unbounded")
  String getReadMode();

  void setReadMode(String value);

  @Description(
      "Streaming Kafka read: once this file exists, each partition ends when it has read what its broker"
          + " holds, and the job drains (windows close, buffers are decided). Set by scripts/run.")
  String getDrainSignal();

  void setDrainSignal(String value);

  @Description(
      "Streaming Kafka read that ends (--readMode=toEnd, or drained): a partition's watermark goes to the end"
          + " of time only once every partition of the read has reached its end in this JVM. For a runner"
          + " whose source watermark is the latest of its readers' (one reader ending early would then end"
          + " the whole read). Set by scripts/run where the runner needs it.")
  @Default.Boolean(false)
  Boolean getEndPartitionsTogether();

  void setEndPartitionsTogether(Boolean value);

  @Description("--readMode=bounded: stop after this many records in all (split across partitions).")
  Long getMaxRecords();

  void setMaxRecords(Long value);

  @Description(
      "--readMode=bounded: stop reading after this long, ISO-8601. Always applied in bounded mode, so a"
          + " partition that cannot supply its share of --maxRecords does not hang the job.")
  @Default.String("PT1M")
  String getMaxReadTime();

  void setMaxReadTime(String value);

  // ---- sink ----

  @Description(
      "Where results go: files (JSON Lines in --output), kafka (--outputTopic) or parquet (Parquet files in"
          + " --output, one folder per window).")
  @Default.String("files")
  String getSink();

  void setSink(String value);

  @Description("--sink=kafka: topic of the results (JSON values keyed by the result's key).")
  String getOutputTopic();

  void setOutputTopic(String value);

  @Description(
      "--sink=kafka: topic of the dead letters ({\"raw\",\"error\"} JSON). Default: <outputTopic>-dead-letter.")
  String getDeadLetterTopic();

  void setDeadLetterTopic(String value);

  @Description(
      "--sink=kafka: topic of the events later than allowed lateness ({\"event\",\"event_time\",\"watermark\","
          + "\"reason\"} JSON). Default: <outputTopic>-late.")
  String getLateTopic();

  void setLateTopic(String value);

  @Description(
      "--source=kafka: let each offset of a partition through once (keyed state per partition), so that a job"
          + " restored from a checkpoint that reads a partition twice counts nothing twice. Set by the command"
          + " line for runs on an engine that restores from checkpoints, when they ask for them (--checkpointingInterval, --restoreFrom, --exactlyOnce).")
  @Default.Boolean(false)
  boolean getDropReplayedOffsets();

  void setDropReplayedOffsets(boolean value);

  @Description(
      "--sink=kafka: write with Kafka transactions (KafkaIO's exactly-once sink). Needs a runner that"
          + " supports stable input (checkpointing); a runner that does not refuses the job at start-up.")
  @Default.Boolean(false)
  boolean getExactlyOnce();

  void setExactlyOnce(boolean value);

  @Description(
      "--exactlyOnce: number of transactional writers. Each keeps its state on partition <shard> of the"
          + " topic, so the output and dead-letter topics need at least this many partitions.")
  @Default.Integer(1)
  int getNumShards();

  void setNumShards(int value);

  @Description(
      "--exactlyOnce: prefix of the consumer groups under which the sink keeps its committed sequence"
          + " numbers (G-<outputTopic>, G-<deadLetterTopic>). Must stay the same across restarts of one job."
          + " Default: streams-eos-<topic>.")
  String getSinkGroupId();

  void setSinkGroupId(String value);

  @Description(
      "Also write the raw validated events as Parquet under this folder: DIR/orders, DIR/payments,"
          + " DIR/transactions (the data-lake copy).")
  String getArchive();

  void setArchive(String value);

  @Description(
      "Unbounded input: how often (processing time, ISO-8601) Parquet files of the archive and of results"
          + " that are not windowed are closed and published.")
  @Default.String("PT10S")
  String getFileFlushInterval();

  void setFileFlushInterval(String value);
}
