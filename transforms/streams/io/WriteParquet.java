package streams.io;

import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.WriteFilesResult;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.transforms.Contextful;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import streams.model.Json;
import streams.model.RecordType;

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
public final class WriteParquet<T extends Record> extends PTransform<PCollection<T>, WriteFilesResult<Void>> {
  private final RecordType<T> type;
  private final String directory;
  private final String prefix;
  private final Duration flushInterval;

  private WriteParquet(RecordType<T> type, String directory, String prefix, Duration flushInterval) {
    this.type = type;
    this.directory = directory;
    this.prefix = prefix;
    this.flushInterval = flushInterval;
  }

  /** Records of {@code type}, one column a field ({@link AvroRecords}). */
  public static <T extends Record> WriteParquet<T> of(RecordType<T> type, String directory, String prefix) {
    return new WriteParquet<>(type, directory, prefix, Duration.standardSeconds(10));
  }

  public WriteParquet<T> withFlushInterval(Duration interval) {
    return new WriteParquet<>(type, directory, prefix, interval);
  }

  @Override
  public WriteFilesResult<Void> expand(PCollection<T> input) {
    PCollection<T> panes = FlushPanes.every(input, flushInterval);
    FileIO.Write<Void, T> write =
        FileIO.<T>write()
            .via(Contextful.fn(AvroRecords.of(type)), ParquetIO.sink(AvroRecords.schema(type)))
            .to(directory)
            .withNaming(new WindowFolderNaming(prefix, Long.toString(System.currentTimeMillis(), 36)));
    if (input.isBounded() == PCollection.IsBounded.UNBOUNDED) {
      write = write.withNumShards(1);
    }
    return panes.apply("WriteParquetFiles", write);
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
