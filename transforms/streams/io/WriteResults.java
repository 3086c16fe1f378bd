package streams.io;

import org.apache.beam.sdk.values.PCollection;

/**
 * Writes a pipeline's {@link Results} where {@code --sink} says, results and dead letters alike:
 *
 * <ul>
 *   <li>late events (valid events later than allowed lateness, {@link streams.model.LateEvent}), where the
 *       pipeline has them: {@code DIR/late/}, {@code --lateTopic}, or Parquet in {@code DIR/late};
 *   <li>{@code files}: JSON Lines, {@code DIR/results-*.jsonl} and {@code DIR/dead-letter/*.jsonl} (as {@link
 *       Results#writeTo}), per window and pane when the input is unbounded;
 *   <li>{@code kafka}: JSON values on {@code --outputTopic} keyed by the fields that identify
 *       the row ({@link ResultSchema#keyFields()}, as {@link WriteToKafka#keyedBy} formats them), dead letters ({@code {"raw","error"}}, no key) on {@code
 *       --deadLetterTopic}; with {@code --exactlyOnce} both through KafkaIO's transactional sink;
 *   <li>{@code parquet}: Parquet files of {@link ResultSchema#avroSchema()} under {@code DIR}, one folder per
 *       window ({@link WriteParquet}), dead letters as Parquet in {@code DIR/dead-letter}.
 * </ul>
 *
 * Unbounded data in the global window (dead letters, unwindowed results) is written to files in
 * processing-time panes ({@link FlushPanes}).
 *
 * <p>In a pipeline's {@code build()}: {@code WriteResults.to(results, ResultSchemas.USER_REVENUE,
 * SinkConfig.from(options, options.getOutput()))}.
 */
public final class WriteResults {
  /** File name prefix of the late events, in {@code DIR/late/}. */
  public static final String LATE_PREFIX = "late";

  private WriteResults() {}

  public static void to(Results<?> results, ResultSchema schema, SinkConfig sink) {
    PCollection<String> json = results.resultsAsJson();
    PCollection<String> deadLetters = results.deadLettersAsJson();
    PCollection<String> late = results.lateAsJson();
    switch (sink.kind()) {
      case FILES:
        {
          String dir = sink.outputDir();
          FlushPanes.every(json, sink.flushInterval())
              .apply("WriteResults", WriteJsonLines.to(dir, OutputDirs.RESULTS_PREFIX));
          FlushPanes.every(deadLetters, sink.flushInterval())
              .apply("WriteDeadLetters", WriteJsonLines.to(OutputDirs.deadLetterDir(dir), OutputDirs.DEAD_LETTER_PREFIX));
          if (late != null) {
            FlushPanes.every(late, sink.flushInterval())
                .apply("WriteLate", WriteJsonLines.to(OutputDirs.lateDir(dir), LATE_PREFIX));
          }
          return;
        }
      case KAFKA:
        {
          WriteToKafka out = WriteToKafka.to(sink.bootstrapServers(), sink.outputTopic()).keyedBy(schema.keyFields());
          WriteToKafka dead = WriteToKafka.to(sink.bootstrapServers(), sink.deadLetterTopic());
          if (sink.exactlyOnce()) {
            out = out.exactlyOnce(sink.numShards(), sink.sinkGroupId(sink.outputTopic()));
            dead = dead.exactlyOnce(sink.numShards(), sink.sinkGroupId(sink.deadLetterTopic()));
          }
          json.apply("WriteResults", out);
          deadLetters.apply("WriteDeadLetters", dead);
          if (late != null) {
            WriteToKafka lateOut = WriteToKafka.to(sink.bootstrapServers(), sink.lateTopic());
            if (sink.exactlyOnce()) {
              lateOut = lateOut.exactlyOnce(sink.numShards(), sink.sinkGroupId(sink.lateTopic()));
            }
            late.apply("WriteLate", lateOut);
          }
          return;
        }
      case PARQUET:
        {
          String dir = sink.outputDir();
          json.apply(
              "WriteResults",
              WriteParquet.json(schema, dir, OutputDirs.RESULTS_PREFIX).withFlushInterval(sink.flushInterval()));
          deadLetters.apply(
              "WriteDeadLetters",
              WriteParquet.json(ResultSchemas.DEAD_LETTER, OutputDirs.deadLetterDir(dir), OutputDirs.DEAD_LETTER_PREFIX)
                  .withFlushInterval(sink.flushInterval()));
          if (late != null) {
            late.apply(
                "WriteLate",
                WriteParquet.json(ResultSchemas.LATE_EVENT, OutputDirs.lateDir(dir), LATE_PREFIX)
                    .withFlushInterval(sink.flushInterval()));
          }
          return;
        }
      default:
        throw new IllegalStateException("unknown sink " + sink.kind());
    }
  }

  /** True when the sink commits through Kafka transactions, which needs a runner with stable input. */
  public static boolean requiresStableInput(SinkConfig sink) {
    return sink.kind() == SinkConfig.Kind.KAFKA && sink.exactlyOnce();
  }
}
