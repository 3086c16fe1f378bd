package streams.io;

import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Writes JSON strings as {@code DIR/PREFIX-SSSSS-of-NNNNN.jsonl}, one a line. Bounded input is written once
 * at the end; unbounded input is written per window and pane (one file each, so no result waits for the
 * end of the stream), as {@code DIR/PREFIX-WINDOW-pane-N[-last]-SSSSS-of-NNNNN.jsonl}.
 */
public final class WriteJsonLines extends PTransform<PCollection<String>, PDone> {
  private final String directory;
  private final String prefix;

  private WriteJsonLines(String directory, String prefix) {
    this.directory = directory;
    this.prefix = prefix;
  }

  public static WriteJsonLines to(String directory, String prefix) {
    return new WriteJsonLines(directory, prefix);
  }

  @Override
  public PDone expand(PCollection<String> json) {
    ResourceId dir = FileSystems.matchNewResource(directory, true);
    String target = dir.resolve(prefix, StandardResolveOptions.RESOLVE_FILE).toString();
    if (json.isBounded() == PCollection.IsBounded.BOUNDED) {
      return json.apply("IntoGlobalWindow", Window.<String>into(new GlobalWindows()))
          .apply("WriteText", TextIO.write().to(target).withSuffix(".jsonl"));
    }
    // Beam's windowed names put the window right after the prefix ("resultsGlobalWindow-pane-0-..."): the
    // dash keeps them PREFIX-*.jsonl, as batch runs' names are and as OutputDirs recognises them.
    return json.apply(
        "WriteWindowedText",
        TextIO.write().to(target + "-").withSuffix(".jsonl").withWindowedWrites().withNumShards(1));
  }
}
