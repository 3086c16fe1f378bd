package streams.pipelines;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import streams.io.KafkaIoOptions;

/**
 * Options shared by every pipeline: where events come from and where results go. The Kafka, Parquet and
 * archive options of the IO edges ({@code --source}, {@code --sink}, ...) come from {@link KafkaIoOptions}.
 */
public interface StreamsOptions extends KafkaIoOptions {
  @Description(
      "--source=file: JSON Lines input, a file or glob (bounded: the pipeline runs as a batch job)."
          + " Without it, the pipeline reads --events generated events.")
  String getInput();

  void setInput(String value);

  @Description(
      "--sink=files or parquet: output folder, results in DIR (JSON Lines or Parquet), dead letters in"
          + " DIR/dead-letter/. Earlier results there are replaced. Default: output/<pipeline>-<runner>.")
  String getOutput();

  void setOutput(String value);

  @Description("Number of generated events when no --input is given.")
  @Default.Long(100_000)
  long getEvents();

  void setEvents(long value);

  @Description("Seed of the generated events when no --input is given.")
  @Default.Long(42)
  long getSeed();

  void setSeed(long value);
}
