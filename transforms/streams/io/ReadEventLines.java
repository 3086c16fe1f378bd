package streams.io;

import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/** Reads JSON Lines events from a file or glob (bounded input: the pipeline runs as a batch job). */
public final class ReadEventLines extends PTransform<PBegin, PCollection<String>> {
  private final String filePattern;

  private ReadEventLines(String filePattern) {
    this.filePattern = filePattern;
  }

  public static ReadEventLines from(String filePattern) {
    return new ReadEventLines(filePattern);
  }

  @Override
  public PCollection<String> expand(PBegin begin) {
    return begin.apply("ReadTextLines", TextIO.read().from(filePattern));
  }
}
