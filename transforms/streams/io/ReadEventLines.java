package streams.io;

import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.ReadAllViaFileBasedSource;
import org.apache.beam.sdk.io.TextSource;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.options.ValueProvider.StaticValueProvider;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Reads JSON Lines events from a file or glob (bounded input: the pipeline runs as a batch job).
 *
 * <p>The lines are read inside a DoFn ({@code FileIO.match} → {@code readMatches} → ranges of {@link
 * #RANGE_BYTES} → read), the expansion of {@code TextIO.readFiles()}, rather than through a {@code
 * Read.Bounded} source: a runner may update its metrics after every record a source reader returns, while a
 * DoFn's metrics are reported once per bundle (docs/performance.md, change 8). Lines, their split at range
 * boundaries and the error on a pattern that matches nothing are those of {@code TextIO.read()}.
 */
public final class ReadEventLines extends PTransform<PBegin, PCollection<String>> {
  /**
   * Size of the ranges a file is cut into before they are spread over the workers: small enough that a
   * file of a few hundred MB gives every worker a fair share, large enough that a range's set-up is noise.
   */
  static final long RANGE_BYTES = 16L << 20;

  private final String filePattern;

  private ReadEventLines(String filePattern) {
    this.filePattern = filePattern;
  }

  public static ReadEventLines from(String filePattern) {
    return new ReadEventLines(filePattern);
  }

  @Override
  public PCollection<String> expand(PBegin begin) {
    return begin
        .apply(
            "MatchFiles",
            FileIO.match().filepattern(filePattern).withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW_IF_WILDCARD))
        .apply("OpenFiles", FileIO.readMatches())
        .apply(
            "ReadTextLines",
            new ReadAllViaFileBasedSource<>(RANGE_BYTES, new TextSourceFn(), StringUtf8Coder.of()));
  }

  /** One file's {@link TextSource}, newline-delimited, no header. */
  private static final class TextSourceFn implements SerializableFunction<String, TextSource> {
    @Override
    public TextSource apply(String file) {
      return new TextSource(StaticValueProvider.of(file), EmptyMatchTreatment.DISALLOW, null, 0);
    }
  }
}
