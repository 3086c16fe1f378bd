package streams.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.io.WriteFilesResult;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.transforms.Contextful;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import streams.model.Json;

/**
 * Writes elements as Parquet files under a folder, one sub-folder per window:
 * {@code DIR/window_start=2026-01-15T10%3A00%3A00.000Z/PREFIX-RUN-pane-N-SSSSS-of-NNNNN.parquet}.
 *
 * <p>The folder name is Hive-style with {@code :} escaped as {@code %3A}, exactly as Hive writes
 * partition folders: Hive-partition-aware readers (DuckDB, pyarrow, Trino, SQL engines) decode it back to the
 * ISO-8601 window start, and Hadoop paths, which reject {@code :} in a file name, stay valid. Elements in the
 * global window (unwindowed results, the archive) are written directly in {@code DIR}. Each pane of a
 * window is its own file (a late pane of {@code revenue} carries the updated total: a reader keeps, per key
 * and window, the row with the highest {@code pane_index}). {@code RUN} is fixed for the life of one
 * pipeline and differs between runs, so a restarted job never overwrites the files of an earlier one.
 *
 * <p>Unbounded input in the global window with its default trigger would never be written; it is cut into
 * panes every {@code flushInterval} of processing time first (see {@link FlushPanes}).
 */
public final class WriteParquet<T> extends PTransform<PCollection<T>, WriteFilesResult<Void>> {
  private final ResultSchema schema;
  private final SerializableFunction<T, GenericRecord> toRecord;
  private final String directory;
  private final String prefix;
  private final Duration flushInterval;

  private WriteParquet(
      ResultSchema schema,
      SerializableFunction<T, GenericRecord> toRecord,
      String directory,
      String prefix,
      Duration flushInterval) {
    this.schema = schema;
    this.toRecord = toRecord;
    this.directory = directory;
    this.prefix = prefix;
    this.flushInterval = flushInterval;
  }

  /** JSON records, converted by {@link ResultSchema#toRecord}. */
  public static WriteParquet<String> json(ResultSchema schema, String directory, String prefix) {
    return new WriteParquet<>(schema, new JsonToRecord(schema), directory, prefix, Duration.standardSeconds(10));
  }

  /** Typed records with their own conversion to the schema's Avro record. */
  public static <T> WriteParquet<T> records(
      ResultSchema schema, SerializableFunction<T, GenericRecord> toRecord, String directory, String prefix) {
    return new WriteParquet<>(schema, toRecord, directory, prefix, Duration.standardSeconds(10));
  }

  public WriteParquet<T> withFlushInterval(Duration interval) {
    return new WriteParquet<>(schema, toRecord, directory, prefix, interval);
  }

  @Override
  public WriteFilesResult<Void> expand(PCollection<T> input) {
    PCollection<T> panes = FlushPanes.every(input, flushInterval);
    FileIO.Write<Void, T> write =
        FileIO.<T>write()
            .via(Contextful.fn(toRecord), ParquetIO.sink(schema.avroSchema()))
            .to(directory)
            .withNaming(new WindowFolderNaming(prefix, Long.toString(System.currentTimeMillis(), 36)));
    if (input.isBounded() == PCollection.IsBounded.UNBOUNDED) {
      write = write.withNumShards(1);
    }
    return panes.apply("WriteParquetFiles", write);
  }

  private static final class JsonToRecord implements SerializableFunction<String, GenericRecord> {
    private final ResultSchema schema;

    JsonToRecord(ResultSchema schema) {
      this.schema = schema;
    }

    @Override
    public GenericRecord apply(String json) {
      return schema.toRecord(json);
    }
  }

  /** {@code window_start=<escaped ISO>/PREFIX-RUN-pane-N-SSSSS-of-NNNNN.parquet}. */
  static final class WindowFolderNaming implements FileIO.Write.FileNaming {
    private final String prefix;
    private final String run;

    WindowFolderNaming(String prefix, String run) {
      this.prefix = prefix;
      this.run = run;
    }

    @Override
    public String getFilename(
        BoundedWindow window, PaneInfo pane, int numShards, int shardIndex, Compression compression) {
      String folder = window instanceof IntervalWindow ? windowFolder((IntervalWindow) window) + "/" : "";
      return String.format(
          "%s%s-%s-pane-%d-%05d-of-%05d.parquet",
          folder, prefix, run, pane == null ? 0 : pane.getIndex(), shardIndex, numShards);
    }
  }

  /** {@code window_start=2026-01-15T10%3A00%3A00.000Z}: the Hive-style folder of a window. */
  public static String windowFolder(IntervalWindow window) {
    return "window_start=" + Json.instant(window.start().getMillis()).replace(":", "%3A");
  }
}
