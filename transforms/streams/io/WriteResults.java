package streams.io;

import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import streams.model.DeadLetter;
import streams.model.LateEvent;
import streams.model.RecordType;

/**
 * Writes a pipeline's {@link Results} where {@code --sink} says, results and dead letters alike:
 *
 * <ul>
 *   <li>late events (valid events later than allowed lateness, {@link streams.model.LateEvent}), where the
 *       pipeline has them: {@code DIR/late/}, {@code --lateTopic}, or Parquet in {@code DIR/late};
 *   <li>{@code files}: JSON Lines ({@link RecordType#toJson}), {@code DIR/results-*.jsonl} and {@code
 *       DIR/dead-letter/*.jsonl}, per window and pane when the input is unbounded;
 *   <li>{@code kafka}: JSON values on {@code --outputTopic} keyed by the fields that identify the row
 *       ({@link RecordType#kafkaKey}), dead letters ({@code {"raw","error"}}, no key) on {@code
 *       --deadLetterTopic}; with {@code --exactlyOnce} both through KafkaIO's transactional sink;
 *   <li>{@code parquet}: Parquet files of the record type's columns ({@link AvroRecords}) under {@code DIR},
 *       one folder per window ({@link WriteParquet}), dead letters as Parquet in {@code DIR/dead-letter}.
 * </ul>
 *
 * Unbounded data in the global window (dead letters, unwindowed results) is written to files in
 * processing-time panes ({@link FlushPanes}).
 *
 * <p>In a pipeline's {@code build()}: {@code WriteResults.to(results, SinkConfig.from(options,
 * options.getOutput()))}.
 */
public final class WriteResults {
  /** File name prefix of the late events, in {@code DIR/late/}. */
  public static final String LATE_PREFIX = "late";

  private WriteResults() {}

  public static <T extends Record> void to(Results<T> results, SinkConfig sink) {
    RecordType<T> type = results.type();
    PCollection<LateEvent> late = results.late();
    switch (sink.kind()) {
      case FILES:
        {
          String dir = sink.outputDir();
          FlushPanes.every(results.resultsAsJson(), sink.flushInterval())
              .apply("WriteResults", WriteJsonLines.to(dir, OutputDirs.RESULTS_PREFIX));
          writeJsonLines(
              results.deadLetters(), DeadLetter.TYPE, sink, "DeadLetters", OutputDirs.deadLetterDir(dir),
              OutputDirs.DEAD_LETTER_PREFIX);
          if (late != null) {
            writeJsonLines(late, LateEvent.TYPE, sink, "Late", OutputDirs.lateDir(dir), LATE_PREFIX);
          }
          return;
        }
      case KAFKA:
        {
          results.results().apply("WriteResults", kafka(sink, sink.outputTopic(), type));
          results.deadLetters().apply("WriteDeadLetters", kafka(sink, sink.deadLetterTopic(), DeadLetter.TYPE));
          if (late != null) {
            late.apply("WriteLate", kafka(sink, sink.lateTopic(), LateEvent.TYPE));
          }
          return;
        }
      case PARQUET:
        {
          String dir = sink.outputDir();
          results.results().apply("WriteResults", parquet(sink, type, dir, OutputDirs.RESULTS_PREFIX));
          results
              .deadLetters()
              .apply(
                  "WriteDeadLetters",
                  parquet(sink, DeadLetter.TYPE, OutputDirs.deadLetterDir(dir), OutputDirs.DEAD_LETTER_PREFIX));
          if (late != null) {
            late.apply("WriteLate", parquet(sink, LateEvent.TYPE, OutputDirs.lateDir(dir), LATE_PREFIX));
          }
          return;
        }
      default:
        throw new IllegalStateException("unknown sink " + sink.kind());
    }
  }

  private static <T extends Record> void writeJsonLines(
      PCollection<T> records, RecordType<T> type, SinkConfig sink, String what, String dir, String prefix) {
    PCollection<String> json =
        records.apply(what + "ToJson", MapElements.into(TypeDescriptors.strings()).via(type::toJson));
    FlushPanes.every(json, sink.flushInterval()).apply("Write" + what, WriteJsonLines.to(dir, prefix));
  }

  /** Keyed by the record's key fields (none: no key); through Kafka transactions with {@code --exactlyOnce}. */
  private static <T extends Record> WriteToKafka<T> kafka(SinkConfig sink, String topic, RecordType<T> type) {
    WriteToKafka<T> write = WriteToKafka.records(sink.bootstrapServers(), topic, type);
    return sink.exactlyOnce() ? write.exactlyOnce(sink.numShards(), sink.sinkGroupId(topic)) : write;
  }

  private static <T extends Record> WriteParquet<T> parquet(
      SinkConfig sink, RecordType<T> type, String dir, String prefix) {
    return WriteParquet.of(type, dir, prefix).withFlushInterval(sink.flushInterval());
  }
}
